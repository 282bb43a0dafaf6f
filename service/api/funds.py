"""Funds: opening them, money in and out, reversals, period closes and the ledger."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint, url_for

from service.adapters.db import Row, Transaction
from service.api.operation import (
    operation,
    services,
    write_request,
    written,
    written_or_pending,
)
from service.api.reads import fresh, page, require_reach
from service.api.schemas.approvals import PaymentOut
from service.api.schemas.common import ReadQuery, page_of
from service.api.schemas.entries import (
    DisbursementIn,
    EntryWritten,
    LedgerEntryOut,
    LedgerQuery,
    ReceiptIn,
    ReceiptWritten,
    ReversalIn,
    TransferIn,
)
from service.api.schemas.funds import (
    FundIn,
    FundOpened,
    FundOut,
    PeriodClosedOut,
    PeriodCloseIn,
    StockOut,
)
from service.domain.errors import FundNotFound
from service.domain.funds import Disbursement, Donor, InKind, Receipt
from service.domain.money import Money
from service.domain.support import Student
from service.domain.vocabulary import Category, Channel, DonorKind, FundKind
from service.projections import funds as fund_view
from service.projections import ledger as ledger_view

bp = Blueprint("funds", __name__)

WRITE_ERRORS = (401, 403, 404, 409, 422)


@bp.post("/funds")
@operation(
    "Open a fund", tag="funds", body=FundIn, response=FundOpened, status=201, errors=(401, 403, 422)
)
def open_fund(body: dict[str, Any]) -> dict[str, Any]:
    """Opens a fund held by a unit (administrators, or the unit's treasurer)."""
    result = services().ledger.open_fund(
        write_request(), body["unit_id"], body["name"], FundKind(body["kind"])
    )
    return written(result)


@bp.get("/funds/<uuid:fund_id>")
@operation(
    "Read a fund", tag="funds", query=ReadQuery, response=FundOut, errors=(401, 403, 404, 503)
)
def get_fund(fund_id: UUID, query: dict[str, Any]) -> dict[str, Any]:
    """The fund's balance and totals (money only; goods count in ``total_in_kind``)."""
    with fresh(query) as (tx, _):
        return readable_fund(tx, fund_id)


@bp.post("/funds/<uuid:fund_id>/receipts")
@operation(
    "Record a receipt",
    tag="entries",
    body=ReceiptIn,
    response=ReceiptWritten,
    status=201,
    accepted=PaymentOut,
    creates={201: "entry_id", 202: "pending_id"},
    errors=WRITE_ERRORS,
)
def record_receipt(fund_id: UUID, body: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """Records money (or goods, with channel ``in_kind``) coming into the fund. The answer
    names ``receipt_url``, where anyone can later check the gift against a signed
    checkpoint of the log. Above the fund's plausibility limit it awaits an approver (202)."""
    receipt = Receipt(
        amount=Money(body["amount"]),
        occurred_on=body["occurred_on"],
        donor=donor(body["donor"]),
        channel=Channel(body["channel"]),
        voucher_no=body["voucher_no"],
        bank_ref=body["bank_ref"],
        pledge_id=body["pledge_id"],
        in_kind=in_kind(body["in_kind"]),
        note=body["note"],
        surplus_as_gift=body["surplus_as_gift"],
    )
    answer, status = written_or_pending(
        services().ledger.record_receipt(write_request(), fund_id, receipt)
    )
    if status == 201:
        # Where the donor checks this gift later: the receipt, its leaf and its proof.
        answer["receipt_url"] = url_for("public.receipt", reference=answer["entry_id"])
    return answer, status


@bp.post("/funds/<uuid:fund_id>/disbursements")
@operation(
    "Record a disbursement",
    tag="entries",
    body=DisbursementIn,
    response=EntryWritten,
    status=201,
    accepted=PaymentOut,
    creates={201: "entry_id", 202: "pending_id"},
    errors=WRITE_ERRORS,
)
def record_disbursement(fund_id: UUID, body: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """Records money going out of the fund; refused when too little is available. Above
    the unit's approval threshold it awaits an approver (202) with its amount reserved."""
    disbursement = Disbursement(
        amount=Money(body["amount"]),
        occurred_on=body["occurred_on"],
        category=Category(body["category"]),
        household_id=body["household_id"],
        house_project_id=body["house_project_id"],
        grant_id=body["grant_id"],
        voucher_no=body["voucher_no"],
        note=body["note"],
        repeat_reason=body["repeat_reason"],
        in_kind=in_kind(body["in_kind"]),
        channel=body["channel"],
        bank_ref=body["bank_ref"],
    )
    given = body["student"]
    student = Student.of(given["name"], given["school"], given["school_year"]) if given else None
    return written_or_pending(
        services().ledger.record_disbursement(write_request(), fund_id, disbursement, student)
    )


@bp.post("/funds/<uuid:fund_id>/transfers")
@operation(
    "Transfer between funds",
    tag="entries",
    body=TransferIn,
    response=EntryWritten,
    status=201,
    accepted=PaymentOut,
    creates={201: "entry_id", 202: "pending_id"},
    errors=WRITE_ERRORS,
)
def record_transfer(fund_id: UUID, body: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """Moves money to another fund: both sides are recorded together or not at all. Above
    the unit's approval threshold it awaits an approver (202) with its amount reserved."""
    result = services().ledger.record_transfer(
        write_request(),
        fund_id,
        body["to_fund_id"],
        Money(body["amount"]),
        body["occurred_on"],
        body["note"],
    )
    return written_or_pending(result)


@bp.post("/funds/<uuid:fund_id>/entries/<uuid:entry_id>/reversal")
@operation(
    "Reverse an entry",
    tag="entries",
    body=ReversalIn,
    response=EntryWritten,
    status=201,
    accepted=PaymentOut,
    creates={201: "entry_id", 202: "pending_id"},
    errors=WRITE_ERRORS,
)
def reverse_entry(
    fund_id: UUID, entry_id: UUID, body: dict[str, Any]
) -> tuple[dict[str, Any], int]:
    """Cancels an entry with a reversal dated today; the entry itself stays in the log.
    Above the unit's approval threshold or the fund's plausibility limit the reversal
    awaits an approver (202), the money it would take out reserved meanwhile."""
    result = services().ledger.reverse_entry(write_request(), fund_id, entry_id, body["reason"])
    return written_or_pending(result)


@bp.post("/funds/<uuid:fund_id>/period-closes")
@operation(
    "Close the books",
    tag="funds",
    body=PeriodCloseIn,
    response=PeriodClosedOut,
    status=201,
    errors=WRITE_ERRORS,
)
def close_period(fund_id: UUID, body: dict[str, Any]) -> dict[str, Any]:
    """Closes the fund's books through a date: nothing dated on or before it may follow."""
    return written(services().ledger.close_period(write_request(), fund_id, body["through"]))


@bp.get("/funds/<uuid:fund_id>/entries")
@operation(
    "Read the ledger",
    tag="funds",
    query=LedgerQuery,
    response=page_of(LedgerEntryOut),
    errors=(401, 403, 404, 422, 503),
)
def list_entries(fund_id: UUID, query: dict[str, Any]) -> dict[str, Any]:
    """The fund's entries oldest first, each with the running balance after it."""
    with fresh(query) as (tx, _):
        readable_fund(tx, fund_id)
        return entries_page(tx, fund_id, query)


def entries_page(tx: Transaction, fund_id: UUID, query: dict[str, Any]) -> dict[str, Any]:
    """A page of a fund's ledger (``LedgerQuery``'s fields), once the fund was found readable."""
    rows = ledger_view.entries(
        tx,
        str(fund_id),
        occurred_from=query["date_from"].isoformat() if query["date_from"] else None,
        occurred_to=query["date_to"].isoformat() if query["date_to"] else None,
        after_seq=query["cursor"] or 0,
        limit=query["limit"] + 1,
    )
    return page([ledger_item(row) for row in rows], query["limit"], lambda row: row["seq"])


@bp.get("/funds/<uuid:fund_id>/stock")
@operation(
    "Read the goods in stock",
    tag="funds",
    query=ReadQuery,
    response=StockOut,
    errors=(401, 403, 404, 503),
)
def get_stock(fund_id: UUID, query: dict[str, Any]) -> dict[str, Any]:
    """The goods the fund received and gave out, by kind, and what it still holds."""
    with fresh(query) as (tx, _):
        readable_fund(tx, fund_id)
        return {"fund_id": str(fund_id), "items": fund_view.stock(tx, str(fund_id))}


def donor(given: dict[str, Any]) -> Donor:
    return Donor(given["name"], DonorKind(given["kind"]))


def in_kind(goods: dict[str, Any] | None) -> InKind | None:
    return InKind(goods["description"], goods["quantity"], goods["unit"]) if goods else None


def readable_fund(tx: Transaction, fund_id: UUID) -> Row:
    fund = fund_view.get(tx, str(fund_id))
    if fund is None:
        raise FundNotFound(
            "Không có quỹ nào với mã này. Hãy kiểm tra lại mã quỹ.", fund_id=str(fund_id)
        )
    require_reach(tx, fund["unit_id"])
    return fund


def ledger_item(row: Row) -> Row:
    donor_kind = row.pop("donor_kind")
    donor_name = row.pop("donor_name")
    description, quantity, unit = (
        row.pop("in_kind_description"),
        row.pop("in_kind_quantity"),
        row.pop("in_kind_unit"),
    )
    row["donor"] = {"name": donor_name, "kind": donor_kind} if donor_kind else None
    row["in_kind"] = (
        {"description": description, "quantity": quantity, "unit": unit} if description else None
    )
    row["reversed"] = row["reversed_by_entry_id"] is not None
    return row
