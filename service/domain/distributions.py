"""Support counted as the reports count it (đợt trao hỗ trợ): beside money, a committee
counts gift packages (suất quà: "2.540 suất quà Tết"), household-times (lượt hộ: "902 lượt
hộ") and people reached, by beneficiary category.

A distribution is one handing-out of support by a unit on a day, for one purpose (the
categories of disbursement), with a line per beneficiary category. It counts what was
given, whoever paid for it: the fund's own payments, goods from its stock, or a sponsor's
gifts handed over directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate, AggregateCreated

from service.domain.actors import Meta
from service.domain.entries import EARLIEST_VOUCHER_DATE
from service.domain.errors import InvalidInput
from service.domain.text import required_name
from service.domain.vocabulary import Category, HouseholdCategory
from service.domain.words import word

#: The counts a line of a distribution carries.
COUNTS = ("packages", "household_times", "people")
#: The largest count a line may carry: a province's Tết gifts are tens of thousands.
MAX_COUNT = 10_000_000


@dataclass(frozen=True)
class Reach:
    """What one beneficiary category received in a distribution."""

    beneficiary: HouseholdCategory
    packages: int = 0
    household_times: int = 0
    people: int = 0

    def facts(self, index: int) -> dict[str, Any]:
        for name in COUNTS:
            count = getattr(self, name)
            if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= MAX_COUNT:
                raise InvalidInput(
                    f"lines.{index}.{name}",
                    f"Số đếm phải là số nguyên từ 0 đến {MAX_COUNT:,}.".replace(",", ".")
                    + " Hãy nhập lại.",
                )
        if not any(getattr(self, name) for name in COUNTS):
            raise InvalidInput(
                f"lines.{index}",
                f"Dòng {word(self.beneficiary)} không có số suất quà, lượt hộ hay số người nào. "
                "Hãy nhập ít nhất một số, hoặc bỏ dòng này.",
            )
        return {"beneficiary": self.beneficiary.value, **{n: getattr(self, n) for n in COUNTS}}


class Distribution(Aggregate):
    """A unit's handing-out of support on one day, counted by beneficiary category."""

    class Recorded(AggregateCreated):
        unit_id: UUID
        unit_path: list[UUID]
        on: date
        category: str
        title: str
        lines: list[dict[str, Any]]
        value: int | None
        campaign_id: UUID | None
        meta: Meta

    def __init__(
        self,
        unit_id: UUID,
        unit_path: list[UUID],
        on: date,
        category: str,
        title: str,
        lines: list[dict[str, Any]],
        value: int | None,
        campaign_id: UUID | None,
        meta: Meta,
    ) -> None:
        self.unit_id = unit_id
        self.on = on

    @classmethod
    def record(
        cls,
        unit_id: UUID,
        unit_path: Sequence[UUID],
        on: date,
        today: date,
        category: Category,
        title: str,
        lines: Sequence[Reach],
        value: int | None,
        campaign_id: UUID | None,
        meta: Meta,
    ) -> Distribution:
        if on > today:
            raise InvalidInput("on", "Ngày trao không được ở tương lai. Hãy nhập lại ngày.")
        if on < EARLIEST_VOUCHER_DATE:
            raise InvalidInput("on", "Ngày trao quá xa trong quá khứ. Hãy kiểm tra lại ngày.")
        if not lines:
            raise InvalidInput("lines", "Cần ít nhất một dòng theo đối tượng được hỗ trợ.")
        named = [line.beneficiary for line in lines]
        if len(set(named)) != len(named):
            raise InvalidInput(
                "lines",
                "Mỗi đối tượng chỉ ghi một dòng trong một đợt trao. Hãy gộp các dòng trùng.",
            )
        return cls._create(
            cls.Recorded,
            id=uuid4(),
            unit_id=unit_id,
            unit_path=list(unit_path),
            on=on,
            category=category.value,
            title=required_name("title", title),
            lines=[line.facts(i) for i, line in enumerate(lines)],
            value=value,
            campaign_id=campaign_id,
            meta=meta,
        )
