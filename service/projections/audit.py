"""The audit trail: every event of the log with its metadata, newest last."""

from __future__ import annotations

import base64
import dataclasses
import json
from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import AggregateCreated

from service.adapters.db import Row, Transaction
from service.domain.units import Unit
from service.projections import counting
from service.projections.base import Projection

_BASE_FIELDS = {"originator_id", "originator_version", "timestamp", "originator_topic", "meta"}
_REMEMBERED_UNITS = 100_000


class AuditProjection(Projection):
    name = "audit"
    weight = 10
    tables = ("audit_events", "audit_aggregate_units")

    def __init__(self) -> None:
        self._units: dict[str, str | None] = {}

    def apply(self, event: Any, position: int, tx: Transaction) -> None:
        meta = getattr(event, "meta", None)
        aggregate_id = str(event.originator_id)
        unit_id = self._unit_of(tx, event, aggregate_id, meta)
        fields = {name: getattr(event, name) for name in _fields_of(type(event))}
        occurred_on = getattr(event, "occurred_on", None)
        tx.insert(
            "audit_events",
            {
                "position": position,
                "originator_id": aggregate_id,
                "originator_version": event.originator_version,
                "aggregate_type": type(event).__qualname__.split(".")[0],
                "event_type": type(event).__name__,
                "unit_id": unit_id,
                "recorded_at": event.timestamp.isoformat(),
                "occurred_on": occurred_on.isoformat() if occurred_on else None,
                "actor_id": meta.actor_id if meta else None,
                "actor": meta.actor if meta else None,
                "role": meta.role if meta else None,
                "actor_unit_id": meta.unit_id if meta else None,
                "idempotency_key": meta.idempotency_key if meta else None,
                "request_id": meta.request_id if meta else None,
                "data": json.dumps(
                    fields, default=_json_default, ensure_ascii=False, sort_keys=True
                ),
            },
        )

    def _unit_of(self, tx: Transaction, event: Any, aggregate_id: str, meta: Any) -> str | None:
        """The unit an event is about: a unit itself, the unit an aggregate was created for
        (a fund, a witness), else the actor's."""
        created_for = getattr(event, "unit_id", None)
        if isinstance(event, Unit.Registered):
            unit_id: str | None = aggregate_id
        elif isinstance(event, AggregateCreated) and created_for:
            unit_id = str(created_for)
        else:
            if aggregate_id not in self._units:
                self._remember_room()
                self._units[aggregate_id] = tx.scalar(
                    "SELECT unit_id FROM audit_aggregate_units WHERE aggregate_id = :id",
                    {"id": aggregate_id},
                )
            unit_id = self._units[aggregate_id] or (meta.unit_id if meta else None)
            return unit_id
        tx.execute(
            "INSERT INTO audit_aggregate_units (aggregate_id, unit_id) VALUES (:id, :unit)",
            {"id": aggregate_id, "unit": unit_id},
        )
        self._remember_room()
        self._units[aggregate_id] = unit_id
        return unit_id

    def _remember_room(self) -> None:
        """Keeps the remembered units bounded, so a rebuild's memory does not grow with the
        number of aggregates (forgotten ones are read again from the store)."""
        if len(self._units) >= _REMEMBERED_UNITS:
            self._units.clear()


def _fields_of(event_type: type[Any]) -> tuple[str, ...]:
    """The fields of an event class that the trail shows as its data."""
    if event_type not in _FIELDS:
        _FIELDS[event_type] = tuple(
            f.name for f in dataclasses.fields(event_type) if f.name not in _BASE_FIELDS
        )
    return _FIELDS[event_type]


_FIELDS: dict[type[Any], tuple[str, ...]] = {}


def _json_default(value: Any) -> Any:
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    raise TypeError(f"cannot record {type(value).__name__} in the audit trail")


_COLUMNS = (
    "position, originator_id, originator_version, aggregate_type, event_type, unit_id, "
    "recorded_at, occurred_on, actor_id, actor, role, actor_unit_id, idempotency_key, "
    "request_id, data"
)


def events(
    tx: Transaction,
    *,
    within_unit: str | None,
    aggregate_id: str | None,
    actor: str | None,
    unit_id: str | None,
    recorded_from: str | None,
    recorded_to: str | None,
    event_type: str | None,
    after_position: int,
    limit: int,
) -> list[Row]:
    """A page of the audit trail, oldest first, each event with its leaf in the log's
    tree (once the tree has reached it); ``within_unit`` limits it to a subtree."""
    where = ["position > :after"]
    if within_unit:
        where.append(counting.within_unit())
    if aggregate_id:
        where.append("originator_id = :aggregate_id")
    if actor:
        where.append("(actor = :actor OR actor_id = :actor)")
    if unit_id:
        where.append("unit_id = :unit_id")
    if recorded_from:
        where.append("recorded_at >= :from")
    if recorded_to:
        where.append("recorded_at < :to")
    if event_type:
        where.append("event_type = :event_type")
    rows = tx.all(
        f"SELECT {_COLUMNS}, leaf.hash AS leaf_hash FROM audit_events "
        "LEFT JOIN log_nodes leaf ON leaf.level = 0 AND leaf.idx = position - 1 "
        f"WHERE {' AND '.join(where)} ORDER BY position LIMIT :limit",
        {
            "after": after_position,
            "within": within_unit,
            "aggregate_id": aggregate_id,
            "actor": actor,
            "unit_id": unit_id,
            "from": recorded_from,
            "to": recorded_to,
            "event_type": event_type,
            "limit": limit,
        },
    )
    for row in rows:
        row["data"] = json.loads(row["data"])
        leaf = row["leaf_hash"]
        row["leaf_hash"] = base64.b64encode(bytes(leaf)).decode() if leaf is not None else None
    return rows


def event_types(tx: Transaction) -> list[str]:
    """Every type of event the trail holds, by name."""
    rows = tx.all("SELECT DISTINCT event_type FROM audit_events ORDER BY event_type")
    return [row["event_type"] for row in rows]


def position_of(tx: Transaction, aggregate_id: str, version: int) -> int | None:
    position = tx.scalar(
        "SELECT position FROM audit_events WHERE originator_id = :id AND originator_version = :v",
        {"id": aggregate_id, "v": version},
    )
    return None if position is None else int(position)


def positions_between(tx: Transaction, recorded_from: str, recorded_to: str) -> tuple[int, int]:
    """The first and last positions recorded in [from, to) (UTC times); (0, 0) if none."""
    row = tx.one(
        "SELECT MIN(position) AS first, MAX(position) AS last FROM audit_events "
        "WHERE recorded_at >= :from AND recorded_at < :to",
        {"from": recorded_from, "to": recorded_to},
    )
    if row is None or row["first"] is None:
        return 0, 0
    return int(row["first"]), int(row["last"])
