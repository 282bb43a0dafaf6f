"""The unit tree: each unit, and every (ancestor, descendant) pair for scope checks."""

from __future__ import annotations

from functools import singledispatchmethod
from typing import Any

from service.adapters.db import Row, Transaction
from service.domain.units import Unit
from service.projections.base import Projection, text_id


class UnitsProjection(Projection):
    name = "units"
    tables = ("units", "unit_tree", "unit_targets")

    @singledispatchmethod
    def apply(self, event: Any, position: int, tx: Transaction) -> None:
        """Events of other aggregates change nothing here."""

    @apply.register
    def _registered(self, event: Unit.Registered, position: int, tx: Transaction) -> None:
        tx.execute(
            "INSERT INTO units (id, name, level, parent_id, code, position, registered_at) "
            "VALUES (:id, :name, :level, :parent_id, :code, :position, :at)",
            {
                "id": str(event.originator_id),
                "name": event.name,
                "level": event.level,
                "parent_id": text_id(event.parent_id),
                "code": event.code,
                "position": position,
                "at": event.timestamp.isoformat(),
            },
        )
        depth = len(event.path) - 1
        tx.executemany(
            "INSERT INTO unit_tree (ancestor_id, unit_id, depth) VALUES (:ancestor, :unit, :depth)",
            [
                {"ancestor": str(ancestor), "unit": str(event.originator_id), "depth": depth - i}
                for i, ancestor in enumerate(event.path)
            ],
        )

    @apply.register
    def _threshold_set(
        self, event: Unit.ApprovalThresholdSet, position: int, tx: Transaction
    ) -> None:
        tx.execute(
            "UPDATE units SET approval_threshold = :amount, position = :position WHERE id = :id",
            {"amount": event.amount, "position": position, "id": str(event.originator_id)},
        )

    @apply.register
    def _target_assigned(self, event: Unit.TargetAssigned, position: int, tx: Transaction) -> None:
        tx.execute(
            "INSERT INTO unit_targets (unit_id, year, fund_kind, amount, assigned_at, "
            "assigned_by, position) VALUES (:unit, :year, :kind, :amount, :at, :by, :position) "
            "ON CONFLICT (unit_id, year, fund_kind) DO UPDATE SET amount = excluded.amount, "
            "assigned_at = excluded.assigned_at, assigned_by = excluded.assigned_by, "
            "position = excluded.position",
            {
                "unit": str(event.originator_id),
                "year": event.year,
                "kind": event.fund_kind,
                "amount": event.amount,
                "at": event.timestamp.isoformat(),
                "by": event.meta.actor,
                "position": position,
            },
        )

    @apply.register
    def _merged(self, event: Unit.Merged, position: int, tx: Transaction) -> None:
        """The merged unit and every unit below it now also sit below the successor, so
        the successor's reports and readers take in their history."""
        tx.execute(
            "UPDATE units SET merged_into_id = :successor, merged_on = :on, position = :position "
            "WHERE id = :id",
            {
                "successor": str(event.successor_id),
                "on": event.merged_on.isoformat(),
                "position": position,
                "id": str(event.originator_id),
            },
        )
        below = tx.all(
            "SELECT unit_id, depth FROM unit_tree WHERE ancestor_id = :unit",
            {"unit": str(event.originator_id)},
        )
        tx.executemany(
            "INSERT INTO unit_tree (ancestor_id, unit_id, depth) VALUES (:ancestor, :unit, :depth) "
            "ON CONFLICT (ancestor_id, unit_id) DO NOTHING",
            [
                {
                    "ancestor": str(ancestor),
                    "unit": str(row["unit_id"]),
                    "depth": int(row["depth"]) + len(event.successor_path) - i,
                }
                for row in below
                for i, ancestor in enumerate(event.successor_path)
            ],
        )


_COLUMNS = (
    "id, name, level, parent_id, code, approval_threshold, merged_into_id, merged_on, "
    "position, registered_at"
)


def get(tx: Transaction, unit_id: str) -> Row | None:
    return tx.one(f"SELECT {_COLUMNS} FROM units WHERE id = :id", {"id": unit_id})


def children(tx: Transaction, parent_id: str | None, after: str | None, limit: int) -> list[Row]:
    """Children of ``parent_id`` (the roots when None) in id order, after a cursor id."""
    where = ["parent_id = :parent" if parent_id else "parent_id IS NULL"]
    if after:
        where.append("id > :after")
    return tx.all(
        f"SELECT {_COLUMNS} FROM units WHERE {' AND '.join(where)} ORDER BY id LIMIT :limit",
        {"parent": parent_id, "after": after, "limit": limit},
    )


def subtree(tx: Transaction, unit_id: str | None, limit: int) -> list[Row]:
    """The unit and every unit below it (every unit when None), by name."""
    if unit_id is None:
        return tx.all(
            f"SELECT {_COLUMNS} FROM units ORDER BY name, id LIMIT :limit", {"limit": limit}
        )
    return tx.all(
        f"SELECT {_COLUMNS} FROM units WHERE id IN "
        "(SELECT unit_id FROM unit_tree WHERE ancestor_id = :unit) ORDER BY name, id LIMIT :limit",
        {"unit": unit_id, "limit": limit},
    )


def path(tx: Transaction, unit_id: str) -> list[str]:
    """The ids of the unit's ancestors and itself, root first; empty if unknown."""
    rows = tx.all(
        "SELECT ancestor_id FROM unit_tree WHERE unit_id = :unit ORDER BY depth DESC",
        {"unit": unit_id},
    )
    return [row["ancestor_id"] for row in rows]


def targets(tx: Transaction, unit_id: str, year: int | None) -> list[Row]:
    """The unit's own targets, by year and kind of fund."""
    where = "unit_id = :unit" + (" AND year = :year" if year is not None else "")
    return tx.all(
        "SELECT unit_id, year, fund_kind, amount, assigned_at, assigned_by, position "
        f"FROM unit_targets WHERE {where} ORDER BY year, fund_kind",
        {"unit": unit_id, "year": year},
    )
