"""Funds: the accounts a unit holds, and every entry of money in and out of them.

A fund's entries are the events of its aggregate, ``Fund``. The events stay nested in
the aggregate, in this module: the stored events name their class by module and
qualified name (``service.domain.funds:Fund.ReceiptRecorded``). What a fund records
(receipts, disbursements, their donors and goods, the ids of entries) is in ``entries``;
the rules of each command are in ``recording``, ``approvals``, ``reversals`` and
``transfers``, and the aggregate takes its commands from there.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, ClassVar, cast
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate, AggregateCreated, AggregateEvent

from service.domain import approvals, exchange, recording, reversals
from service.domain.actors import Meta
from service.domain.controls import Hold, group_day, payment_groups
from service.domain.copying import FlatCopy
from service.domain.currency import Holding, holdings_after
from service.domain.entries import (
    EARLIEST_VOUCHER_DATE,
    Disbursement,
    Donor,
    InKind,
    Receipt,
    entry_id_for,
    entry_version,
    needs_approval,
    slip_reference,
    stock_item,
)
from service.domain.exchange import holding_moved
from service.domain.fund_state import FundState
from service.domain.text import required_name
from service.domain.transfers import transfer
from service.domain.vocabulary import GOODS_CHANNELS, EntryKind, FundKind

__all__ = [
    "EARLIEST_VOUCHER_DATE",
    "Disbursement",
    "Donor",
    "Fund",
    "InKind",
    "Receipt",
    "entry_id_for",
    "entry_version",
    "needs_approval",
    "slip_reference",
    "stock_item",
    "transfer",
]


class Fund(FlatCopy, Aggregate, FundState):
    """A fund held by one unit. Its balance never goes below zero, and money reserved for
    payments awaiting approval cannot be spent twice."""

    class Opened(AggregateCreated):
        unit_id: UUID
        unit_path: list[UUID]
        name: str
        kind: str
        meta: Meta

    def __init__(
        self, unit_id: UUID, unit_path: list[UUID], name: str, kind: str, meta: Meta
    ) -> None:
        self.unit_id = unit_id
        self.unit_path = unit_path
        self.name = name
        self.kind = kind
        self.balance = 0
        self.closed_through: date | None = None
        self.reversed: list[UUID] = []
        #: Amounts reserved for payments awaiting approval, by pending id; replaced by
        #: each event, never changed in place.
        self.pending: Mapping[str, int] = {}
        #: The last receipt slip number given in each accounting year (the voucher's
        #: calendar year); replaced by each receipt, never changed in place.
        self.slips: Mapping[str, int] = {}
        #: The same for payment slips (phiếu chi).
        self.payment_slips: Mapping[str, int] = {}
        #: Goods held (off balance), by ``stock_item``; replaced by each event.
        self.stock: Mapping[str, int] = {}
        #: The fund's own plausibility limit; None: the default of its unit's level.
        self.plausibility_limit: int | None = None
        #: What was paid without an approver, by day and purpose or payee (see
        #: ``controls.payment_groups``), over the open period; replaced by each event.
        self.unapproved: Mapping[str, int] = {}
        #: The entry that the last approval announced: it counts as approved.
        self.approved_entry: UUID | None = None
        #: The pending reversal of each entry whose reversal awaits approval.
        self.reversing: Mapping[str, str] = {}
        #: Foreign currency held (``currency.Holding``, by ``holding_key``); ``balance``
        #: counts its carrying value beside the đồng. Replaced by each event.
        self.holdings: Mapping[str, Holding] = {}

    @classmethod
    def open(
        cls, unit_id: UUID, unit_path: list[UUID], name: str, kind: FundKind, meta: Meta
    ) -> Fund:
        return cls._create(
            cls.Opened,
            id=uuid4(),
            unit_id=unit_id,
            unit_path=unit_path,
            name=required_name("name", name),
            kind=kind.value,
            meta=meta,
        )

    @property
    def next_entry_id(self) -> UUID:
        return entry_id_for(self.id, self.version + 1)

    # Entry events ---------------------------------------------------------

    class EntryRecorded(AggregateEvent):
        """An entry of the ledger; ``effect`` is what it does to the balance."""

        kind: ClassVar[EntryKind]
        #: +1 for money in, -1 for money out.
        direction: ClassVar[int]

        meta: Meta
        occurred_on: date
        amount: int

        @property
        def entry_id(self) -> UUID:
            return entry_id_for(self.originator_id, self.originator_version)

        @property
        def effect(self) -> int:
            return self.direction * self.amount

        def apply(self, aggregate: Any) -> None:
            cast(Fund, aggregate).balance += self.effect

    class ReceiptRecorded(EntryRecorded):
        channel: str
        donor_name: str | None
        donor_kind: str
        voucher_no: str | None
        bank_ref: str | None
        pledge_id: UUID | None
        in_kind: dict[str, Any] | None
        note: str | None
        #: The receipt slip's number, consecutive per fund and accounting year; 0 for a
        #: receipt that takes none (a bank credit, goods) or was recorded before slips
        #: were numbered.
        slip_no: int
        #: The account of a bank transfer's sender, masked to its last three digits; none
        #: on receipts recorded before statements named it.
        donor_account: str | None = None
        campaign_id: UUID | None = None  # the campaign (cuộc vận động) it counts in
        #: A gift in a currency: its code, minor units, the rate entered (exact, as text;
        #: none when the bank converted) and its source; ``amount`` is its đồng value.
        currency: str | None = None
        foreign_amount: int | None = None
        rate: str | None = None
        rate_source: str | None = None

        kind = EntryKind.RECEIPT
        direction = 1
        #: Version 2 numbers its slip; receipts stored before (version 1) have none.
        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state.setdefault("slip_no", 0)

        @property
        def effect(self) -> int:
            return 0 if self.channel in GOODS_CHANNELS else self.amount

        @property
        def slip_ref(self) -> str | None:
            if not self.slip_no:
                return None
            return slip_reference(self.originator_id, self.occurred_on.year, self.slip_no)

        def apply(self, aggregate: Any) -> None:
            fund = cast(Fund, aggregate)
            fund.balance += self.effect
            if self.slip_no:
                fund.slips = {**fund.slips, str(self.occurred_on.year): self.slip_no}
            if self.in_kind is not None:
                fund.move_stock(self.in_kind, self.in_kind["quantity"])
            if (moved := holding_moved(self)) is not None:
                fund.holdings = holdings_after(fund.holdings, moved)

    class DisbursementRecorded(EntryRecorded):
        category: str
        household_id: UUID | None
        house_project_id: UUID | None
        grant_id: UUID | None
        voucher_no: str | None
        note: str | None
        #: Why support repeated within the year (events recorded before it lack it).
        repeat_reason: str | None = None
        #: A scholarship's student, the name sealed (events recorded before it lack it).
        student: dict[str, str] | None = None
        #: Goods given out of the fund's stock; then ``amount`` is their value.
        in_kind: dict[str, Any] | None = None
        #: ``cash`` or ``bank``; none on events recorded before (paid in cash).
        channel: str | None = None
        #: The bank's payment order (ủy nhiệm chi) of a payment by bank.
        bank_ref: str | None = None
        #: The payment slip's number (phiếu chi) of a payment in cash, consecutive per
        #: fund and accounting year in the order issued; 0 when it takes none.
        slip_no: int = 0
        campaign_id: UUID | None = None  # the campaign (cuộc vận động) it counts in

        kind = EntryKind.DISBURSEMENT
        direction = -1

        @property
        def effect(self) -> int:
            return 0 if self.in_kind is not None else -self.amount

        @property
        def slip_ref(self) -> str | None:
            if not self.slip_no:
                return None
            return slip_reference(
                self.originator_id, self.occurred_on.year, self.slip_no, prefix="PC"
            )

        def apply(self, aggregate: Any) -> None:
            fund = cast(Fund, aggregate)
            fund.balance += self.effect
            if self.slip_no:
                fund.payment_slips = {
                    **fund.payment_slips,
                    str(self.occurred_on.year): self.slip_no,
                }
            if self.in_kind is not None:
                fund.move_stock(self.in_kind, -self.in_kind["quantity"])
            else:
                fund.count_payment(
                    self.entry_id,
                    self.amount,
                    payment_groups(
                        self.occurred_on,
                        category=self.category,
                        household_id=self.household_id,
                        house_project_id=self.house_project_id,
                    ),
                )

    class TransferSent(EntryRecorded):
        to_fund_id: UUID
        counterpart_entry_id: UUID
        note: str | None

        kind = EntryKind.TRANSFER_OUT
        direction = -1

        def apply(self, aggregate: Any) -> None:
            fund = cast(Fund, aggregate)
            fund.balance += self.effect
            fund.count_payment(
                self.entry_id,
                self.amount,
                payment_groups(self.occurred_on, to_fund_id=self.to_fund_id),
            )

    class TransferReceived(EntryRecorded):
        from_fund_id: UUID
        counterpart_entry_id: UUID
        note: str | None

        kind = EntryKind.TRANSFER_IN
        direction = 1

    class CurrencySold(EntryRecorded):
        """Foreign currency sold for đồng: ``amount`` is the đồng received; the holding
        goes out at ``carrying_value`` (average cost), the difference is the exchange
        gain (positive) or loss."""

        currency: str
        foreign_amount: int
        carrying_value: int
        channel: str
        bank_ref: str | None
        note: str | None

        kind = EntryKind.CURRENCY_SALE
        direction = 1

        @property
        def effect(self) -> int:
            return self.amount - self.carrying_value

        def apply(self, aggregate: Any) -> None:
            fund = cast(Fund, aggregate)
            fund.balance += self.effect
            moved = holding_moved(self)
            assert moved is not None
            fund.holdings = holdings_after(fund.holdings, moved)

    class EntryReversed(EntryRecorded):
        """A correction that cancels an earlier entry; the earlier entry stays in the log."""

        reversed_entry_id: UUID
        reversed_kind: str
        reversed_effect: int
        reason: str
        #: The goods of the reversed entry, with the quantity the reversal moves back
        #: (negative for goods received, positive for goods given out).
        reversed_goods: dict[str, Any] | None
        #: The foreign currency the reversal moves back: ``currency``, where it is
        #: ``held_in`` (bank or cash), ``amount`` in minor units and ``value`` in đồng,
        #: signed as they move (none for đồng entries).
        reversed_holding: dict[str, Any] | None = None

        kind = EntryKind.REVERSAL
        direction = -1

        @property
        def effect(self) -> int:
            return -self.reversed_effect

        def apply(self, aggregate: Any) -> None:
            fund = cast(Fund, aggregate)
            fund.balance += self.effect
            fund.reversed.append(self.reversed_entry_id)
            if self.reversed_goods is not None:
                fund.move_stock(self.reversed_goods, self.reversed_goods["quantity"])
            if self.reversed_holding is not None:
                fund.holdings = holdings_after(fund.holdings, self.reversed_holding)

    # Payments awaiting approval (maker-checker) ----------------------------------

    class PaymentRequested(AggregateEvent):
        """A payment above the unit's approval threshold: its amount is reserved until an
        approver decides. Its id is derived from the fund and version, like an entry's."""

        kind: ClassVar[EntryKind]

        meta: Meta
        occurred_on: date
        amount: int
        #: Why it waits (``controls.Hold``).
        held_because: str

        #: Version 2 says why it waits; requests stored before (version 1) waited for
        #: the approval threshold, the only control there was.
        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state.setdefault("held_because", Hold.THRESHOLD.value)

        @property
        def pending_id(self) -> UUID:
            return entry_id_for(self.originator_id, self.originator_version)

        @property
        def reserves(self) -> int:
            """The money set aside until the decision: what the payment would take out."""
            return self.amount

        def apply(self, aggregate: Any) -> None:
            fund = cast(Fund, aggregate)
            fund.pending = {**fund.pending, str(self.pending_id): self.reserves}

    class DisbursementRequested(PaymentRequested):
        category: str
        household_id: UUID | None
        house_project_id: UUID | None
        grant_id: UUID | None
        voucher_no: str | None
        note: str | None
        repeat_reason: str | None = None
        student: dict[str, str] | None = None
        channel: str | None = None
        bank_ref: str | None = None
        campaign_id: UUID | None = None  # the campaign (cuộc vận động) it counts in

        kind = EntryKind.DISBURSEMENT

    class TransferRequested(PaymentRequested):
        to_fund_id: UUID
        note: str | None

        kind = EntryKind.TRANSFER_OUT

    class ReceiptRequested(PaymentRequested):
        """A receipt above the fund's plausibility limit: recorded (and its slip numbered)
        only when an approver confirms it. Nothing is reserved: no money goes out."""

        channel: str
        donor_name: str | None
        donor_kind: str
        voucher_no: str | None
        bank_ref: str | None
        pledge_id: UUID | None
        in_kind: dict[str, Any] | None
        note: str | None
        surplus_as_gift: bool
        donor_account: str | None = None
        campaign_id: UUID | None = None  # the campaign (cuộc vận động) it counts in
        currency: str | None = None
        foreign_amount: int | None = None
        rate: str | None = None
        rate_source: str | None = None

        kind = EntryKind.RECEIPT

        @property
        def reserves(self) -> int:
            return 0

    class ReversalRequested(PaymentRequested):
        """A reversal above the threshold or the plausibility limit, awaiting an approver.
        The money a reversal would take out (a receipt's) is reserved meanwhile, and no
        other reversal of the entry may be asked for."""

        reversed_entry_id: UUID
        reversed_kind: str
        reversed_effect: int
        reason: str
        #: The đồng a reversal of an entry in a currency takes out (its effect counts
        #: the currency); none for an entry in đồng.
        dong_taken: int | None = None

        kind = EntryKind.REVERSAL

        @property
        def reserves(self) -> int:
            taken = self.reversed_effect if self.dong_taken is None else self.dong_taken
            return max(taken, 0)

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            fund = cast(Fund, aggregate)
            fund.reversing = {**fund.reversing, str(self.reversed_entry_id): str(self.pending_id)}

    class PaymentDecided(AggregateEvent):
        """An approver's decision on a payment; either way its reservation is released."""

        meta: Meta
        pending_id: UUID
        #: The money the decision releases (the amount the request reserved).
        amount: int

        def apply(self, aggregate: Any) -> None:
            fund = cast(Fund, aggregate)
            released = str(self.pending_id)
            fund.pending = {key: amount for key, amount in fund.pending.items() if key != released}
            fund.reversing = {
                entry: pending for entry, pending in fund.reversing.items() if pending != released
            }

    class PaymentApproved(PaymentDecided):
        """Followed at once by the entry that records the payment, named ``entry_id``."""

        entry_id: UUID
        note: str | None

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            cast(Fund, aggregate).approved_entry = self.entry_id

    class PaymentRejected(PaymentDecided):
        reason: str

    class PeriodClosed(AggregateEvent):
        meta: Meta
        through: date

        def apply(self, aggregate: Any) -> None:
            fund = cast(Fund, aggregate)
            fund.closed_through = self.through
            # Nothing can be paid any more on a closed day: its sums are no longer needed.
            closed = self.through.isoformat()
            fund.unapproved = {
                group: paid for group, paid in fund.unapproved.items() if group_day(group) > closed
            }

    class PlausibilityLimitSet(AggregateEvent):
        """The fund's own plausibility limit; None returns it to its level's default."""

        meta: Meta
        amount: int | None

        def apply(self, aggregate: Any) -> None:
            cast(Fund, aggregate).plausibility_limit = self.amount

    # Commands: each checks the rules, then records the event ------------------

    #: A treasurer's entries and the fund's own settings (``recording``).
    record_receipt = recording.record_receipt
    record_disbursement = recording.record_disbursement
    close_period = recording.close_period
    set_plausibility_limit = recording.set_plausibility_limit
    #: An approver's decisions on what awaits approval (``approvals``).
    approve = approvals.approve
    reject = approvals.reject
    #: The reversal of an entry (``reversals``); transfers are ``transfers.transfer``.
    reverse = reversals.reverse
    #: Foreign currency sold for đồng (``exchange``).
    sell_currency = exchange.sell_currency
