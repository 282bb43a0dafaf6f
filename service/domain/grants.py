"""Livelihood grants (phương tiện sinh kế): a means of earning (a breeding cow, a sewing
machine, a boat) approved for a household, delivered, followed up at 3, 6 and 12 months,
and closed with an outcome.

A grant is delivered either by a fund's disbursement naming it, recorded in the same
transaction as the grant's record of it (as a house's tranches are), or in kind: goods
given with a value and no fund money, since the funds keep no stock of goods.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, cast
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate, AggregateCreated, AggregateEvent

from service.domain import photos
from service.domain.actors import Meta
from service.domain.errors import (
    AlreadyDelivered,
    FollowUpRecorded,
    GrantClosed,
    GrantNotDelivered,
    InvalidInput,
)
from service.domain.households import Household
from service.domain.money import MAX_ENTRY_DONG, vnd
from service.domain.reorganisation import Movable, MovedToUnit
from service.domain.text import normalise, required_name
from service.domain.vocabulary import Category, FollowUpStatus, GrantOutcome
from service.domain.words import word

#: When a grant is followed up, in months after its delivery.
FOLLOW_UP_MONTHS = (3, 6, 12)
#: How many attributes (breed, age, make...) describe what is given.
MAX_ATTRIBUTES = 20


def months_after(day: date, months: int) -> date:
    """The same day ``months`` months later, or the month's last day if it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _attributes(given: Mapping[str, str]) -> dict[str, str]:
    if len(given) > MAX_ATTRIBUTES:
        raise InvalidInput("attributes", f"Chỉ được ghi tối đa {MAX_ATTRIBUTES} đặc điểm.")
    return {
        required_name("attributes", key, max_length=50): required_name("attributes", value)
        for key, value in given.items()
    }


def _value(field: str, value: int) -> int:
    if isinstance(value, bool) or not 0 < value <= MAX_ENTRY_DONG:
        raise InvalidInput(field, "Hãy ghi giá trị bằng số đồng nguyên, lớn hơn 0.")
    return value


