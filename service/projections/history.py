"""A household's case history, read from the other read models: every disbursement naming
it (from any fund), its houses with their stages and tranches, its grants with their
follow-ups, and its totals by category and by year. Owns no table."""

from __future__ import annotations

from typing import Any

from service.adapters.db import Row, Transaction
from service.domain.vocabulary import Category
from service.projections import counting
from service.projections import grants as grant_view
from service.projections import houses as house_view


def disbursements(tx: Transaction, household_id: str) -> list[Row]:
    """Every disbursement naming the household, by voucher date; reversed ones marked."""
    rows = tx.all(
        "SELECT e.entry_id, e.fund_id, f.name AS fund_name, f.unit_id, e.occurred_on, "
        "e.category, e.amount, e.house_project_id, e.grant_id, e.voucher_no, e.note, "
        "e.repeat_reason, e.student_name_sealed, e.school, e.school_year, "
        f"e.reversed_by_entry_id, {counting.counted('e')} AS counted, e.position "
        "FROM ledger_entries e "
        "JOIN funds f ON f.id = e.fund_id WHERE e.household_id = :id "
        "AND e.kind = 'disbursement' ORDER BY e.occurred_on, e.position",
        {"id": household_id},
    )
    for row in rows:
        row["reversed"] = row["reversed_by_entry_id"] is not None
    return rows


def houses(tx: Transaction, household_id: str) -> list[Row]:
    ids = tx.all(
        "SELECT id FROM house_projects WHERE household_id = :id ORDER BY approved_position",
        {"id": household_id},
    )
    return [row for i in ids if (row := house_view.get(tx, i["id"])) is not None]


def grants(tx: Transaction, household_id: str) -> list[Row]:
    return grant_view.grants(tx, within_unit=None, household_id=household_id)


def totals(entries: list[Row]) -> dict[str, Any]:
    """What the household received in money, by category and by year; reversed entries
    and their reversals count nowhere."""
    counted = [entry for entry in entries if entry["counted"]]
    by_year: dict[str, dict[str, Any]] = {}
    for entry in counted:
        year = by_year.setdefault(
            str(entry["occurred_on"])[:4],
            {"total": 0, "by_category": {category.value: 0 for category in Category}},
        )
        year["total"] += entry["amount"]
        year["by_category"][entry["category"]] += entry["amount"]
    by_category = {
        category.value: sum(e["amount"] for e in counted if e["category"] == category)
        for category in Category
    }
    return {
        "total": sum(by_category.values()),
        "by_category": by_category,
        "by_year": dict(sorted(by_year.items())),
    }
