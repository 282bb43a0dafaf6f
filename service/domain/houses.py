"""House projects (nhà Đại đoàn kết): a new build or a repair for a household, its
budget by source, its stages from approval to handover, and the tranches of fund money
paid as the stages are reached.

A tranche is a fund's disbursement naming the project. The project records it in the
same transaction as the fund, so the project's share of fund money can never be paid
twice, even by two funds at once: each save checks both aggregates' versions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, cast
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate, AggregateCreated, AggregateEvent

from service.domain import photos
from service.domain.actors import Meta
from service.domain.errors import (
    BudgetExceeded,
    InvalidInput,
    ProjectClosed,
    StageNotReached,
    StageOutOfOrder,
)
from service.domain.households import Household
from service.domain.money import MAX_ENTRY_DONG, vnd
from service.domain.norms import DEFAULT_NORMS, Norm, check_fund_share
from service.domain.reorganisation import Movable, MovedToUnit
from service.domain.text import normalise, required_name
from service.domain.vocabulary import Category, CostSource, HouseKind, Stage
from service.domain.words import word

#: Share of the fund's part of the budget that may have been paid once each stage is
#: reached: an advance when work starts, more with walls and frame, the rest on acceptance.
TRANCHE_SCHEDULE = ((Stage.STARTED, 30), (Stage.WALLS_AND_FRAME, 70), (Stage.ACCEPTED, 100))
#: How many board members one acceptance names.
MAX_REFERENCES = 50


def payable_by(stage: Stage, share: int) -> int:
    """How much of the fund's share may have been paid once ``stage`` is reached."""
    percent = max((p for needed, p in TRANCHE_SCHEDULE if stage.rank >= needed.rank), default=0)
    return share * percent // 100


def house_status(stage: str | None, *, cancelled: bool = False) -> str:
    """A house project's status: ``cancelled``, ``handed_over`` once the house is handed
    to its household, ``open`` before. The one rule both the answers to writes and the
    read model follow."""
    if cancelled:
        return "cancelled"
    return "handed_over" if stage == Stage.HANDED_OVER.value else "open"


def _references(field: str, given: Sequence[str]) -> list[str]:
    if len(given) > MAX_REFERENCES:
        raise InvalidInput(field, f"Chỉ được ghi tối đa {MAX_REFERENCES} mục.")
    return [required_name(field, text, max_length=200) for text in given]


