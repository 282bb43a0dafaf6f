"""Transfers (điều tiết): money moved from one fund to another, both sides recorded
together or not at all."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from service.domain.actors import Meta
from service.domain.controls import Controls, payment_groups
from service.domain.entries import optional_text
from service.domain.errors import InvalidInput
from service.domain.money import Money
from service.domain.recording import check_date, check_has_sufficient_funds, unapproved_in

if TYPE_CHECKING:
    from service.domain.funds import Fund


def transfer(
    source: Fund,
    destination: Fund,
    amount: Money,
    occurred_on: date,
    note: str | None,
    today: date,
    meta: Meta,
    approval_threshold: Controls | int | None = None,
) -> None:
    """Moves money between two funds: both sides are recorded together or not at all.
    When the source's controls hold it, the source only reserves the amount, awaiting an
    approver."""
    if source.id == destination.id:
        raise InvalidInput(
            "to_fund_id", "Quỹ không thể điều tiết tiền cho chính nó. Hãy chọn quỹ nhận khác."
        )
    check_date(source, occurred_on, today)
    check_date(destination, occurred_on, today)
    check_has_sufficient_funds(source, amount)
    groups = payment_groups(occurred_on, to_fund_id=destination.id)
    hold = Controls.of(approval_threshold).payment_hold(amount.dong, unapproved_in(source, groups))
    if hold is not None:
        source.trigger_event(
            source.TransferRequested,
            held_because=hold.value,
            meta=meta,
            occurred_on=occurred_on,
            amount=amount.dong,
            to_fund_id=destination.id,
            note=optional_text(note),
        )
    else:
        record_transfer(source, destination, amount.dong, occurred_on, optional_text(note), meta)


def record_transfer(
    source: Fund, destination: Fund, amount: int, occurred_on: date, note: str | None, meta: Meta
) -> None:
    """Records both sides of a transfer, each naming the other's entry."""
    sent_id, received_id = source.next_entry_id, destination.next_entry_id
    source.trigger_event(
        source.TransferSent,
        meta=meta,
        occurred_on=occurred_on,
        amount=amount,
        to_fund_id=destination.id,
        counterpart_entry_id=received_id,
        note=note,
    )
    destination.trigger_event(
        destination.TransferReceived,
        meta=meta,
        occurred_on=occurred_on,
        amount=amount,
        from_fund_id=source.id,
        counterpart_entry_id=sent_id,
        note=note,
    )
