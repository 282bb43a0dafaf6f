"""How a fund records what its treasurer enters: receipts and disbursements, the close
of a period and its own plausibility limit, and the rules checked before any entry (its
date, the money and the goods the fund holds)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from service.domain.actors import Meta
from service.domain.controls import Controls, checked_limit, payment_groups
from service.domain.entries import (
    CASH_CHANNELS,
    EARLIEST_VOUCHER_DATE,
    PAID_IN_CASH,
    Disbursement,
    Receipt,
    optional_text,
    stock_item,
)
from service.domain.errors import InsufficientFunds, InsufficientStock, InvalidInput, PeriodClosed
from service.domain.money import Money, vnd

if TYPE_CHECKING:
    from service.domain.funds import Fund


def record_receipt(
    fund: Fund, receipt: Receipt, today: date, meta: Meta, controls: Controls | None = None
) -> None:
    """Records the receipt, or above the fund's plausibility limit leaves it awaiting
    an approver (its slip is numbered when it is approved)."""
    check_date(fund, receipt.occurred_on, today)
    facts: dict[str, Any] = {
        "meta": meta,
        "occurred_on": receipt.occurred_on,
        "amount": receipt.amount.dong,
        "channel": receipt.channel.value,
        "donor_name": receipt.donor.public_name,
        "donor_kind": receipt.donor.kind.value,
        "donor_account": receipt.donor.account if receipt.donor.public_name else None,
        "voucher_no": optional_text(receipt.voucher_no),
        "bank_ref": optional_text(receipt.bank_ref),
        "pledge_id": receipt.pledge_id,
        "in_kind": receipt.in_kind.facts() if receipt.in_kind else None,
        "note": optional_text(receipt.note),
        "campaign_id": receipt.campaign_id,
        **(receipt.foreign.facts() if receipt.foreign else {}),
    }
    hold = Controls.of(controls).receipt_hold(receipt.amount.dong)
    if hold is not None:
        fund.trigger_event(
            fund.ReceiptRequested,
            **facts,
            surplus_as_gift=receipt.surplus_as_gift,
            held_because=hold.value,
        )
    else:
        fund.trigger_event(
            fund.ReceiptRecorded,
            **facts,
            slip_no=fund.next_slip_no(receipt.occurred_on)
            if receipt.channel in CASH_CHANNELS
            else 0,
        )


def record_disbursement(
    fund: Fund,
    disbursement: Disbursement,
    today: date,
    meta: Meta,
    approval_threshold: Controls | int | None = None,
) -> None:
    """Records the disbursement, or when the controls hold it (above the approval
    threshold, with the day's payments of its purpose or payee above it, or above
    the plausibility limit) reserves its amount and leaves it awaiting an approver.
    Goods given out of the stock move no money: they are checked against the stock
    and recorded at once."""
    check_date(fund, disbursement.occurred_on, today)
    goods = disbursement.in_kind.facts() if disbursement.in_kind else None
    if goods is not None:
        check_in_stock(fund, goods, goods["quantity"])
        hold = None
    else:
        check_has_sufficient_funds(fund, disbursement.amount)
        groups = payment_groups(
            disbursement.occurred_on,
            category=disbursement.category.value,
            household_id=disbursement.household_id,
            house_project_id=disbursement.house_project_id,
        )
        hold = Controls.of(approval_threshold).payment_hold(
            disbursement.amount.dong, unapproved_in(fund, groups)
        )
    in_cash = goods is None and disbursement.channel == PAID_IN_CASH
    fund.trigger_event(
        fund.DisbursementRequested if hold else fund.DisbursementRecorded,
        **(
            {"held_because": hold.value}
            if hold
            else {
                "in_kind": goods,
                "slip_no": fund.next_payment_slip_no(disbursement.occurred_on) if in_cash else 0,
            }
        ),
        channel=None if goods is not None else disbursement.channel,
        bank_ref=optional_text(disbursement.bank_ref),
        meta=meta,
        occurred_on=disbursement.occurred_on,
        amount=disbursement.amount.dong,
        category=disbursement.category.value,
        household_id=disbursement.household_id,
        house_project_id=disbursement.house_project_id,
        grant_id=disbursement.grant_id,
        voucher_no=optional_text(disbursement.voucher_no),
        note=optional_text(disbursement.note),
        repeat_reason=optional_text(disbursement.repeat_reason),
        student=disbursement.student,
        campaign_id=disbursement.campaign_id,
    )


def set_plausibility_limit(fund: Fund, amount: int | None, meta: Meta) -> None:
    """Sets the amount above which any entry of the fund waits for an approver;
    None returns the fund to the default of its unit's level."""
    fund.trigger_event(fund.PlausibilityLimitSet, meta=meta, amount=checked_limit(amount))


