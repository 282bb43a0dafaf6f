"""Funds: the accounts a unit holds, and every entry of money in and out of them.

A fund's entries are the events of its aggregate. The id of an entry is derived
from the fund and the event's version, so an entry can be found again in the
store without an index and without replaying the fund's history.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Any, ClassVar, cast
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate, AggregateCreated, AggregateEvent

from service.domain.actors import Meta
from service.domain.controls import Controls, Hold, checked_limit, group_day, payment_groups
from service.domain.errors import (
    AlreadyDecided,
    AlreadyReversed,
    ApproverIsRecorder,
    EntryNotFound,
    InsufficientFunds,
    InsufficientStock,
    InvalidInput,
    NotReversible,
    PaymentNotFound,
    PeriodClosed,
    ReversalPending,
)
from service.domain.money import Money, vnd
from service.domain.text import normalise, required_name
from service.domain.vocabulary import (
    GOODS_CHANNELS,
    Category,
    Channel,
    DonorKind,
    EntryKind,
    FundKind,
)

#: No voucher may be dated before this day.
EARLIEST_VOUCHER_DATE = date(1990, 1, 1)


def entry_id_for(fund_id: UUID, version: int) -> UUID:
    """The id of the entry recorded as version ``version`` of the fund."""
    return UUID(bytes=fund_id.bytes[:8] + version.to_bytes(8, "big"))


def slip_reference(fund_id: UUID, year: int, slip_no: int, prefix: str = "PT") -> str:
    """The text by which anyone finds a cash slip, a receipt slip (phiếu thu, PT) or a
    payment slip (phiếu chi, PC): the number alone repeats in every fund and year, so the
    year and 48 bits of the fund's id go with it."""
    return f"{prefix}-{year}-{slip_no:06d}-{fund_id.hex[:12].upper()}"


#: The channels by which money comes into the fund's cash box: their receipts take a
#: receipt slip (phiếu thu). A bank credit carries the bank's credit advice (giấy báo Có,
#: its ``bank_ref``) instead, and goods take no money slip.
CASH_CHANNELS = frozenset(c for c in Channel if c is not Channel.BANK and not c.is_goods)
#: How a disbursement is paid: from the cash box, with a payment slip (phiếu chi), or from
#: the bank account, with the bank's payment order (ủy nhiệm chi, its ``bank_ref``).
PAID_IN_CASH, PAID_BY_BANK = "cash", "bank"


def entry_version(fund_id: UUID, entry_id: UUID) -> int | None:
    """The fund version at which ``entry_id`` was recorded, or None if it is not the fund's."""
    if entry_id.bytes[:8] != fund_id.bytes[:8]:
        return None
    return int.from_bytes(entry_id.bytes[8:], "big")


@dataclass(frozen=True)
class Donor:
    name: str | None
    kind: DonorKind
    #: The account the gift came from, masked to its last three digits (a bank statement's).
    account: str | None = None

    def __post_init__(self) -> None:
        if self.kind is not DonorKind.ANONYMOUS and not normalise(self.name or ""):
            raise InvalidInput(
                "donor.name",
                "Cần có tên người ủng hộ, trừ khi ủng hộ ẩn danh. Hãy nhập tên hoặc chọn ẩn danh.",
            )

    @property
    def public_name(self) -> str | None:
        """The name kept in the ledger: none at all for a gift given anonymously."""
        if self.kind is DonorKind.ANONYMOUS:
            return None
        return normalise(self.name or "") or None


@dataclass(frozen=True)
class InKind:
    """Goods donated instead of money: counted by quantity and valued in đồng."""

    description: str
    quantity: int
    unit: str

    def __post_init__(self) -> None:
        if isinstance(self.quantity, bool) or not isinstance(self.quantity, int):
            raise InvalidInput(
                "in_kind.quantity", "Số lượng phải là số nguyên. Hãy nhập lại số lượng."
            )
        if self.quantity <= 0:
            raise InvalidInput(
                "in_kind.quantity", "Số lượng phải lớn hơn 0. Hãy nhập lại số lượng."
            )

    def facts(self) -> dict[str, Any]:
        """The goods as events record them, names normalised."""
        return {
            "description": required_name("in_kind.description", self.description),
            "quantity": self.quantity,
            "unit": required_name("in_kind.unit", self.unit, max_length=50),
        }


def stock_item(goods: Mapping[str, Any]) -> str:
    """The key under which a fund counts goods of one kind: the same description and
    unit of measure, whatever their case or spacing ("Gạo"/"bao" and "gạo "/"Bao")."""
    return f"{normalise(goods['description']).casefold()}|{normalise(goods['unit']).casefold()}"


