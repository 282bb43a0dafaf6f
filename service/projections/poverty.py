"""Poverty figures from the registry, per unit (with the units below it) and year: the
households that escaped poverty, those that fell into it (a poor or near-poor period
that began in the year), those poor and near-poor at the year's end with the poverty and
near-poverty rates against the households the unit recorded for the year, and of the
households first supported in the year, how many escaped within one, two and three
years of that first support."""

from __future__ import annotations

from datetime import date
from functools import singledispatchmethod
from typing import Any

from service.adapters.db import Transaction
from service.domain.poverty import rate
from service.domain.units import Unit
from service.projections.base import Projection
from service.projections.counting import counted, units_within

#: Escaped "within N years" of the first support: N times 365 days, leap days aside.
WITHIN_YEARS = (1, 2, 3)


class HouseholdCountsProjection(Projection):
    """The number of households each unit recorded for a year: the rates' denominator."""

    name = "household_counts"
    tables = ("unit_household_counts",)

    @singledispatchmethod
    def apply(self, event: Any, position: int, tx: Transaction) -> None:
        """Other events change nothing here."""

    @apply.register
    def _recorded(self, event: Unit.HouseholdCountRecorded, position: int, tx: Transaction) -> None:
        tx.execute(
            "INSERT INTO unit_household_counts (unit_id, year, households, recorded_by, "
            "position) VALUES (:unit, :year, :households, :by, :position) "
            "ON CONFLICT (unit_id, year) DO UPDATE SET households = excluded.households, "
            "recorded_by = excluded.recorded_by, position = excluded.position",
            {
                "unit": str(event.originator_id),
                "year": event.year,
                "households": event.households,
                "by": event.meta.actor,
                "position": position,
            },
        )


def household_count(tx: Transaction, unit_id: str, year: int) -> int | None:
    """The households the unit recorded for ``year`` (its own and its units' below)."""
    found = tx.scalar(
        "SELECT households FROM unit_household_counts WHERE unit_id = :unit AND year = :year",
        {"unit": unit_id, "year": year},
    )
    return None if found is None else int(found)


def figures(tx: Transaction, unit_id: str, year: int) -> dict[str, Any]:
    first, last = f"{year}-01-01", f"{year}-12-31"
    units = f"h.unit_id IN ({units_within(':unit')})"
    params = {"unit": unit_id, "first": first, "last": last}
    escaped = tx.scalar(
        f"SELECT COUNT(*) AS n FROM households h WHERE {units} "
        "AND h.escaped_poverty_on >= :first AND h.escaped_poverty_on <= :last",
        params,
    )
    periods = {
        (row["category"], row["moment"]): int(row["n"])
        for row in tx.all(
            "SELECT c.category, 'began' AS moment, COUNT(DISTINCT h.id) AS n "
            "FROM households h JOIN household_categories c ON c.household_id = h.id "
            f"WHERE {units} AND c.category IN ('poor', 'near_poor') "
            "AND c.since >= :first AND c.since <= :last GROUP BY c.category "
            "UNION ALL "
            "SELECT c.category, 'held' AS moment, COUNT(DISTINCT h.id) AS n "
            "FROM households h JOIN household_categories c ON c.household_id = h.id "
            f"WHERE {units} AND c.category IN ('poor', 'near_poor') "
            "AND c.since <= :last AND (c.until IS NULL OR c.until > :last) GROUP BY c.category",
            params,
        )
    }
    supported = tx.all(
        "SELECT h.id, h.escaped_poverty_on, MIN(e.occurred_on) AS first_support "
        "FROM households h JOIN ledger_entries e ON e.household_id = h.id "
        f"WHERE {units} AND e.kind = 'disbursement' AND {counted('e')} "
        "GROUP BY h.id, h.escaped_poverty_on",
        params,
    )
    cohort = [row for row in supported if str(row["first_support"])[:4] == str(year)]
    within = {f"within_{n}_years": 0 for n in WITHIN_YEARS}
    for row in cohort:
        if not row["escaped_poverty_on"]:
            continue
        days = (
            date.fromisoformat(str(row["escaped_poverty_on"])[:10])
            - date.fromisoformat(str(row["first_support"])[:10])
        ).days
        for n in WITHIN_YEARS:
            if 0 <= days <= 365 * n:
                within[f"within_{n}_years"] += 1
    poor, near_poor = periods.get(("poor", "held"), 0), periods.get(("near_poor", "held"), 0)
    households = household_count(tx, unit_id, year)
    return {
        "unit_id": unit_id,
        "year": year,
        "escaped_poverty": int(escaped or 0),
        "fell_into_poverty": periods.get(("poor", "began"), 0),
        "fell_into_near_poverty": periods.get(("near_poor", "began"), 0),
        "poor_at_year_end": poor,
        "near_poor_at_year_end": near_poor,
        "households": households,
        "poverty_rate_pct": rate(poor, households),
        "near_poverty_rate_pct": rate(near_poor, households),
        "first_supported": len(cohort),
        "first_supported_escaped": within,
    }
