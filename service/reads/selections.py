"""The bình xét meetings a page lists: those of a unit's subtree (every one for an
admin), latest first, each with its unit's name and how many households it selected."""

from __future__ import annotations

from service.adapters.db import Row, Transaction
from service.projections.counting import within_unit


def meetings_within(tx: Transaction, scope: str | None, limit: int) -> list[Row]:
    """The meetings of the units of ``scope``'s subtree (all with ``None``), latest first."""
    where = f"WHERE {within_unit('m.unit_id')}" if scope else ""
    return tx.all(
        "SELECT m.id, m.unit_id, u.name AS unit_name, m.held_on, m.purpose, m.attendees, "
        "m.chaired_by, m.minutes_name, m.minutes_sha256, "
        "(SELECT COUNT(*) FROM selection_nominees n WHERE n.meeting_id = m.id) AS put_forward, "
        "(SELECT COUNT(*) FROM selection_nominees n WHERE n.meeting_id = m.id "
        "AND n.selected = :yes) AS selected "
        f"FROM selection_meetings m JOIN units u ON u.id = m.unit_id {where} "
        "ORDER BY m.held_on DESC, m.position DESC LIMIT :limit",
        {"within": scope, "limit": limit, "yes": True},
    )
