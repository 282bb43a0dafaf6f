"""Support counted as the reports count it: each distribution's gift packages,
household-times and people by beneficiary category, summed for a unit and a period; and
the coverage of the registry (how many of a category's households were reached)."""

from __future__ import annotations

from functools import singledispatchmethod
from typing import Any

from service.adapters.db import Transaction
from service.domain.distributions import COUNTS, Distribution
from service.domain.vocabulary import Category, HouseholdCategory
from service.projections.base import Projection
from service.projections.counting import counted, units_within


class DistributionsProjection(Projection):
    name = "distributions"
    tables = ("distributions", "distribution_lines")

    @singledispatchmethod
    def apply(self, event: Any, position: int, tx: Transaction) -> None:
        """Events of other aggregates change nothing here."""

    @apply.register
    def _recorded(self, event: Distribution.Recorded, position: int, tx: Transaction) -> None:
        distribution = str(event.originator_id)
        tx.insert(
            "distributions",
            {
                "id": distribution,
                "unit_id": str(event.unit_id),
                "occurred_on": event.on.isoformat(),
                "category": event.category,
                "title": event.title,
                "value": event.value,
                "campaign_id": str(event.campaign_id) if event.campaign_id else None,
                "recorded_by": event.meta.actor,
                "position": position,
            },
        )
        for line in event.lines:
            tx.insert("distribution_lines", {"distribution_id": distribution, **line})


def _zero() -> dict[str, int]:
    return dict.fromkeys(COUNTS, 0)


def counts_where(tx: Transaction, where: str, params: dict[str, Any]) -> dict[str, Any]:
    """The distributions ``where`` selects (a condition on ``d``), summed: in all, by
    beneficiary category and by purpose."""
    sums = ", ".join(f"COALESCE(SUM(l.{name}), 0) AS {name}" for name in COUNTS)
    rows = tx.all(
        f"SELECT d.category, l.beneficiary, {sums} FROM distributions d "
        "JOIN distribution_lines l ON l.distribution_id = d.id "
        f"WHERE {where} GROUP BY d.category, l.beneficiary",
        params,
    )
    head = tx.one(
        "SELECT COUNT(*) AS n, COALESCE(SUM(d.value), 0) AS value FROM distributions d "
        f"WHERE {where}",
        params,
    ) or {"n": 0, "value": 0}
    totals = _zero()
    by_beneficiary = {category.value: _zero() for category in HouseholdCategory}
    by_category = {category.value: _zero() for category in Category}
    for row in rows:
        for name in COUNTS:
            count = int(row[name])
            totals[name] += count
            by_beneficiary[row["beneficiary"]][name] += count
            by_category[row["category"]][name] += count
    return {
        "distributions": int(head["n"]),
        "value": int(head["value"]),
        "totals": totals,
        "by_beneficiary": by_beneficiary,
        "by_category": by_category,
    }


def unit_counts(
    tx: Transaction, unit_id: str, occurred_from: str, occurred_to: str, include_children: bool
) -> dict[str, Any]:
    """A unit's distributions dated in the period (with ``include_children``, those of
    every unit below it too)."""
    units = f"({units_within(':unit')})" if include_children else "(:unit)"
    return {
        "unit_id": unit_id,
        "from": occurred_from,
        "to": occurred_to,
        "include_children": include_children,
        **counts_where(
            tx,
            f"d.unit_id IN {units} AND d.occurred_on >= :from AND d.occurred_on <= :to",
            {"unit": unit_id, "from": occurred_from, "to": occurred_to},
        ),
    }


def coverage(
    tx: Transaction, unit_id: str, occurred_from: str, occurred_to: str, category: str
) -> dict[str, Any]:
    """For each beneficiary category, the households of the unit's subtree in it on any
    day of the period (``registered``) and how many of them a standing payment of
    ``category`` naming them reached in the period (``reached``)."""
    in_registry = (
        "FROM households h JOIN household_categories c ON c.household_id = h.id "
        f"WHERE h.unit_id IN ({units_within(':unit')}) AND c.since <= :to "
        "AND (c.until IS NULL OR c.until >= :from)"
    )
    reached = (
        "EXISTS (SELECT 1 FROM ledger_entries e WHERE e.household_id = h.id "
        f"AND e.kind = 'disbursement' AND {counted('e')} AND e.category = :category "
        "AND e.occurred_on >= :from AND e.occurred_on <= :to)"
    )
    rows = tx.all(
        "SELECT c.category AS beneficiary, COUNT(DISTINCT h.id) AS registered, "
        f"COUNT(DISTINCT CASE WHEN {reached} THEN h.id END) AS reached "
        f"{in_registry} GROUP BY c.category",
        {"unit": unit_id, "from": occurred_from, "to": occurred_to, "category": category},
    )
    found = {row["beneficiary"]: row for row in rows}
    lines = {}
    for beneficiary in HouseholdCategory:
        row = found.get(beneficiary.value, {"registered": 0, "reached": 0})
        registered, reached_count = int(row["registered"]), int(row["reached"])
        lines[beneficiary.value] = {
            "registered": registered,
            "reached": reached_count,
            "coverage_pct": round(100 * reached_count / registered, 1) if registered else None,
        }
    return {
        "unit_id": unit_id,
        "from": occurred_from,
        "to": occurred_to,
        "category": category,
        "by_beneficiary": lines,
    }
