"""What a fund holds, read off its state: the numbers of its next slips, the money it
reserves and may still pay, and how its events change its goods and its payments made
without an approver. ``Fund`` (``service.domain.funds``) takes these from here."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import Any
from uuid import UUID

from service.domain.currency import Holding
from service.domain.entries import stock_after


class FundState:
    """The state a fund's events build, with what is read off it. The class attributes
    are what a fund restored from a snapshot taken before each of them was kept has:
    no payments pending, no slips given, no goods, no currency."""

    balance: int
    pending: Mapping[str, int] = MappingProxyType({})
    slips: Mapping[str, int] = MappingProxyType({})
    payment_slips: Mapping[str, int] = MappingProxyType({})
    stock: Mapping[str, int] = MappingProxyType({})
    plausibility_limit: int | None = None
    unapproved: Mapping[str, int] = MappingProxyType({})
    approved_entry: UUID | None = None
    reversing: Mapping[str, str] = MappingProxyType({})
    holdings: Mapping[str, Holding] = MappingProxyType({})

    def next_slip_no(self, occurred_on: date) -> int:
        """The number of the next receipt slip in the accounting year of ``occurred_on``."""
        return self.slips.get(str(occurred_on.year), 0) + 1

    def next_payment_slip_no(self, occurred_on: date) -> int:
        """The number of the next payment slip in the accounting year of ``occurred_on``."""
        return self.payment_slips.get(str(occurred_on.year), 0) + 1

    @property
    def reserved(self) -> int:
        """Money set aside for payments awaiting approval."""
        return sum(self.pending.values())

    @property
    def dong(self) -> int:
        """The đồng the fund holds: its balance less the carrying value of its currency."""
        return self.balance - sum(held["value"] for held in self.holdings.values())

    @property
    def available(self) -> int:
        """What may still be paid out in đồng: the đồng held less the money reserved."""
        return self.dong - self.reserved

    def count_payment(self, entry_id: UUID, amount: int, groups: tuple[str, ...]) -> None:
        """Adds a payment made without an approver to each of its groups."""
        if entry_id == self.approved_entry:
            return
        added = {group: self.unapproved.get(group, 0) + amount for group in groups}
        self.unapproved = {**self.unapproved, **added}

    def move_stock(self, goods: Mapping[str, Any], quantity: int) -> None:
        self.stock = stock_after(self.stock, goods, quantity)