class LivelihoodGrant(Aggregate, Movable):
    """A means of earning given to one household of a unit, and what became of it."""

    class Approved(AggregateCreated):
        unit_id: UUID
        unit_path: list[UUID]
        household_id: UUID
        item: str
        attributes: dict[str, str]
        value: int
        approved_on: date
        note: str | None
        meta: Meta
        #: The bình xét meeting that selected the household.
        meeting_id: UUID | None = None
        #: Why no meeting selected it (a disaster's emergency), when none is named.
        no_meeting_reason: str | None = None

    class Moved(MovedToUnit):
        """The grant belongs to the successor of its merged unit."""

    def __init__(
        self,
        unit_id: UUID,
        unit_path: list[UUID],
        household_id: UUID,
        item: str,
        attributes: dict[str, str],
        value: int,
        approved_on: date,
        note: str | None,
        meta: Meta,
        meeting_id: UUID | None = None,
        no_meeting_reason: str | None = None,
    ) -> None:
        self.unit_id = unit_id
        self.unit_path = unit_path
        self.household_id = household_id
        self.meeting_id = meeting_id
        self.no_meeting_reason = no_meeting_reason
        self.item = item
        self.value = value
        self.approved_on = approved_on
        self.delivered_on: date | None = None
        #: The delivery awaiting approval, by pending id, with its date.
        self.requested: Mapping[str, date] = {}
        #: The fund entry that delivered it, if paid by a fund.
        self.entry_id: UUID | None = None
        self.follow_ups: tuple[int, ...] = ()
        self.outcome: str | None = None

    @classmethod
    def approve(
        cls,
        household: Household,
        item: str,
        attributes: Mapping[str, str],
        value: int,
        approved_on: date,
        note: str | None,
        today: date,
        meta: Meta,
        meeting_id: UUID | None = None,
        no_meeting_reason: str | None = None,
    ) -> LivelihoodGrant:
        household.check_not_erased()
        if approved_on > today:
            raise InvalidInput(
                "approved_on", "Ngày phê duyệt không được ở tương lai. Hãy nhập lại ngày."
            )
        return cls._create(
            cls.Approved,
            id=uuid4(),
            unit_id=household.unit_id,
            unit_path=household.unit_path,
            household_id=household.id,
            item=required_name("item", item),
            attributes=_attributes(attributes),
            value=_value("value", value),
            approved_on=approved_on,
            note=normalise(note or "") or None,
            meta=meta,
            meeting_id=meeting_id,
            no_meeting_reason=no_meeting_reason,
        )

    @property
    def status(self) -> str:
        if self.outcome is not None:
            return "closed"
        if self.delivered_on is not None:
            return "delivered"
        return "awaiting_approval" if self.requested else "approved"

    # Events ----------------------------------------------------------------

    class Delivered(AggregateEvent):
        """Given to the household on ``on``: paid by the fund's entry ``entry_id``, or in
        kind (no fund, no entry) as goods worth ``value``."""

        on: date
        value: int
        fund_id: UUID | None
        entry_id: UUID | None
        description: str | None
        note: str | None
        meta: Meta

        def apply(self, aggregate: Any) -> None:
            grant = cast(LivelihoodGrant, aggregate)
            grant.delivered_on, grant.entry_id = self.on, self.entry_id

    class DeliveryRequested(AggregateEvent):
        """A delivery above the unit's approval threshold, awaiting an approver."""

        pending_id: UUID
        fund_id: UUID
        value: int
        on: date
        meta: Meta

        def apply(self, aggregate: Any) -> None:
            grant = cast(LivelihoodGrant, aggregate)
            grant.requested = {str(self.pending_id): self.on}

    class DeliveryApproved(AggregateEvent):
        pending_id: UUID
        entry_id: UUID
        meta: Meta

        def apply(self, aggregate: Any) -> None:
            grant = cast(LivelihoodGrant, aggregate)
            grant.delivered_on = grant.requested[str(self.pending_id)]
            grant.entry_id, grant.requested = self.entry_id, {}

    class DeliveryReleased(AggregateEvent):
        """The delivery's payment was rejected or reversed: the grant awaits delivery again.
        A reversal of a delivered grant is made ``on`` the reversal's date, where the
        reports count it (older events carry none: the day they were recorded)."""

        released_id: UUID
        meta: Meta
        on: date | None = None

        def apply(self, aggregate: Any) -> None:
            grant = cast(LivelihoodGrant, aggregate)
            grant.delivered_on, grant.entry_id, grant.requested = None, None, {}

    class EvidenceAdded(AggregateEvent):
        """Papers and photos of the delivery, added after it was made; each photo named
        by its digest (``service/domain/photos.py``)."""

        evidence: list[str]
        meta: Meta

    class FollowedUp(AggregateEvent):
        months: int
        on: date
        status: str
        note: str | None
        meta: Meta

        def apply(self, aggregate: Any) -> None:
            grant = cast(LivelihoodGrant, aggregate)
            grant.follow_ups = (*grant.follow_ups, self.months)

    class Closed(AggregateEvent):
        outcome: str
        on: date
        note: str | None
        meta: Meta

        def apply(self, aggregate: Any) -> None:
            cast(LivelihoodGrant, aggregate).outcome = self.outcome

    # Commands --------------------------------------------------------------

    def check_delivery(
        self, amount: int, category: Category, household_id: UUID | None, on: date
    ) -> None:
        """Refuses a payment that would deliver the grant again, of the wrong category or
        household, worth more than approved, or dated before the approval."""
        self._check_undelivered()
        if category is not Category.LIVELIHOOD:
            raise InvalidInput(
                "category",
                f"Khoản hỗ trợ sinh kế được trao bằng một khoản chi nhóm "
                f"“{word(Category.LIVELIHOOD)}” "
                f"({Category.LIVELIHOOD}). Hãy chọn đúng nhóm chi.",
            )
        if household_id is not None and household_id != self.household_id:
            raise InvalidInput(
                "household_id", "Khoản hỗ trợ này dành cho hộ khác. Hãy kiểm tra lại hộ nhận."
            )
        if amount > self.value:
            raise InvalidInput(
                "amount",
                f"Khoản hỗ trợ được duyệt {vnd(self.value)}; {vnd(amount)} là quá số đó. "
                "Hãy nhập lại số tiền.",
            )
        if on < self.approved_on:
            raise InvalidInput(
                "occurred_on",
                f"Khoản hỗ trợ được duyệt ngày {self.approved_on:%d/%m/%Y}, sau ngày này. "
                "Hãy chọn ngày từ ngày duyệt trở đi.",
            )

    def record_payment(
        self,
        payment_id: UUID,
        fund_id: UUID,
        amount: int,
        on: date,
        *,
        pending: bool,
        meta: Meta,
    ) -> None:
        """Records a delivery already checked: paid as the entry ``payment_id``, or awaiting
        approval under that pending id."""
        if pending:
            self.trigger_event(
                self.DeliveryRequested,
                pending_id=payment_id,
                fund_id=fund_id,
                value=amount,
                on=on,
                meta=meta,
            )
        else:
            self.trigger_event(
                self.Delivered,
                on=on,
                value=amount,
                fund_id=fund_id,
                entry_id=payment_id,
                description=None,
                note=None,
                meta=meta,
            )

    def deliver_in_kind(
        self,
        on: date,
        value: int | None,
        description: str | None,
        note: str | None,
        today: date,
        meta: Meta,
    ) -> None:
        """Records the goods given (bought by a sponsor, donated in kind) with their value;
        no fund money moves."""
        self._check_undelivered()
        if on < self.approved_on or on > today:
            raise InvalidInput("on", f"Ngày phải từ {self.approved_on:%d/%m/%Y} đến hôm nay.")
        self.trigger_event(
            self.Delivered,
            on=on,
            value=_value("value", self.value if value is None else value),
            fund_id=None,
            entry_id=None,
            description=normalise(description or "") or None,
            note=normalise(note or "") or None,
            meta=meta,
        )

    def approve_payment(self, pending_id: UUID, entry_id: UUID, meta: Meta) -> None:
        if str(pending_id) in self.requested:
            self.trigger_event(
                self.DeliveryApproved, pending_id=pending_id, entry_id=entry_id, meta=meta
            )

    def release_payment(self, payment_id: UUID, meta: Meta, on: date | None = None) -> None:
        if payment_id == self.entry_id or str(payment_id) in self.requested:
            self.trigger_event(self.DeliveryReleased, released_id=payment_id, meta=meta, on=on)

    def add_evidence(self, evidence: Sequence[str], meta: Meta) -> None:
        """Records papers and photos of the delivery, once it was made."""
        if self.delivered_on is None:
            raise GrantNotDelivered(
                "Khoản hỗ trợ chưa được trao nên chưa có chứng cứ trao. "
                "Hãy ghi việc trao trước, rồi thêm ảnh và giấy tờ của lần trao."
            )
        self.trigger_event(
            self.EvidenceAdded,
            evidence=photos.evidence("evidence", evidence, required=True),
            meta=meta,
        )

    def follow_up(
        self,
        months: int,
        on: date,
        status: FollowUpStatus,
        note: str | None,
        today: date,
        meta: Meta,
    ) -> None:
        """Records what the visit ``months`` months after delivery found."""
        self._check_open()
        if self.delivered_on is None:
            raise GrantNotDelivered(
                "Khoản hỗ trợ chưa được trao nên chưa có gì để theo dõi. Hãy ghi việc trao trước."
            )
        if months not in FOLLOW_UP_MONTHS:
            raise InvalidInput(
                "months", f"Chỉ theo dõi vào các mốc {', '.join(map(str, FOLLOW_UP_MONTHS))} tháng."
            )
        if months in self.follow_ups:
            raise FollowUpRecorded(
                f"Lần theo dõi {months} tháng của khoản hỗ trợ này đã được ghi rồi.", months=months
            )
        if on < self.delivered_on or on > today:
            raise InvalidInput("on", f"Ngày phải từ {self.delivered_on:%d/%m/%Y} đến hôm nay.")
        self.trigger_event(
            self.FollowedUp,
            months=months,
            on=on,
            status=status.value,
            note=normalise(note or "") or None,
            meta=meta,
        )

    def close(
        self, outcome: GrantOutcome, on: date, note: str | None, today: date, meta: Meta
    ) -> None:
        """Ends the grant with its outcome: a delivered grant with what became of it, one
        never delivered only as cancelled."""
        self._check_open()
        if self.requested:
            raise AlreadyDelivered(
                "Việc trao khoản hỗ trợ đang chờ duyệt; hãy duyệt hoặc từ chối "
                "trước khi đóng khoản hỗ trợ."
            )
        if outcome is GrantOutcome.CANCELLED and self.delivered_on is not None:
            raise InvalidInput(
                "outcome",
                "Khoản hỗ trợ đã trao phải được đóng với kết quả sử dụng, không phải “hủy”.",
            )
        if outcome is not GrantOutcome.CANCELLED and self.delivered_on is None:
            raise GrantNotDelivered(
                "Khoản hỗ trợ chưa được trao nên chỉ có thể đóng dưới dạng hủy."
            )
        since = self.delivered_on or self.approved_on
        if on < since or on > today:
            raise InvalidInput("on", f"Ngày phải từ {since:%d/%m/%Y} đến hôm nay.")
        self.trigger_event(
            self.Closed, outcome=outcome.value, on=on, note=normalise(note or "") or None, meta=meta
        )

    def _check_open(self) -> None:
        if self.outcome is not None:
            raise GrantClosed("Khoản hỗ trợ này đã đóng; không ghi thêm gì cho nó được nữa.")

    def _check_undelivered(self) -> None:
        self._check_open()
        if self.delivered_on is not None or self.requested:
            raise AlreadyDelivered(
                "Khoản hỗ trợ này đã được trao (hoặc việc trao đang chờ duyệt).",
                entry_id=str(self.entry_id) if self.entry_id else None,
            )
