"""Units: the committees of the Fatherland Front, which form a tree."""

from __future__ import annotations

from datetime import date
from typing import Any, cast
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate, AggregateCreated, AggregateEvent

from service.domain.actors import Meta
from service.domain.errors import InvalidInput, UnitMerged
from service.domain.money import MAX_ENTRY_DONG, Money, vnd
from service.domain.norms import Norm, checked_norm, norm_key
from service.domain.text import normalise, required_name
from service.domain.vocabulary import EmulationTarget, FundKind, HouseKind, Level
from service.domain.words import word

#: The accounting years a target may be assigned for.
TARGET_YEARS = range(1990, 2101)
#: The most households a unit may record (the whole country has about 27 million).
MAX_HOUSEHOLDS = 50_000_000
#: The most households one member of a village's self-governing group looks after: the
#: model has each member look after 5 to 10.
MAX_LOOKED_AFTER = 10


class Unit(Aggregate):
    """A committee at one level, with the path of unit ids from the root down to itself."""

    class Registered(AggregateCreated):
        name: str
        level: str
        parent_id: UUID | None
        code: str | None
        path: list[UUID]
        meta: Meta

    def __init__(
        self,
        name: str,
        level: str,
        parent_id: UUID | None,
        code: str | None,
        path: list[UUID],
        meta: Meta,
    ) -> None:
        self.name = name
        self.level = level
        self.parent_id = parent_id
        self.code = code
        self.path = path
        self.approval_threshold: int | None = None
        self.merged_into: UUID | None = None
        self.merged_on: date | None = None
        self.successor_name: str | None = None
        #: The house support norms the unit set, by ``norms.norm_key``: [least, most].
        self.house_norms: dict[str, list[int | None]] = {}

    @classmethod
    def register(
        cls,
        name: str,
        level: Level,
        parent: Unit | None,
        code: str | None,
        meta: Meta,
    ) -> Unit:
        """Registers a unit, below ``parent`` when one is given."""
        if parent is not None and level.rank <= Level(parent.level).rank:
            raise InvalidInput(
                "level",
                f"Đơn vị cấp {word(level)} không thể nằm dưới đơn vị cấp {word(parent.level)}. "
                "Hãy chọn đơn vị cấp trên đúng.",
            )
        unit_id = uuid4()
        path = [*(parent.path if parent else []), unit_id]
        return cls._create(
            cls.Registered,
            id=unit_id,
            name=required_name("name", name),
            level=level.value,
            parent_id=parent.id if parent else None,
            code=normalise(code) or None if code else None,
            path=path,
            meta=meta,
        )

    class ApprovalThresholdSet(AggregateEvent):
        """Disbursements and transfers above ``amount`` wait for an approver; None: none wait."""

        amount: int | None
        meta: Meta

        def apply(self, aggregate: Any) -> None:
            cast(Unit, aggregate).approval_threshold = self.amount

    def set_approval_threshold(self, amount: int | None, meta: Meta) -> None:
        """Sets the amount above which a payment from the unit's funds needs an approver."""
        if amount is not None and (
            isinstance(amount, bool) or not isinstance(amount, int) or amount < 0
        ):
            raise InvalidInput("amount", "Ngưỡng duyệt chi phải là số đồng nguyên, từ 0 trở lên.")
        if amount is not None and amount > MAX_ENTRY_DONG:
            raise InvalidInput(
                "amount", f"Ngưỡng duyệt chi không được vượt quá {vnd(MAX_ENTRY_DONG)}."
            )
        self.trigger_event(self.ApprovalThresholdSet, amount=amount, meta=meta)

    class TargetAssigned(AggregateEvent):
        """The level above assigned the unit a yearly target (chỉ tiêu) for one kind of
        fund; a later assignment for the same year and kind replaces it."""

        year: int
        fund_kind: str
        amount: int
        meta: Meta

    def assign_target(self, year: int, fund_kind: FundKind, amount: Money, meta: Meta) -> None:
        """Sets what the unit is to raise in ``year`` into its funds of ``fund_kind``."""
        if isinstance(year, bool) or not isinstance(year, int) or year not in TARGET_YEARS:
            raise InvalidInput("year", f"Năm phải từ {TARGET_YEARS[0]} đến {TARGET_YEARS[-1]}.")
        self.trigger_event(
            self.TargetAssigned, year=year, fund_kind=fund_kind.value, amount=amount.dong, meta=meta
        )

    class HouseNormSet(AggregateEvent):
        """The unit set what the fund gives for a house of ``kind`` approved in ``year``
        (định mức): at most ``most`` đồng, usually at least ``least``; a later one for the
        same year and kind replaces it."""

        year: int
        kind: str
        least: int | None
        most: int
        meta: Meta

        def apply(self, aggregate: Any) -> None:
            unit = cast(Unit, aggregate)
            key = norm_key(self.year, self.kind)
            unit.house_norms = {**unit.house_norms, key: [self.least, self.most]}

    def set_house_norm(
        self, year: int, kind: HouseKind, least: int | None, most: int, meta: Meta
    ) -> None:
        """Sets the unit's norm of support for a kind of house in a year."""
        if isinstance(year, bool) or not isinstance(year, int) or year not in TARGET_YEARS:
            raise InvalidInput("year", f"Năm phải từ {TARGET_YEARS[0]} đến {TARGET_YEARS[-1]}.")
        least, most = checked_norm(least, most)
        self.trigger_event(
            self.HouseNormSet, year=year, kind=kind.value, least=least, most=most, meta=meta
        )

    def house_norm(self, year: int, kind: HouseKind) -> Norm | None:
        """The norm the unit itself set for the kind of house and year, if any."""
        found = self.house_norms.get(norm_key(year, kind))
        if found is None:
            return None
        least, most = found
        assert most is not None
        return Norm(most=most, least=least, unit_id=self.id, unit_name=self.name)

    class EmulationTargetSet(AggregateEvent):
        """A target that is not money (chỉ tiêu thi đua) for ``year``: ``amount`` of
        ``kind``, and for what no record counts (the share of cultural families) the
        figure the unit reports; a later one for the same year and kind replaces it."""

        year: int
        kind: str
        amount: int
        reported: int | None
        meta: Meta

    def set_emulation_target(
        self, year: int, kind: EmulationTarget, amount: int, reported: int | None, meta: Meta
    ) -> None:
        """Sets the unit's target of ``kind`` for ``year``."""
        if isinstance(year, bool) or not isinstance(year, int) or year not in TARGET_YEARS:
            raise InvalidInput("year", f"Năm phải từ {TARGET_YEARS[0]} đến {TARGET_YEARS[-1]}.")
        most = 100 if kind is EmulationTarget.CULTURAL_FAMILIES_PCT else 1_000_000
        for field, value in (("amount", amount), ("reported", reported)):
            if value is not None and (isinstance(value, bool) or not 0 <= value <= most):
                raise InvalidInput(field, f"Chỉ tiêu {word(kind)} phải từ 0 đến {most}.")
        if reported is not None and kind is not EmulationTarget.CULTURAL_FAMILIES_PCT:
            raise InvalidInput(
                "reported",
                f"Kết quả {word(kind)} được đếm từ sổ sách, không cần báo cáo. Hãy bỏ trống.",
            )
        self.trigger_event(
            self.EmulationTargetSet,
            year=year,
            kind=kind.value,
            amount=amount,
            reported=reported,
            meta=meta,
        )

    class HouseholdCountRecorded(AggregateEvent):
        """The unit had ``households`` households in ``year`` (tổng số hộ), as it
        records it: the denominator of its poverty rates; a later one for the same year
        replaces it."""

        year: int
        households: int
        meta: Meta

    def record_household_count(self, year: int, households: int, meta: Meta) -> None:
        """Records how many households the unit had in ``year``."""
        if isinstance(year, bool) or not isinstance(year, int) or year not in TARGET_YEARS:
            raise InvalidInput("year", f"Năm phải từ {TARGET_YEARS[0]} đến {TARGET_YEARS[-1]}.")
        if isinstance(households, bool) or not 1 <= households <= MAX_HOUSEHOLDS:
            raise InvalidInput(
                "households",
                f"Tổng số hộ phải từ 1 đến {MAX_HOUSEHOLDS:,}.".replace(",", ".")
                + " Hãy ghi số hộ của đơn vị (gồm các đơn vị trực thuộc) trong năm.",
            )
        self.trigger_event(self.HouseholdCountRecorded, year=year, households=households, meta=meta)

    class CaretakerAssigned(AggregateEvent):
        """``member`` of the village's self-governing group (tổ tự quản) looks after
        ``households``: a later one for the same member replaces the list (an empty one
        ends it), and a household named here leaves the member who looked after it."""

        member: str
        households: list[UUID]
        meta: Meta

    def assign_caretaker(self, member: str, households: list[UUID], meta: Meta) -> None:
        """Records which households a member of the village's self-governing group looks
        after."""
        if self.level != Level.VILLAGE.value:
            raise InvalidInput(
                "unit_id",
                "Tổ tự quản thuộc thôn, tổ dân phố. Hãy phân công ở đơn vị cấp thôn.",
            )
        name = required_name("member", member)
        if len(set(households)) != len(households):
            raise InvalidInput("household_ids", "Mỗi hộ chỉ ghi một lần. Hãy bỏ hộ ghi trùng.")
        if len(households) > MAX_LOOKED_AFTER:
            raise InvalidInput(
                "household_ids",
                f"Mỗi tổ viên phụ trách từ 5 đến {MAX_LOOKED_AFTER} hộ. Hãy giao bớt hộ cho "
                "tổ viên khác.",
            )
        self.trigger_event(
            self.CaretakerAssigned, member=name, households=list(households), meta=meta
        )

    class Merged(AggregateEvent):
        """The unit was merged into ``successor_id`` (the 2025 reorganisation) from
        ``merged_on``: its funds were closed and its cases moved to the successor."""

        successor_id: UUID
        successor_name: str
        successor_path: list[UUID]
        merged_on: date
        meta: Meta

        def apply(self, aggregate: Any) -> None:
            unit = cast(Unit, aggregate)
            unit.merged_into = self.successor_id
            unit.merged_on = self.merged_on
            unit.successor_name = self.successor_name

    def merge_into(self, successor: Unit, merged_on: date, today: date, meta: Meta) -> None:
        """Records that the unit was merged into ``successor`` from ``merged_on``: a unit of
        the same level, or the level above that takes over a dissolved district."""
        self.check_open()
        successor.check_open()
        if successor.id == self.id or self.id in successor.path:
            raise InvalidInput(
                "successor_id",
                "Không thể sáp nhập đơn vị vào chính nó hay vào đơn vị cấp dưới của nó.",
            )
        if successor.level != self.level and successor.id != self.parent_id:
            raise InvalidInput(
                "successor_id",
                f"Đơn vị cấp {word(self.level)} chỉ sáp nhập vào "
                f"một đơn vị cấp {word(self.level)} khác, "
                "hoặc giải thể vào đơn vị ngay trên nó.",
            )
        if merged_on > today:
            raise InvalidInput("merged_on", "Ngày sáp nhập không được ở tương lai.")
        self.trigger_event(
            self.Merged,
            successor_id=successor.id,
            successor_name=successor.name,
            successor_path=list(successor.path),
            merged_on=merged_on,
            meta=meta,
        )

    def check_open(self) -> None:
        """Refuses new writes for a unit that was merged into another."""
        if self.merged_into is not None and self.merged_on is not None:
            raise UnitMerged(
                f"{self.name} đã sáp nhập vào {self.successor_name} ngày "
                f"{self.merged_on:%d/%m/%Y}; hãy ghi việc này dưới {self.successor_name}.",
                successor_id=str(self.merged_into),
            )
