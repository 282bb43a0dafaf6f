"""Support counted as the reports count it: a unit's distributions (gift packages,
household-times and people reached, by beneficiary category)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from uuid import UUID

from service.application.core import LedgerCore
from service.application.engine import Changes, Request, Written
from service.application.roles import CASE_WRITERS
from service.domain.actors import Meta
from service.domain.distributions import Distribution, Reach
from service.domain.periods import check_case_date
from service.domain.vocabulary import Category


class DistributionUseCases(LedgerCore):
    """The use cases of support counted by beneficiary category."""

    def record_distribution(
        self,
        request: Request,
        unit_id: UUID,
        on: date,
        category: Category,
        title: str,
        lines: Sequence[Reach],
        value: int | None = None,
        campaign_id: UUID | None = None,
    ) -> Written:
        def record(meta: Meta, today: date) -> Changes:
            unit = self._unit(unit_id, field="unit_id")
            request.actor.require(CASE_WRITERS, unit.path, "ghi đợt trao hỗ trợ")
            unit.check_open()
            check_case_date(on, self._books_closed_through(unit.path))
            self._check_campaign(unit.path, campaign_id, on, receipt=False)
            distribution = Distribution.record(
                unit.id, unit.path, on, today, category, title, lines, value, campaign_id, meta
            )
            return Changes(
                [distribution],
                {
                    "id": str(distribution.id),
                    "unit_id": str(unit.id),
                    "on": on.isoformat(),
                    "category": category.value,
                },
            )

        return self._write(request, record)
