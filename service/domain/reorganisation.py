"""The 2025 reorganisation: cases of a merged unit move to its successor.

A household, house project or livelihood grant of a unit that was merged
records one ``Moved`` event naming the successor, so that later reads and every
token's reach follow the new tree; what was recorded before stays as it was. An
open pledge moves the same way, to the successor's fund of its fund's kind.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar, cast
from uuid import UUID

from eventsourcing.domain import Aggregate, AggregateEvent

from service.domain.actors import Meta
from service.domain.errors import InvalidInput, MergeRefused
from service.domain.funds import Fund


class MovedToUnit(AggregateEvent):
    """The case belongs to ``unit_id`` (the successor of a merged unit) from ``merged_on``."""

    unit_id: UUID
    unit_path: list[UUID]
    merged_on: date
    meta: Meta

    def apply(self, aggregate: Any) -> None:
        aggregate.unit_id = self.unit_id
        aggregate.unit_path = self.unit_path


class Movable:
    """A case that follows its unit into the unit's successor."""

    Moved: ClassVar[type[MovedToUnit]]

    def move_to(self, unit_id: UUID, unit_path: list[UUID], merged_on: date, meta: Meta) -> None:
        """Records that the case belongs to ``unit_id`` from ``merged_on``."""
        cast(Aggregate, self).trigger_event(
            self.Moved, unit_id=unit_id, unit_path=list(unit_path), merged_on=merged_on, meta=meta
        )


@dataclass(frozen=True)
class UnitContents:
    """What a unit holds when it is merged: its funds, the cases that move with it, and
    the units below it that are not merged yet."""

    funds: list[UUID] = field(default_factory=list)
    households: list[UUID] = field(default_factory=list)
    house_projects: list[UUID] = field(default_factory=list)
    grants: list[UUID] = field(default_factory=list)
    #: The open pledges made to its funds, owed to the successor's funds after the merger.
    pledges: list[UUID] = field(default_factory=list)
    unmerged_children: list[str] = field(default_factory=list)
    #: The date of the latest entry in any of its funds.
    last_entry_on: date | None = None


def check_can_merge(unit_name: str, held: UnitContents, merged_on: date) -> None:
    """Refuses to merge a unit whose units below are not merged yet, or from a date
    before its latest entry."""
    if held.unmerged_children:
        raise MergeRefused(
            f"{unit_name} còn đơn vị cấp dưới chưa sáp nhập: "
            f"{', '.join(held.unmerged_children)}. Hãy sáp nhập các đơn vị đó trước.",
        )
    if held.last_entry_on is not None and held.last_entry_on > merged_on:
        raise InvalidInput(
            "merged_on",
            f"{unit_name} có bút toán đến ngày {held.last_entry_on:%d/%m/%Y}; "
            "ngày sáp nhập phải bằng hoặc sau ngày bút toán cuối đó.",
        )


def check_fund_can_close(fund: Fund) -> None:
    """Refuses to close a merged unit's fund that still has payments awaiting approval,
    foreign currency or goods in stock: none can move to the successor's fund as a
    balance in đồng."""
    if fund.reserved:
        raise MergeRefused(
            f"{fund.name} còn khoản chi chờ duyệt; hãy duyệt hoặc từ chối chúng "
            "trước khi sáp nhập.",
            fund_id=str(fund.id),
        )
    if fund.holdings:
        raise MergeRefused(
            f"{fund.name} còn giữ ngoại tệ; hãy bán hết ngoại tệ lấy đồng (bán ngoại tệ) "
            "trước khi sáp nhập.",
            fund_id=str(fund.id),
        )
    if fund.stock:
        raise MergeRefused(
            f"{fund.name} còn giữ hiện vật được ủng hộ; hãy trao hết hoặc ghi lại chúng "
            "trước khi sáp nhập.",
            fund_id=str(fund.id),
        )
