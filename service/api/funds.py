"""Funds: opening them, money in and out, reversals, period closes and the ledger."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint, url_for

from service.api.bodies import donor, in_kind
from service.api.operation import (
    WRITE_ERRORS,
    operation,
    write_request,
    written,
    written_or_pending,
)
from service.api.schemas import (
    DisbursementIn,
    EntryWritten,
    FundIn,
    FundOpened,
    FundOut,
    LedgerEntryOut,
    LedgerQuery,
    PaymentOut,
    PeriodClosedOut,
    PeriodCloseIn,
    ReadQuery,
    ReceiptIn,
    ReceiptWritten,
    ReversalIn,
    StockOut,
    TransferIn,
    page_of,
)
from service.domain.funds import Disbursement, Receipt
from service.domain.money import Money
from service.domain.support import Student
from service.domain.vocabulary import Category, Channel, FundKind
from service.projections import funds as fund_view
from service.reads import fresh
from service.reads.funds import entries_page, readable_fund
from service.web.context import services

bp = Blueprint("funds", __name__)


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
        campaign_id=body["campaign_id"],
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
        campaign_id=body["campaign_id"],
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
