"""House support norms (định mức) as units set them, and the norms that apply to a unit:
for each year and kind of house, the one set by the nearest unit from it up."""

from __future__ import annotations

from functools import singledispatchmethod
from typing import Any

from service.adapters.db import Row, Transaction
from service.domain.units import Unit
from service.projections.base import Projection


class HouseNormsProjection(Projection):
    name = "house_norms"
    tables = ("house_norms",)

    @singledispatchmethod
    def apply(self, event: Any, position: int, tx: Transaction) -> None:
        """Other events change nothing here."""

    @apply.register
    def _set(self, event: Unit.HouseNormSet, position: int, tx: Transaction) -> None:
        tx.execute(
            "INSERT INTO house_norms (unit_id, year, kind, least, most, set_at, set_by, "
            "position) VALUES (:unit, :year, :kind, :least, :most, :at, :by, :position) "
            "ON CONFLICT (unit_id, year, kind) DO UPDATE SET least = excluded.least, "
            "most = excluded.most, set_at = excluded.set_at, set_by = excluded.set_by, "
            "position = excluded.position",
            {
                "unit": str(event.originator_id),
                "year": event.year,
                "kind": event.kind,
                "least": event.least,
                "most": event.most,
                "at": event.timestamp.isoformat(),
                "by": event.meta.actor,
                "position": position,
            },
        )


def applying(tx: Transaction, unit_id: str, year: int | None) -> list[Row]:
    """The norms that apply to houses of the unit, by year and kind: each the one set by
    the nearest unit on its path, with the name of the unit that set it."""
    rows = tx.all(
        "SELECT n.year, n.kind, n.least, n.most, n.unit_id AS set_by_unit_id, "
        "u.name AS set_by_unit_name, t.depth FROM house_norms n "
        "JOIN unit_tree t ON t.ancestor_id = n.unit_id JOIN units u ON u.id = n.unit_id "
        "WHERE t.unit_id = :unit AND (CAST(:year AS integer) IS NULL OR n.year = :year) "
        "ORDER BY n.year, n.kind, t.depth",
        {"unit": unit_id, "year": year},
    )
    nearest: dict[tuple[int, str], Row] = {}
    for row in rows:
        nearest.setdefault((int(row["year"]), str(row["kind"])), row)
    return [
        {key: value for key, value in row.items() if key != "depth"} for row in nearest.values()
    ]