@dataclass(frozen=True)
class Receipt:
    amount: Money
    occurred_on: date
    donor: Donor
    channel: Channel
    voucher_no: str | None = None
    bank_ref: str | None = None
    pledge_id: UUID | None = None
    in_kind: InKind | None = None
    note: str | None = None
    #: With ``pledge_id``: what exceeds the pledge's outstanding amount is a plain gift.
    surplus_as_gift: bool = False

    def __post_init__(self) -> None:
        if self.channel.is_goods != (self.in_kind is not None):
            raise InvalidInput(
                "in_kind",
                "Chỉ ghi hiện vật (in_kind) khi hình thức là hiện vật (in_kind), "
                "và khi đó phải ghi. "
                "Hãy sửa lại hình thức hoặc phần mô tả hiện vật.",
            )


@dataclass(frozen=True)
class Disbursement:
    amount: Money
    occurred_on: date
    category: Category
    household_id: UUID | None = None
    house_project_id: UUID | None = None
    grant_id: UUID | None = None
    voucher_no: str | None = None
    note: str | None = None
    #: Why the household is supported again this year in the same category.
    repeat_reason: str | None = None
    #: A scholarship's student, sealed by the application: the name as ciphertext under
    #: the household's key, a blind index of it, the school and the school year.
    student: dict[str, str] | None = None
    #: Goods from the fund's stock given out instead of money, valued at ``amount``.
    in_kind: InKind | None = None
    #: ``cash`` (a payment slip is numbered) or ``bank`` (the bank's payment order).
    channel: str = PAID_IN_CASH
    bank_ref: str | None = None

    def __post_init__(self) -> None:
        if self.channel not in (PAID_IN_CASH, PAID_BY_BANK):
            raise InvalidInput("channel", "A payment is made in cash or by bank.")


def needs_approval(amount: int, approval_threshold: int | None) -> bool:
    """Whether a payment of ``amount`` waits for an approver under the unit's threshold."""
    return approval_threshold is not None and amount > approval_threshold


