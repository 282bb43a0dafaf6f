"""Poverty figures from the registry, per unit (with the units below it) and year: the
households that escaped poverty, those that fell into it (a poor or near-poor period
that began in the year), those poor and near-poor at the year's end, and of the
households first supported in the year, how many escaped within one, two and three
years of that first support."""

from __future__ import annotations

from datetime import date
from typing import Any

from service.adapters.db import Transaction
from service.projections.counting import counted, units_within

#: Escaped "within N years" of the first support: N times 365 days, leap days aside.
WITHIN_YEARS = (1, 2, 3)


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
    return {
        "unit_id": unit_id,
        "year": year,
        "escaped_poverty": int(escaped or 0),
        "fell_into_poverty": periods.get(("poor", "began"), 0),
        "fell_into_near_poverty": periods.get(("near_poor", "began"), 0),
        "poor_at_year_end": periods.get(("poor", "held"), 0),
        "near_poor_at_year_end": periods.get(("near_poor", "held"), 0),
        "first_supported": len(cohort),
        "first_supported_escaped": within,
    }
