"""What a unit holds when it is merged, read from the read models."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from service.adapters.db import Transaction
from service.domain.reorganisation import UnitContents


def unit_contents(tx: Transaction, unit_id: str) -> UnitContents:
    """The unit's funds (first opened first), its cases, the open pledges to its funds
    (first made first), the names of the units directly
    below it that are not merged yet, and the date of its latest entry."""
    params = {"unit": unit_id}

    def ids(sql: str) -> list[UUID]:
        return [UUID(str(row["id"])) for row in tx.all(sql, params)]

    last = tx.scalar(
        "SELECT MAX(occurred_on) AS last FROM ledger_entries WHERE fund_id IN "
        "(SELECT id FROM funds WHERE unit_id = :unit)",
        params,
    )
    return UnitContents(
        funds=ids("SELECT id FROM funds WHERE unit_id = :unit ORDER BY opened_at, id"),
        households=ids("SELECT id FROM households WHERE unit_id = :unit ORDER BY id"),
        house_projects=ids("SELECT id FROM house_projects WHERE unit_id = :unit ORDER BY id"),
        grants=ids("SELECT id FROM livelihood_grants WHERE unit_id = :unit ORDER BY id"),
        pledges=ids(
            "SELECT pledge_id AS id FROM pledges WHERE status = 'open' AND fund_id IN "
            "(SELECT id FROM funds WHERE unit_id = :unit) ORDER BY position"
        ),
        unmerged_children=[
            str(row["name"])
            for row in tx.all(
                "SELECT name FROM units WHERE parent_id = :unit AND merged_into_id IS NULL "
                "ORDER BY name",
                params,
            )
        ],
        last_entry_on=date.fromisoformat(str(last)) if last else None,
    )
