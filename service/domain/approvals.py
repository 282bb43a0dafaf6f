"""Payments awaiting approval (maker-checker): an approver, never the person who recorded
it, approves the entry a treasurer asked for, or rejects it; either way the money it
reserved is released."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from service.domain.actors import Meta
from service.domain.entries import CASH_CHANNELS, PAID_IN_CASH, entry_id_for, optional_text
from service.domain.errors import AlreadyDecided, ApproverIsRecorder, InvalidInput, PaymentNotFound
from service.domain.recording import check_date
from service.domain.reversals import reverse
from service.domain.text import normalise
from service.domain.transfers import record_transfer

if TYPE_CHECKING:
    from service.domain.funds import Fund

#: What a disbursement awaiting approval carries over to the entry that records it.
_DISBURSEMENT_FACTS = (
    "occurred_on",
    "amount",
    "category",
    "household_id",
    "house_project_id",
    "grant_id",
    "voucher_no",
    "note",
    "repeat_reason",
    "student",
    "channel",
    "bank_ref",
    "campaign_id",
)


#: What a receipt awaiting approval carries over to the entry that records it.
_RECEIPT_FACTS = (
    "occurred_on",
    "amount",
    "channel",
    "donor_name",
    "donor_kind",
    "donor_account",
    "voucher_no",
    "bank_ref",
    "pledge_id",
    "in_kind",
    "note",
    "campaign_id",
    "currency",
    "foreign_amount",
    "rate",
    "rate_source",
)


def approve(
    fund: Fund,
    requested: Fund.PaymentRequested,
    destination: Fund | None,
    today: date,
    meta: Meta,
    note: str | None = None,
    reversed_entry: Fund.EntryRecorded | None = None,
) -> None:
    """Records the entry as the recorder asked (a transfer into ``destination``, the
    reversal of ``reversed_entry``) and releases its reservation. A reversal is dated
    the day it is approved, in the open period."""
    _check_decidable(fund, requested, meta)
    if isinstance(requested, fund.ReversalRequested):
        if reversed_entry is None or reversed_entry.entry_id != requested.reversed_entry_id:
            raise InvalidInput("entry_id", "Cần chọn bút toán cần hủy.")
    else:
        check_date(fund, requested.occurred_on, today)
    if isinstance(requested, fund.TransferRequested):
        if destination is None or destination.id != requested.to_fund_id:
            raise InvalidInput("to_fund_id", "Cần chọn quỹ nhận tiền điều tiết.")
        check_date(destination, requested.occurred_on, today)
    fund.trigger_event(
        fund.PaymentApproved,
        meta=meta,
        pending_id=requested.pending_id,
        amount=requested.reserves,
        entry_id=entry_id_for(fund.id, fund.version + 2),
        note=optional_text(note),
    )
    if isinstance(requested, fund.ReversalRequested) and reversed_entry is not None:
        reverse(fund, reversed_entry, requested.reason, today, requested.meta)
    elif isinstance(requested, fund.ReceiptRequested):
        fund.trigger_event(
            fund.ReceiptRecorded,
            meta=requested.meta,
            slip_no=fund.next_slip_no(requested.occurred_on)
            if requested.channel in CASH_CHANNELS
            else 0,
            **{name: getattr(requested, name) for name in _RECEIPT_FACTS},
        )
    elif isinstance(requested, fund.DisbursementRequested):
        # The payment slip is issued now, when the payment is made.
        in_cash = (requested.channel or PAID_IN_CASH) == PAID_IN_CASH
        fund.trigger_event(
            fund.DisbursementRecorded,
            meta=requested.meta,
            in_kind=None,
            slip_no=fund.next_payment_slip_no(requested.occurred_on) if in_cash else 0,
            **{name: getattr(requested, name) for name in _DISBURSEMENT_FACTS},
        )
    elif destination is not None and isinstance(requested, fund.TransferRequested):
        record_transfer(
            fund,
            destination,
            requested.amount,
            requested.occurred_on,
            requested.note,
            requested.meta,
        )


def reject(fund: Fund, requested: Fund.PaymentRequested, reason: str, meta: Meta) -> None:
    """Releases the payment's reservation; nothing is paid."""
    _check_decidable(fund, requested, meta)
    reason = normalise(reason)
    if not reason:
        raise InvalidInput("reason", "Cần ghi lý do từ chối khoản chi.")
    fund.trigger_event(
        fund.PaymentRejected,
        meta=meta,
        pending_id=requested.pending_id,
        amount=requested.reserves,
        reason=reason,
    )


def _check_decidable(fund: Fund, requested: Fund.PaymentRequested, meta: Meta) -> None:
    """Refuses a decision on another fund's request, by its recorder, or taken twice."""
    pending_id = str(requested.pending_id)
    if requested.originator_id != fund.id:
        raise PaymentNotFound(
            "Quỹ này không có khoản chi chờ duyệt với mã này. Hãy kiểm tra lại mã.",
            pending_id=pending_id,
        )
    if requested.meta.same_person(meta):
        raise ApproverIsRecorder(
            "Bạn là người ghi khoản chi này, nên một người duyệt khác phải duyệt hoặc từ chối nó.",
            pending_id=pending_id,
        )
    if pending_id not in fund.pending:
        raise AlreadyDecided(
            "Khoản chi này đã được duyệt hoặc từ chối rồi; không cần quyết định lại.",
            pending_id=pending_id,
        )
