"""The books and summaries a treasurer prints: sổ thu and sổ chi of a fund for a year, and
a unit's year by kind of fund; as JSON, or as CSV and XLSX files with Vietnamese headers,
each naming the checkpoint it was made from."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint

from service.api import exports
from service.api.funds import readable_fund
from service.api.operation import operation
from service.api.reads import fresh, require_reach
from service.api.schemas import BookOut, ExportQuery, SummaryOut, SummaryQuery
from service.api.spreadsheets import file_response
from service.domain.errors import UnitNotFound
from service.projections import books
from service.projections import units as unit_view

bp = Blueprint("books", __name__)


@bp.get("/funds/<uuid:fund_id>/books/receipts")
@operation(
    "Read a fund's receipts book (sổ thu)",
    tag="reports",
    query=ExportQuery,
    response=BookOut,
    errors=(401, 403, 404, 422, 503),
)
def receipts_book(fund_id: UUID, query: dict[str, Any]) -> Any:
    """Every receipt slip of the fund dated in ``year``, in slip order; ``format=csv-vi``
    or ``xlsx`` for the printed book."""
    return _book(fund_id, query, "receipts")


@bp.get("/funds/<uuid:fund_id>/books/payments")
@operation(
    "Read a fund's payments book (sổ chi)",
    tag="reports",
    query=ExportQuery,
    response=BookOut,
    errors=(401, 403, 404, 422, 503),
)
def payments_book(fund_id: UUID, query: dict[str, Any]) -> Any:
    """Every disbursement and transfer out of the fund dated in ``year``, by date, with
    its voucher number; ``format=csv-vi`` or ``xlsx`` for the printed book."""
    return _book(fund_id, query, "payments")


def _book(fund_id: UUID, query: dict[str, Any], book: str) -> Any:
    year = query["year"]
    with fresh(query) as (tx, position):
        fund = readable_fund(tx, fund_id)
        opening = books.opening_balance(tx, str(fund_id), year)
        read = books.receipts_book if book == "receipts" else books.payments_book
        rows = read(tx, str(fund_id), year)
        checkpoint = books.covering_checkpoint(tx, books.last_position(tx, None, str(fund_id)))
    if query["format"] != "json":
        build = exports.receipts_book_table if book == "receipts" else exports.payments_book_table
        table = build(exports.Book(fund, year, opening, rows, position, checkpoint))
        return file_response(table, query["format"])
    kind = "receipt" if book == "receipts" else None
    return {
        "fund_id": str(fund_id),
        "year": year,
        "book": book,
        "opening_balance": opening,
        "total": exports.book_total(rows),
        "items": [{"kind": kind, **row} if kind else row for row in rows],
        "position": position,
        "checkpoint": checkpoint,
    }


@bp.get("/units/<uuid:unit_id>/summary")
@operation(
    "Summarise a unit's year by kind of fund",
    tag="reports",
    query=SummaryQuery,
    response=SummaryOut,
    errors=(401, 403, 404, 422, 503),
)
def yearly_summary(unit_id: UUID, query: dict[str, Any]) -> Any:
    """Per kind of fund: opening balance, receipts, goods, disbursements, transfers and
    closing balance of ``year``; with ``include_children``, for the whole subtree."""
    year, children = query["year"], query["include_children"]
    with fresh(query) as (tx, position):
        unit = unit_view.get(tx, str(unit_id))
        if unit is None:
            raise UnitNotFound(
                "Không có đơn vị nào với mã này. Hãy kiểm tra lại mã đơn vị.", unit_id=str(unit_id)
            )
        require_reach(tx, str(unit_id))
        summary = books.yearly_summary(tx, str(unit_id), year, children)
        checkpoint = books.covering_checkpoint(tx, books.last_position(tx, str(unit_id)))
    if query["format"] != "json":
        table = exports.summary_table(unit, year, children, summary, position, checkpoint)
        return file_response(table, query["format"])
    return {
        "unit_id": str(unit_id),
        "year": year,
        "include_children": children,
        "by_fund_kind": summary,
        "position": position,
        "checkpoint": checkpoint,
    }