class Fund(Aggregate):
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
    def available(self) -> int:
        """What may still be paid out: the balance less the money reserved."""
        return self.balance - self.reserved

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

    class EntryReversed(EntryRecorded):
        """A correction that cancels an earlier entry; the earlier entry stays in the log."""

        reversed_entry_id: UUID
        reversed_kind: str
        reversed_effect: int
        reason: str
        #: The goods of the reversed entry, with the quantity the reversal moves back
        #: (negative for goods received, positive for goods given out).
        reversed_goods: dict[str, Any] | None

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

        kind = EntryKind.REVERSAL

        @property
        def reserves(self) -> int:
            return max(self.reversed_effect, 0)

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

    # Commands --------------------------------------------------------------

    def record_receipt(
        self, receipt: Receipt, today: date, meta: Meta, controls: Controls | None = None
    ) -> None:
        """Records the receipt, or above the fund's plausibility limit leaves it awaiting
        an approver (its slip is numbered when it is approved)."""
        self._check_date(receipt.occurred_on, today)
        facts: dict[str, Any] = {
            "meta": meta,
            "occurred_on": receipt.occurred_on,
            "amount": receipt.amount.dong,
            "channel": receipt.channel.value,
            "donor_name": receipt.donor.public_name,
            "donor_kind": receipt.donor.kind.value,
            "donor_account": receipt.donor.account if receipt.donor.public_name else None,
            "voucher_no": _optional(receipt.voucher_no),
            "bank_ref": _optional(receipt.bank_ref),
            "pledge_id": receipt.pledge_id,
            "in_kind": receipt.in_kind.facts() if receipt.in_kind else None,
            "note": _optional(receipt.note),
        }
        hold = Controls.of(controls).receipt_hold(receipt.amount.dong)
        if hold is not None:
            self.trigger_event(
                self.ReceiptRequested,
                **facts,
                surplus_as_gift=receipt.surplus_as_gift,
                held_because=hold.value,
            )
        else:
            self.trigger_event(
                self.ReceiptRecorded,
                **facts,
                slip_no=self.next_slip_no(receipt.occurred_on)
                if receipt.channel in CASH_CHANNELS
                else 0,
            )

    def record_disbursement(
        self,
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
        self._check_date(disbursement.occurred_on, today)
        goods = disbursement.in_kind.facts() if disbursement.in_kind else None
        if goods is not None:
            self._check_in_stock(goods, goods["quantity"])
            hold = None
        else:
            self._check_has_sufficient_funds(disbursement.amount)
            groups = payment_groups(
                disbursement.occurred_on,
                category=disbursement.category.value,
                household_id=disbursement.household_id,
                house_project_id=disbursement.house_project_id,
            )
            hold = Controls.of(approval_threshold).payment_hold(
                disbursement.amount.dong, self.unapproved_in(groups)
            )
        in_cash = goods is None and disbursement.channel == PAID_IN_CASH
        self.trigger_event(
            self.DisbursementRequested if hold else self.DisbursementRecorded,
            **(
                {"held_because": hold.value}
                if hold
                else {
                    "in_kind": goods,
                    "slip_no": self.next_payment_slip_no(disbursement.occurred_on)
                    if in_cash
                    else 0,
                }
            ),
            channel=None if goods is not None else disbursement.channel,
            bank_ref=_optional(disbursement.bank_ref),
            meta=meta,
            occurred_on=disbursement.occurred_on,
            amount=disbursement.amount.dong,
            category=disbursement.category.value,
            household_id=disbursement.household_id,
            house_project_id=disbursement.house_project_id,
            grant_id=disbursement.grant_id,
            voucher_no=_optional(disbursement.voucher_no),
            note=_optional(disbursement.note),
            repeat_reason=_optional(disbursement.repeat_reason),
            student=disbursement.student,
        )

    def approve(
        self,
        requested: PaymentRequested,
        destination: Fund | None,
        today: date,
        meta: Meta,
        note: str | None = None,
        reversed_entry: EntryRecorded | None = None,
    ) -> None:
        """Records the entry as the recorder asked (a transfer into ``destination``, the
        reversal of ``reversed_entry``) and releases its reservation. A reversal is dated
        the day it is approved, in the open period."""
        self._check_decidable(requested, meta)
        if isinstance(requested, Fund.ReversalRequested):
            if reversed_entry is None or reversed_entry.entry_id != requested.reversed_entry_id:
                raise InvalidInput("entry_id", "Cần chọn bút toán cần hủy.")
        else:
            self._check_date(requested.occurred_on, today)
        if isinstance(requested, Fund.TransferRequested):
            if destination is None or destination.id != requested.to_fund_id:
                raise InvalidInput("to_fund_id", "Cần chọn quỹ nhận tiền điều tiết.")
            destination._check_date(requested.occurred_on, today)
        self.trigger_event(
            self.PaymentApproved,
            meta=meta,
            pending_id=requested.pending_id,
            amount=requested.reserves,
            entry_id=entry_id_for(self.id, self.version + 2),
            note=_optional(note),
        )
        if isinstance(requested, Fund.ReversalRequested) and reversed_entry is not None:
            self.reverse(reversed_entry, requested.reason, today, requested.meta)
        elif isinstance(requested, Fund.ReceiptRequested):
            self.trigger_event(
                self.ReceiptRecorded,
                meta=requested.meta,
                slip_no=self.next_slip_no(requested.occurred_on)
                if requested.channel in CASH_CHANNELS
                else 0,
                **{name: getattr(requested, name) for name in _RECEIPT_FACTS},
            )
        elif isinstance(requested, Fund.DisbursementRequested):
            # The payment slip is issued now, when the payment is made.
            in_cash = (requested.channel or PAID_IN_CASH) == PAID_IN_CASH
            self.trigger_event(
                self.DisbursementRecorded,
                meta=requested.meta,
                in_kind=None,
                slip_no=self.next_payment_slip_no(requested.occurred_on) if in_cash else 0,
                **{name: getattr(requested, name) for name in _DISBURSEMENT_FACTS},
            )
        elif destination is not None and isinstance(requested, Fund.TransferRequested):
            _record_transfer(
                self,
                destination,
                requested.amount,
                requested.occurred_on,
                requested.note,
                requested.meta,
            )

    def reject(self, requested: PaymentRequested, reason: str, meta: Meta) -> None:
        """Releases the payment's reservation; nothing is paid."""
        self._check_decidable(requested, meta)
        reason = normalise(reason)
        if not reason:
            raise InvalidInput("reason", "Cần ghi lý do từ chối khoản chi.")
        self.trigger_event(
            self.PaymentRejected,
            meta=meta,
            pending_id=requested.pending_id,
            amount=requested.reserves,
            reason=reason,
        )

    def reverse(
        self,
        entry: EntryRecorded,
        reason: str,
        today: date,
        meta: Meta,
        controls: Controls | None = None,
    ) -> None:
        """Cancels ``entry`` with a reversal dated today, in the open period; when the
        controls hold it (an amount above the approval threshold or the plausibility
        limit), the reversal awaits an approver and the money it would take out is
        reserved."""
        if entry.originator_id != self.id:
            raise EntryNotFound(
                "Quỹ này không có bút toán với mã này. Hãy kiểm tra lại mã bút toán.",
                entry_id=str(entry.entry_id),
            )
        if isinstance(entry, Fund.EntryReversed):
            raise NotReversible(
                "Không thể hủy một bút toán hủy. Nếu cần, hãy ghi lại khoản gốc.",
                entry_id=str(entry.entry_id),
            )
        if entry.entry_id in self.reversed:
            raise AlreadyReversed(
                "Bút toán này đã được hủy rồi; không cần hủy lại.", entry_id=str(entry.entry_id)
            )
        if (pending := self.reversing.get(str(entry.entry_id))) is not None:
            raise ReversalPending(
                "Bút toán này đang chờ duyệt hủy; hãy chờ người duyệt quyết định yêu cầu đó.",
                entry_id=str(entry.entry_id),
                pending_id=pending,
            )
        reason = normalise(reason)
        if not reason:
            raise InvalidInput("reason", "Cần ghi lý do hủy bút toán.")
        self._check_date(today, today)
        goods = _goods_moved_back(entry)
        if goods is not None and goods["quantity"] < 0:
            self._check_in_stock(goods, -goods["quantity"])
        if self.available - entry.effect < 0:
            raise InsufficientFunds(
                "Hủy bút toán này sẽ làm số dư của quỹ xuống dưới 0. Hãy nhận thêm tiền vào quỹ "
                "trước khi hủy."
                if self.reserved == 0
                else "Hủy bút toán này sẽ làm số dư của quỹ thấp hơn "
                f"{vnd(self.reserved)} đang giữ cho các khoản chi chờ duyệt. Hãy quyết định "
                "các khoản chờ duyệt hoặc nhận thêm tiền vào quỹ trước.",
                balance=self.balance,
                available=self.available,
            )
        hold = Controls.of(controls).reversal_hold(entry.amount)
        if hold is not None:
            self.trigger_event(
                self.ReversalRequested,
                meta=meta,
                occurred_on=today,
                amount=entry.amount,
                reversed_entry_id=entry.entry_id,
                reversed_kind=entry.kind.value,
                reversed_effect=entry.effect,
                reason=reason,
                held_because=hold.value,
            )
            return
        self.trigger_event(
            self.EntryReversed,
            meta=meta,
            occurred_on=today,
            amount=entry.amount,
            reversed_entry_id=entry.entry_id,
            reversed_kind=entry.kind.value,
            reversed_effect=entry.effect,
            reason=reason,
            reversed_goods=goods,
        )

    def set_plausibility_limit(self, amount: int | None, meta: Meta) -> None:
        """Sets the amount above which any entry of the fund waits for an approver;
        None returns the fund to the default of its unit's level."""
        self.trigger_event(self.PlausibilityLimitSet, meta=meta, amount=checked_limit(amount))

    def unapproved_in(self, groups: tuple[str, ...]) -> int:
        """The most paid without an approver in any of ``groups``."""
        return max((self.unapproved.get(group, 0) for group in groups), default=0)

    def count_payment(self, entry_id: UUID, amount: int, groups: tuple[str, ...]) -> None:
        """Adds a payment made without an approver to each of its groups."""
        if entry_id == self.approved_entry:
            return
        added = {group: self.unapproved.get(group, 0) + amount for group in groups}
        self.unapproved = {**self.unapproved, **added}

    def close_period(self, through: date, today: date, meta: Meta) -> None:
        if through > today:
            raise InvalidInput(
                "through",
                "Không thể khóa sổ đến một ngày trong tương lai. "
                "Hãy chọn hôm nay hoặc ngày trước đó.",
            )
        if self.closed_through is not None and through <= self.closed_through:
            raise PeriodClosed(
                f"Sổ đã được khóa đến ngày {self.closed_through:%d/%m/%Y}; "
                "hãy chọn một ngày sau ngày đó.",
                closed_through=self.closed_through.isoformat(),
            )
        self.trigger_event(self.PeriodClosed, meta=meta, through=through)

    def _check_date(self, occurred_on: date, today: date) -> None:
        if occurred_on > today:
            raise InvalidInput(
                "occurred_on", "Ngày chứng từ không được ở tương lai. Hãy nhập lại ngày."
            )
        if occurred_on < EARLIEST_VOUCHER_DATE:
            raise InvalidInput(
                "occurred_on", "Ngày chứng từ quá xa trong quá khứ. Hãy kiểm tra lại ngày."
            )
        if self.closed_through is not None and occurred_on <= self.closed_through:
            raise PeriodClosed(
                f"Sổ của quỹ này đã khóa đến ngày {self.closed_through:%d/%m/%Y}; "
                "hãy ghi khoản này vào kỳ đang mở (sau ngày đó).",
                closed_through=self.closed_through.isoformat(),
            )

    def _check_has_sufficient_funds(self, amount: Money) -> None:
        if amount.dong > self.available:
            held = (
                f"còn {vnd(self.balance)}"
                if self.reserved == 0
                else f"còn {vnd(self.balance)}, trong đó {vnd(self.reserved)} đang giữ cho "
                f"các khoản chi chờ duyệt, nên chỉ dùng được {vnd(self.available)}"
            )
            raise InsufficientFunds(
                f"Số dư của quỹ không đủ để chi {amount}: {held}. Hãy kiểm tra lại số tiền "
                "hoặc nhận thêm tiền vào quỹ trước.",
                balance=self.balance,
                available=self.available,
            )

    def move_stock(self, goods: Mapping[str, Any], quantity: int) -> None:
        item = stock_item(goods)
        held = self.stock.get(item, 0) + quantity
        self.stock = {
            **{key: count for key, count in self.stock.items() if key != item},
            **({item: held} if held else {}),
        }

    def _check_in_stock(self, goods: Mapping[str, Any], quantity: int) -> None:
        held = self.stock.get(stock_item(goods), 0)
        if quantity > held:
            raise InsufficientStock(
                f"Quỹ chỉ còn {held} {goods['unit']} “{goods['description']}”, ít hơn {quantity}. "
                "Hãy kiểm tra lại số lượng hoặc nhận thêm hiện vật vào quỹ trước.",
                held=held,
            )

    def _check_decidable(self, requested: PaymentRequested, meta: Meta) -> None:
        pending_id = str(requested.pending_id)
        if requested.originator_id != self.id:
            raise PaymentNotFound(
                "Quỹ này không có khoản chi chờ duyệt với mã này. Hãy kiểm tra lại mã.",
                pending_id=pending_id,
            )
        if requested.meta.same_person(meta):
            raise ApproverIsRecorder(
                "Bạn là người ghi khoản chi này, nên một người duyệt khác "
                "phải duyệt hoặc từ chối nó.",
                pending_id=pending_id,
            )
        if pending_id not in self.pending:
            raise AlreadyDecided(
                "Khoản chi này đã được duyệt hoặc từ chối rồi; không cần quyết định lại.",
                pending_id=pending_id,
            )


# A fund restored from a snapshot taken before maker-checker has no payments pending;
# one taken before receipt slips has given none.
Fund.pending = MappingProxyType({})
Fund.slips = MappingProxyType({})
Fund.payment_slips = MappingProxyType({})
Fund.stock = MappingProxyType({})
Fund.plausibility_limit = None
Fund.unapproved = MappingProxyType({})
Fund.approved_entry = None
Fund.reversing = MappingProxyType({})


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
    source._check_date(occurred_on, today)
    destination._check_date(occurred_on, today)
    source._check_has_sufficient_funds(amount)
    groups = payment_groups(occurred_on, to_fund_id=destination.id)
    hold = Controls.of(approval_threshold).payment_hold(amount.dong, source.unapproved_in(groups))
    if hold is not None:
        source.trigger_event(
            Fund.TransferRequested,
            held_because=hold.value,
            meta=meta,
            occurred_on=occurred_on,
            amount=amount.dong,
            to_fund_id=destination.id,
            note=_optional(note),
        )
    else:
        _record_transfer(source, destination, amount.dong, occurred_on, _optional(note), meta)


def _record_transfer(
    source: Fund, destination: Fund, amount: int, occurred_on: date, note: str | None, meta: Meta
) -> None:
    sent_id, received_id = source.next_entry_id, destination.next_entry_id
    source.trigger_event(
        Fund.TransferSent,
        meta=meta,
        occurred_on=occurred_on,
        amount=amount,
        to_fund_id=destination.id,
        counterpart_entry_id=received_id,
        note=note,
    )
    destination.trigger_event(
        Fund.TransferReceived,
        meta=meta,
        occurred_on=occurred_on,
        amount=amount,
        from_fund_id=source.id,
        counterpart_entry_id=sent_id,
        note=note,
    )


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
)


def _goods_moved_back(entry: Fund.EntryRecorded) -> dict[str, Any] | None:
    """The goods a reversal of ``entry`` moves, with the signed quantity it moves."""
    goods = getattr(entry, "in_kind", None)
    if goods is None:
        return None
    sign = -1 if isinstance(entry, Fund.ReceiptRecorded) else 1
    return {**goods, "quantity": sign * goods["quantity"]}


def _optional(text: str | None) -> str | None:
    return normalise(text) or None if text else None
