"""Targets that are not money (chỉ tiêu thi đua) and their achievement: supervision
sessions the unit's boards held, houses handed over, and the share of cultural families
the unit reports."""

from __future__ import annotations

from functools import singledispatchmethod
from typing import Any

from service.adapters.db import Transaction
from service.domain.units import Unit
from service.domain.vocabulary import EmulationTarget
from service.projections.base import Projection
from service.projections.counting import units_within


class EmulationTargetsProjection(Projection):
    name = "emulation_targets"
    tables = ("emulation_targets",)

    @singledispatchmethod
    def apply(self, event: Any, position: int, tx: Transaction) -> None:
        """Other events change nothing here."""

    @apply.register
    def _set(self, event: Unit.EmulationTargetSet, position: int, tx: Transaction) -> None:
        tx.execute(
            "INSERT INTO emulation_targets (unit_id, year, kind, amount, reported, set_by, "
            "position) VALUES (:unit, :year, :kind, :amount, :reported, :by, :position) "
            "ON CONFLICT (unit_id, year, kind) DO UPDATE SET amount = excluded.amount, "
            "reported = excluded.reported, set_by = excluded.set_by, "
            "position = excluded.position",
            {
                "unit": str(event.originator_id),
                "year": event.year,
                "kind": event.kind,
                "amount": event.amount,
                "reported": event.reported,
                "by": event.meta.actor,
                "position": position,
            },
        )


def achievement(tx: Transaction, unit_id: str, year: int) -> list[dict[str, Any]]:
    """The unit's targets of ``year`` against what it achieved: supervisions opened in the
    year by the boards of the unit and the units below it, houses of its subtree handed
    over in the year, and the share of cultural families as reported."""
    params = {"unit": unit_id, "from": f"{year}-01-01", "next": f"{year + 1}-01-01"}
    counted = {
        EmulationTarget.SUPERVISIONS.value: supervisions_held(tx, unit_id, year),
        EmulationTarget.HOUSES_BUILT.value: tx.scalar(
            "SELECT COUNT(*) AS n FROM house_projects h JOIN house_stages s "
            "ON s.project_id = h.id AND s.stage = 'handed_over' "
            f"WHERE h.unit_id IN ({units_within(':unit')}) "
            "AND s.reached_on >= :from AND s.reached_on < :next",
            params,
        ),
    }
    rows = tx.all(
        "SELECT kind, amount, reported FROM emulation_targets "
        "WHERE unit_id = :unit AND year = :year ORDER BY kind",
        {"unit": unit_id, "year": year},
    )
    items = []
    for row in rows:
        achieved = row["reported"] if row["kind"] not in counted else counted[row["kind"]]
        amount = int(row["amount"])
        items.append(
            {
                "year": year,
                "kind": row["kind"],
                "target": amount,
                "achieved": None if achieved is None else int(achieved),
                "achievement_pct": round(100 * int(achieved) / amount, 1)
                if achieved is not None and amount
                else None,
            }
        )
    return items


def supervisions_held(tx: Transaction, unit_id: str, year: int) -> int:
    """The reviews opened in ``year`` by the boards of the unit and the units below it."""
    return int(
        tx.scalar(
            "SELECT COUNT(*) AS n FROM supervisions "
            f"WHERE board_unit_id IN ({units_within(':unit')}) "
            "AND opened_at >= :from AND opened_at < :next",
            {"unit": unit_id, "from": f"{year}-01-01", "next": f"{year + 1}-01-01"},
        )
        or 0
    )
