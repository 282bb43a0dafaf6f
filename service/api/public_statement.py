"""The fund's public statement (sao kê công khai): every receipt, searchable, page by page
or as CSV; for readers of the unit as recorded, for the public with people's names
masked."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any
from uuid import UUID

from flask import Blueprint, Response, request, stream_with_context

from service.adapters.csvfile import csv_writer
from service.adapters.db import Row
from service.api.operation import operation
from service.api.schemas import StatementPage, StatementQuery
from service.domain.errors import FundNotFound
from service.projections import funds as fund_view
from service.projections import public_statement as statement_view
from service.reads import fresh, page
from service.reads.funds import readable_fund
from service.reads.public_statement import public_line
from service.web.context import services

bp = Blueprint("statement", __name__)

#: Receipts read per transaction when a whole statement is exported.
EXPORT_PAGE = 5000
CSV_COLUMNS = (
    "slip_ref",
    "slip_no",
    "occurred_on",
    "amount",
    "donor_name",
    "donor_kind",
    "channel",
    "memo",
    "bank_ref",
    "reversed",
    "entry_id",
    # A gift in a foreign currency: its ISO 4217 code and its amount in minor units
    # (``amount`` is its đồng value on the day); empty for a gift in đồng.
    "currency",
    "foreign_amount",
)


@bp.get("/funds/<uuid:fund_id>/statement")
@operation(
    "Read a fund's statement",
    tag="statement",
    query=StatementQuery,
    response=StatementPage,
    errors=(401, 403, 404, 422, 503),
)
def fund_statement(fund_id: UUID, query: dict[str, Any]) -> Any:
    """Every receipt of the fund, oldest first, with its slip, date, amount, donor, memo
    (as the donor wrote it) and bank reference; searchable by amount, date range and a
    fragment of a name, memo or reference. ``format=csv`` exports every match."""
    return _statement(fund_id, query, public=False)


@bp.get("/public/funds/<uuid:fund_id>/statement")
@operation(
    "Read a fund's public statement",
    tag="public",
    query=StatementQuery,
    response=StatementPage,
    public=True,
    errors=(404, 422, 503),
)
def public_statement(fund_id: UUID, query: dict[str, Any]) -> Any:
    """The fund's statement for anyone: a person's name masked ("Nguyễn V. A."), an
    organisation's in full; the same search and CSV export."""
    return _statement(fund_id, query, public=True)


def _statement(fund_id: UUID, query: dict[str, Any], *, public: bool) -> Any:
    search = statement_view.Search(
        occurred_from=query["date_from"],
        occurred_to=query["date_to"],
        amount=query["amount"],
        min_amount=query["min_amount"],
        max_amount=query["max_amount"],
        text=query["q"],
        public=public,
    )
    with fresh(query, bulk=True) as (tx, position):
        fund = _fund(tx, fund_id, public=public)
        summary = statement_view.totals(tx, str(fund_id), search)
        if query["format"] == "csv" or request.accept_mimetypes.best == "text/csv":
            return _csv(fund, search, summary, position, public=public)
        rows = statement_view.receipts(
            tx, str(fund_id), search, after_seq=query["cursor"] or 0, limit=query["limit"] + 1
        )
    listed = page([_shown(row, public) for row in rows], query["limit"], lambda r: r["seq"])
    return {"fund_id": str(fund_id), "position": position, "totals": summary, **listed}


def _fund(tx: Any, fund_id: UUID, *, public: bool) -> Row:
    if not public:
        return readable_fund(tx, fund_id)
    fund = fund_view.get(tx, str(fund_id))
    if fund is None:
        raise FundNotFound(
            "Không có quỹ nào với mã này. Hãy kiểm tra lại mã quỹ.", fund_id=str(fund_id)
        )
    return fund


def _shown(row: Row, public: bool) -> Row:
    """A line as its reader may see it: as the donor wrote it, or as the public sees it."""
    return public_line(row) if public else row


def _csv(
    fund: Row, search: statement_view.Search, summary: Row, position: int, *, public: bool
) -> Response:
    """The whole statement as CSV, read a page per transaction so that memory stays flat;
    its first lines state the fund, the cut-off position, the row count and the sum."""

    def lines() -> Iterator[str]:
        out = io.StringIO()
        writer = csv_writer(out)
        writer.writerow(["fund", fund["name"], fund["id"]])
        writer.writerow(["cut_off_position", position])
        writer.writerow(
            [
                "receipts",
                summary["count"],
                "amount",
                summary["amount"],
                "in_kind_value",
                summary["in_kind_value"],
                "reversed",
                summary["reversed_count"],
                summary["reversed_amount"],
                # Each currency's gifts among them: code, minor units and their đồng.
                *(
                    cell
                    for held in summary["foreign"]
                    for cell in ("foreign", held["currency"], held["amount"], held["dong"])
                ),
            ]
        )
        writer.writerow(
            [
                "memo",
                "account numbers and a person's name masked, an anonymous gift's not shown"
                if public
                else "as written by the donor",
            ]
        )
        writer.writerow(CSV_COLUMNS)
        yield out.getvalue()
        after = 0
        while True:
            svc = services()
            with (svc.public_db if public else svc.reports_db).transaction() as tx:
                rows = statement_view.receipts(
                    tx, str(fund["id"]), search, after_seq=after, limit=EXPORT_PAGE
                )
            if not rows:
                return
            out = io.StringIO()
            writer = csv_writer(out)
            for row in rows:
                shown = _shown(row, public)
                writer.writerow([shown[column] for column in CSV_COLUMNS])
            after = rows[-1]["seq"]
            yield out.getvalue()

    response = Response(stream_with_context(lines()), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="sao-ke-{fund["id"]}.csv"'
    return response
