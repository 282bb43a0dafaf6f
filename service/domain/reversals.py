"""Reversals: an entry cancelled by a later one dated the day it is made, in the open
period; the entry itself stays in the log."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from service.domain.actors import Meta
from service.domain.controls import Controls
from service.domain.currency import check_held
from service.domain.errors import (
    AlreadyReversed,
    EntryNotFound,
    InsufficientFunds,
    InvalidInput,
    NotReversible,
    ReversalPending,
)
from service.domain.exchange import moved_back
from service.domain.money import vnd
from service.domain.recording import check_date, check_in_stock
from service.domain.text import normalise
from service.domain.vocabulary import EntryKind

if TYPE_CHECKING:
    from service.domain.funds import Fund


def reverse(
    fund: Fund,
    entry: Fund.EntryRecorded,
    reason: str,
    today: date,
    meta: Meta,
    controls: Controls | None = None,
) -> None:
    """Cancels ``entry`` with a reversal dated today, in the open period; when the
    controls hold it (an amount above the approval threshold or the plausibility
    limit), the reversal awaits an approver and the money it would take out is
    reserved."""
    if entry.originator_id != fund.id:
        raise EntryNotFound(
            "Quỹ này không có bút toán với mã này. Hãy kiểm tra lại mã bút toán.",
            entry_id=str(entry.entry_id),
        )
    if isinstance(entry, fund.EntryReversed):
        raise NotReversible(
            "Không thể hủy một bút toán hủy. Nếu cần, hãy ghi lại khoản gốc.",
            entry_id=str(entry.entry_id),
        )
    if entry.entry_id in fund.reversed:
        raise AlreadyReversed(
            "Bút toán này đã được hủy rồi; không cần hủy lại.", entry_id=str(entry.entry_id)
        )
    if (pending := fund.reversing.get(str(entry.entry_id))) is not None:
        raise ReversalPending(
            "Bút toán này đang chờ duyệt hủy; hãy chờ người duyệt quyết định yêu cầu đó.",
            entry_id=str(entry.entry_id),
            pending_id=pending,
        )
    reason = normalise(reason)
    if not reason:
        raise InvalidInput("reason", "Cần ghi lý do hủy bút toán.")
    check_date(fund, today, today)
    goods = goods_moved_back(entry)
    if goods is not None and goods["quantity"] < 0:
        check_in_stock(fund, goods, -goods["quantity"])
    holding = moved_back(entry)
    if holding is not None and holding["amount"] < 0:
        check_held(fund.holdings, holding["currency"], holding["held_in"], -holding["amount"])
    # What the reversal takes out of the fund's đồng: its effect less the currency it moves.
    dong_taken = entry.effect + (holding["value"] if holding is not None else 0)
    if fund.available - dong_taken < 0:
        raise InsufficientFunds(
            "Hủy bút toán này sẽ làm số dư của quỹ xuống dưới 0. Hãy nhận thêm tiền vào quỹ "
            "trước khi hủy."
            if fund.reserved == 0
            else "Hủy bút toán này sẽ làm số dư của quỹ thấp hơn "
            f"{vnd(fund.reserved)} đang giữ cho các khoản chi chờ duyệt. Hãy quyết định "
            "các khoản chờ duyệt hoặc nhận thêm tiền vào quỹ trước.",
            balance=fund.balance,
            available=fund.available,
        )
    facts: dict[str, Any] = {
        "meta": meta,
        "occurred_on": today,
        "amount": entry.amount,
        "reversed_entry_id": entry.entry_id,
        "reversed_kind": entry.kind.value,
        "reversed_effect": entry.effect,
        "reason": reason,
    }
    hold = Controls.of(controls).reversal_hold(entry.amount)
    if hold is not None:
        taken = None if holding is None else dong_taken
        fund.trigger_event(
            fund.ReversalRequested, **facts, held_because=hold.value, dong_taken=taken
        )
        return
    fund.trigger_event(fund.EntryReversed, **facts, reversed_goods=goods, reversed_holding=holding)


def goods_moved_back(entry: Fund.EntryRecorded) -> dict[str, Any] | None:
    """The goods a reversal of ``entry`` moves, with the signed quantity it moves."""
    goods = getattr(entry, "in_kind", None)
    if goods is None:
        return None
    sign = -1 if entry.kind is EntryKind.RECEIPT else 1
    return {**goods, "quantity": sign * goods["quantity"]}