def close_period(fund: Fund, through: date, today: date, meta: Meta) -> None:
    """Closes the fund's books through ``through``: nothing is recorded on or before
    that day any more."""
    if through > today:
        raise InvalidInput(
            "through",
            "Không thể khóa sổ đến một ngày trong tương lai. Hãy chọn hôm nay hoặc ngày trước đó.",
        )
    if fund.closed_through is not None and through <= fund.closed_through:
        raise PeriodClosed(
            f"Sổ đã được khóa đến ngày {fund.closed_through:%d/%m/%Y}; "
            "hãy chọn một ngày sau ngày đó.",
            closed_through=fund.closed_through.isoformat(),
        )
    fund.trigger_event(fund.PeriodClosed, meta=meta, through=through)


def check_date(fund: Fund, occurred_on: date, today: date) -> None:
    """Refuses a voucher dated in the future, before 1990 or in a closed period."""
    if occurred_on > today:
        raise InvalidInput(
            "occurred_on", "Ngày chứng từ không được ở tương lai. Hãy nhập lại ngày."
        )
    if occurred_on < EARLIEST_VOUCHER_DATE:
        raise InvalidInput(
            "occurred_on", "Ngày chứng từ quá xa trong quá khứ. Hãy kiểm tra lại ngày."
        )
    if fund.closed_through is not None and occurred_on <= fund.closed_through:
        raise PeriodClosed(
            f"Sổ của quỹ này đã khóa đến ngày {fund.closed_through:%d/%m/%Y}; "
            "hãy ghi khoản này vào kỳ đang mở (sau ngày đó).",
            closed_through=fund.closed_through.isoformat(),
        )


def check_has_sufficient_funds(fund: Fund, amount: Money) -> None:
    """Refuses to pay out more than the fund holds beyond the money it reserves."""
    if amount.dong > fund.available:
        held = (
            f"còn {vnd(fund.balance)}"
            if fund.reserved == 0
            else f"còn {vnd(fund.balance)}, trong đó {vnd(fund.reserved)} đang giữ cho "
            f"các khoản chi chờ duyệt, nên chỉ dùng được {vnd(fund.available)}"
        )
        raise InsufficientFunds(
            f"Số dư của quỹ không đủ để chi {amount}: {held}. Hãy kiểm tra lại số tiền "
            "hoặc nhận thêm tiền vào quỹ trước.",
            balance=fund.balance,
            available=fund.available,
        )


def check_in_stock(fund: Fund, goods: Mapping[str, Any], quantity: int) -> None:
    """Refuses to give out more goods of one kind than the fund holds."""
    held = fund.stock.get(stock_item(goods), 0)
    if quantity > held:
        raise InsufficientStock(
            f"Quỹ chỉ còn {held} {goods['unit']} “{goods['description']}”, ít hơn {quantity}. "
            "Hãy kiểm tra lại số lượng hoặc nhận thêm hiện vật vào quỹ trước.",
            held=held,
        )


def unapproved_in(fund: Fund, groups: tuple[str, ...]) -> int:
    """The most paid without an approver in any of ``groups``."""
    return max((fund.unapproved.get(group, 0) for group in groups), default=0)
