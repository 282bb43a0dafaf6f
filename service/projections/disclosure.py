"""What the public disclosure (công khai) of a unit shows beside the report: money in and
out month by month, the houses by stage, and the households supported in the period."""

from __future__ import annotations

from datetime import date
from typing import Any

from service.adapters.db import Row, Transaction
from service.projections.counting import FundScope, money


def months(first: date, last: date) -> list[str]:
    """The months ``first`` to ``last`` touch, as ``YYYY-MM``."""
    found, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        found.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def monthly(
    tx: Transaction, unit_id: str, first: date, last: date, include_children: bool
) -> list[Row]:
    """Money received and paid out in each month of the period (goods and transfers
    apart; a reversal in the month it was made, taking back what it reverses), every
    month listed, empty ones with zeros."""
    scope = FundScope(tx, unit_id, include_children)
    rows = tx.all(
        "SELECT SUBSTR(CAST(occurred_on AS text), 1, 7) AS month, counts_as AS kind, "
        "COALESCE(SUM(signed_amount), 0) AS amount FROM ledger_entries "
        f"WHERE {scope.holds('fund_id')} "
        f"AND counts_as IN ('receipt', 'disbursement') AND {money()} "
        "AND occurred_on >= :from AND occurred_on <= :to "
        "GROUP BY SUBSTR(CAST(occurred_on AS text), 1, 7), counts_as",
        {"from": first.isoformat(), "to": last.isoformat(), **scope.params},
    )
    by_month: dict[str, dict[str, Any]] = {
        m: {"month": m, "receipts": 0, "disbursements": 0} for m in months(first, last)
    }
    for row in rows:
        column = "receipts" if row["kind"] == "receipt" else "disbursements"
        by_month[row["month"]][column] += int(row["amount"])
    return list(by_month.values())


def supported_households(
    tx: Transaction, unit_id: str, first: date, last: date, include_children: bool
) -> list[Row]:
    """The households named by the period's disbursements, with what they received, in
    the order first supported; their names sealed, for the caller to mask. A
    disbursement reversed later still counts in its own period, which never changes."""
    scope = FundScope(tx, unit_id, include_children)
    return tx.all(
        "SELECT h.id, h.unit_id, u.name AS unit_name, h.head_name_sealed, h.erased_at, "
        "s.amount, s.entries FROM households h JOIN units u ON u.id = h.unit_id JOIN "
        "(SELECT household_id, SUM(amount) AS amount, COUNT(*) AS entries, "
        "MIN(position) AS first FROM ledger_entries "
        f"WHERE {scope.holds('fund_id')} AND kind = 'disbursement' "
        "AND household_id IS NOT NULL "
        "AND occurred_on >= :from AND occurred_on <= :to GROUP BY household_id) s "
        "ON s.household_id = h.id ORDER BY s.first",
        {"from": first.isoformat(), "to": last.isoformat(), **scope.params},
    )