class HouseProject(Aggregate, Movable):
    """A house built or repaired for one household of a unit."""

    class Approved(AggregateCreated):
        unit_id: UUID
        unit_path: list[UUID]
        household_id: UUID
        kind: str
        budget: dict[str, int]
        approved_on: date
        note: str | None
        meta: Meta
        #: Above the norm that applied: the norm, the unit that set it and the reason.
        above_norm: dict[str, Any] | None = None
        #: The bình xét meeting that selected the household.
        meeting_id: UUID | None = None
        #: Why no meeting selected it (a disaster's emergency), when none is named.
        no_meeting_reason: str | None = None

    class Moved(MovedToUnit):
        """The house project belongs to the successor of its merged unit."""

    def __init__(
        self,
        unit_id: UUID,
        unit_path: list[UUID],
        household_id: UUID,
        kind: str,
        budget: dict[str, int],
        approved_on: date,
        note: str | None,
        meta: Meta,
        above_norm: dict[str, Any] | None = None,
        meeting_id: UUID | None = None,
        no_meeting_reason: str | None = None,
    ) -> None:
        self.unit_id = unit_id
        self.meeting_id = meeting_id
        self.no_meeting_reason = no_meeting_reason
        self.unit_path = unit_path
        self.household_id = household_id
        self.kind = kind
        self.budget = budget
        self.stage = Stage.APPROVED.value
        self.stage_on = approved_on
        self.cancelled = False
        #: Fund money paid, by entry id, and reserved for tranches awaiting approval, by
        #: pending id; replaced by each event, never changed in place.
        self.paid: Mapping[str, int] = {}
        self.reserved: Mapping[str, int] = {}
        self.above_norm = above_norm

    @classmethod
    def approve(
        cls,
        household: Household,
        kind: HouseKind,
        budget: Mapping[CostSource, int],
        approved_on: date,
        note: str | None,
        today: date,
        meta: Meta,
        norm: Norm | None = None,
        above_norm_reason: str | None = None,
        meeting_id: UUID | None = None,
        no_meeting_reason: str | None = None,
    ) -> HouseProject:
        """Approves the house; a fund share above ``norm`` needs ``above_norm_reason``."""
        household.check_not_erased()
        if approved_on > today:
            raise InvalidInput(
                "approved_on", "Ngày phê duyệt không được ở tương lai. Hãy nhập lại ngày."
            )
        for source, amount in budget.items():
            if isinstance(amount, bool) or not 0 <= amount <= MAX_ENTRY_DONG:
                raise InvalidInput(f"budget.{source}", "Hãy ghi số đồng nguyên, từ 0 trở lên.")
        if budget.get(CostSource.FUND, 0) <= 0:
            raise InvalidInput("budget.fund", "Cần ghi phần kinh phí do quỹ hỗ trợ (lớn hơn 0).")
        above_norm = check_fund_share(
            budget[CostSource.FUND],
            norm or Norm(DEFAULT_NORMS[kind]),
            kind,
            approved_on.year,
            above_norm_reason,
        )
        return cls._create(
            cls.Approved,
            id=uuid4(),
            unit_id=household.unit_id,
            unit_path=household.unit_path,
            household_id=household.id,
            kind=kind.value,
            budget={source.value: budget.get(source, 0) for source in CostSource},
            approved_on=approved_on,
            note=normalise(note or "") or None,
            meta=meta,
            above_norm=above_norm,
            meeting_id=meeting_id,
            no_meeting_reason=no_meeting_reason,
        )

    @property
    def fund_share(self) -> int:
        return self.budget[CostSource.FUND.value]

    @property
    def committed(self) -> int:
        """Fund money paid or reserved for tranches awaiting approval."""
        return sum(self.paid.values()) + sum(self.reserved.values())

    @property
    def closed(self) -> bool:
        return self.cancelled or self.stage == Stage.HANDED_OVER.value

    @property
    def status(self) -> str:
        """Where the project stands: open, cancelled or handed over (``house_status``)."""
        return house_status(self.stage, cancelled=self.cancelled)

    # Events ----------------------------------------------------------------

    class StageReached(AggregateEvent):
        stage: str
        on: date
        evidence: list[str]
        board_members: list[str]
        meta: Meta

        def apply(self, aggregate: Any) -> None:
            project = cast(HouseProject, aggregate)
            project.stage, project.stage_on = self.stage, self.on

    class Cancelled(AggregateEvent):
        reason: str
        meta: Meta

        def apply(self, aggregate: Any) -> None:
            cast(HouseProject, aggregate).cancelled = True

    class TranchePaid(AggregateEvent):
        """A fund's disbursement ``entry_id`` paid this much of the fund's share."""

        entry_id: UUID
        fund_id: UUID
        amount: int
        meta: Meta

        def apply(self, aggregate: Any) -> None:
            project = cast(HouseProject, aggregate)
            project.paid = {**project.paid, str(self.entry_id): self.amount}

    class TrancheRequested(AggregateEvent):
        """A tranche above the unit's approval threshold: reserved until decided."""

        pending_id: UUID
        fund_id: UUID
        amount: int
        meta: Meta

        def apply(self, aggregate: Any) -> None:
            project = cast(HouseProject, aggregate)
            project.reserved = {**project.reserved, str(self.pending_id): self.amount}

    class TrancheApproved(AggregateEvent):
        pending_id: UUID
        entry_id: UUID
        meta: Meta

        def apply(self, aggregate: Any) -> None:
            project = cast(HouseProject, aggregate)
            amount = project.reserved[str(self.pending_id)]
            project.reserved = {
                k: v for k, v in project.reserved.items() if k != str(self.pending_id)
            }
            project.paid = {**project.paid, str(self.entry_id): amount}

    class TrancheReleased(AggregateEvent):
        """A tranche rejected or reversed: its money counts no longer."""

        released_id: UUID
        amount: int
        meta: Meta

        def apply(self, aggregate: Any) -> None:
            project = cast(HouseProject, aggregate)
            gone = str(self.released_id)
            project.paid = {k: v for k, v in project.paid.items() if k != gone}
            project.reserved = {k: v for k, v in project.reserved.items() if k != gone}

    # Commands --------------------------------------------------------------

    def reach_stage(
        self,
        stage: Stage,
        on: date,
        evidence: Sequence[str],
        board_members: Sequence[str],
        today: date,
        meta: Meta,
    ) -> None:
        """Records a stage reached after the current one (intermediate building stages a
        repair does not need may be passed over); acceptance names the board members."""
        self._check_open()
        current = Stage(self.stage)
        if stage.rank <= current.rank:
            raise StageOutOfOrder(
                f"Nhà đã ở giai đoạn “{word(current)}”; "
                f"không thể chuyển sang “{word(stage)}” sau đó.",
                stage=current.value,
            )
        if stage.rank > Stage.COMPLETED.rank and stage.rank != current.rank + 1:
            needed = list(Stage)[stage.rank - 1]
            raise StageOutOfOrder(
                f"Giai đoạn “{word(stage)}” đến sau “{word(needed)}”, mà nhà chưa đạt. "
                "Hãy ghi giai đoạn đó trước.",
                stage=current.value,
            )
        if on > today or on < self.stage_on:
            raise InvalidInput("on", f"Ngày phải từ {self.stage_on:%d/%m/%Y} đến hôm nay.")
        members = _references("board_members", board_members)
        if stage is Stage.ACCEPTED and not members:
            raise InvalidInput("board_members", "Hãy ghi tên các thành viên hội đồng nghiệm thu.")
        self.trigger_event(
            self.StageReached,
            stage=stage.value,
            on=on,
            evidence=photos.evidence("evidence", evidence),
            board_members=members,
            meta=meta,
        )

    def cancel(self, reason: str, meta: Meta) -> None:
        self._check_open()
        reason = normalise(reason)
        if not reason:
            raise InvalidInput("reason", "Hãy ghi lý do hủy công trình nhà.")
        self.trigger_event(self.Cancelled, reason=reason, meta=meta)

    def check_tranche(self, amount: int, category: Category, household_id: UUID | None) -> None:
        """Refuses a tranche of the wrong category or household, one before the stage it
        needs, and one that would pass the fund's share of the budget."""
        self._check_open()
        expected = HouseKind(self.kind).category
        if category is not expected:
            raise InvalidInput(
                "category",
                f"Khoản chi cho căn nhà này phải thuộc nhóm “{word(expected)}” ({expected}).",
            )
        if household_id is not None and household_id != self.household_id:
            raise InvalidInput(
                "household_id", "Căn nhà này dành cho hộ khác. Hãy kiểm tra lại hộ nhận."
            )
        if self.committed + amount > self.fund_share:
            raise BudgetExceeded(
                f"Phần quỹ hỗ trợ cho căn nhà này là {vnd(self.fund_share)}, trong đó "
                f"{vnd(self.committed)} đã chi hoặc đang chờ duyệt; chi thêm {vnd(amount)} "
                "sẽ vượt mức đó. Hãy giảm số tiền.",
                fund_share=self.fund_share,
                committed=self.committed,
            )
        stage = Stage(self.stage)
        if self.committed + amount > payable_by(stage, self.fund_share):
            needed = next(
                s
                for s, _ in TRANCHE_SCHEDULE
                if self.committed + amount <= payable_by(s, self.fund_share)
            )
            raise StageNotReached(
                f"Nhà đang ở giai đoạn “{word(stage)}”; muốn chi thêm {vnd(amount)} thì nhà "
                f"phải đến giai đoạn “{word(needed)}”. Hãy ghi giai đoạn đó trước.",
                stage=stage.value,
                needs=needed.value,
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
        """Records a tranche already checked: paid as ``payment_id``, or reserved when it
        awaits approval under that pending id. (A tranche's date is its entry's.)"""
        if pending:
            self.trigger_event(
                self.TrancheRequested,
                pending_id=payment_id,
                fund_id=fund_id,
                amount=amount,
                meta=meta,
            )
        else:
            self.trigger_event(
                self.TranchePaid, entry_id=payment_id, fund_id=fund_id, amount=amount, meta=meta
            )

    def approve_payment(self, pending_id: UUID, entry_id: UUID, meta: Meta) -> None:
        if str(pending_id) in self.reserved:
            self.trigger_event(
                self.TrancheApproved, pending_id=pending_id, entry_id=entry_id, meta=meta
            )

    def release_payment(self, payment_id: UUID, meta: Meta) -> None:
        amount = self.paid.get(str(payment_id), self.reserved.get(str(payment_id)))
        if amount is not None:
            self.trigger_event(
                self.TrancheReleased, released_id=payment_id, amount=amount, meta=meta
            )

    class ContributionReceived(AggregateEvent):
        """What a source other than the fund actually gave towards the house, as it came:
        money, materials with their value, days of labour (the fund's share is paid in
        tranches)."""

        source: str
        on: date
        money: int
        materials: str | None
        materials_value: int
        labour_days: int
        note: str | None
        meta: Meta

    def receive_contribution(
        self,
        source: CostSource,
        on: date,
        given: tuple[int, str | None, int, int],
        note: str | None,
        today: date,
        meta: Meta,
    ) -> None:
        """Records what ``source`` gave on ``on``: ``given`` is the money, the materials
        described, their value and the days of labour."""
        self._check_open()
        if source is CostSource.FUND:
            raise InvalidInput(
                "source",
                "Phần của quỹ được ghi bằng các khoản chi (đợt giải ngân) cho căn nhà, "
                "không ghi ở đây. Hãy chọn nguồn khác.",
            )
        if on > today:
            raise InvalidInput("on", "Ngày nhận không được ở tương lai. Hãy nhập lại ngày.")
        money, materials, materials_value, labour_days = given
        for field, value in (
            ("money", money),
            ("materials_value", materials_value),
            ("labour_days", labour_days),
        ):
            if isinstance(value, bool) or not 0 <= value <= MAX_ENTRY_DONG:
                raise InvalidInput(field, "Hãy ghi số nguyên, từ 0 trở lên.")
        if not (money or materials_value or labour_days):
            raise InvalidInput(
                "money", "Cần ghi số tiền, giá trị vật liệu hoặc số ngày công đã nhận."
            )
        self.trigger_event(
            self.ContributionReceived,
            source=source.value,
            on=on,
            money=money,
            materials=normalise(materials or "") or None,
            materials_value=materials_value,
            labour_days=labour_days,
            note=normalise(note or "") or None,
            meta=meta,
        )

    def _check_open(self) -> None:
        if self.closed:
            state = "đã hủy" if self.cancelled else "đã bàn giao"
            raise ProjectClosed(f"Căn nhà này {state}; không ghi thêm gì cho nó được nữa.")
