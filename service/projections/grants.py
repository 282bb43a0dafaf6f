"""Livelihood grants: each one with its delivery and outcome, the follow-ups each
delivered grant is due, so that the overdue ones can be listed, and the deliveries the
reports count: each delivery +1 on its date, each reversal of one -1 on the reversal's."""

from __future__ import annotations

import json
from datetime import date
from functools import singledispatchmethod
from typing import Any

from service.adapters.db import Row, Transaction
from service.domain import photos
from service.domain.clock import VIETNAM
from service.domain.grants import FOLLOW_UP_MONTHS, LivelihoodGrant, months_after
from service.projections import counting
from service.projections.base import Projection, text_id, touch


class GrantsProjection(Projection):
    name = "grants"
    tables = ("livelihood_grants", "grant_follow_ups", "grant_deliveries")

    @singledispatchmethod
    def apply(self, event: Any, position: int, tx: Transaction) -> None:
        """Events of other aggregates change nothing here."""

    @apply.register
    def _approved(self, event: LivelihoodGrant.Approved, position: int, tx: Transaction) -> None:
        tx.execute(
            "INSERT INTO livelihood_grants (id, unit_id, household_id, item, attributes, value, "
            "approved_on, note, status, approved_position, position) VALUES (:id, :unit_id, "
            ":household_id, :item, :attributes, :value, :on, :note, 'approved', :position, "
            ":position)",
            {
                "id": str(event.originator_id),
                "unit_id": str(event.unit_id),
                "household_id": str(event.household_id),
                "item": event.item,
                "attributes": json.dumps(event.attributes, ensure_ascii=False),
                "value": event.value,
                "on": event.approved_on.isoformat(),
                "note": event.note,
                "position": position,
            },
        )

    @apply.register
    def _delivered(self, event: LivelihoodGrant.Delivered, position: int, tx: Transaction) -> None:
        on = event.on.isoformat()
        self._touch(
            tx,
            event,
            position,
            status="delivered",
            delivery="in_kind" if event.entry_id is None else "disbursement",
            delivered_on=on,
            delivered_value=event.value,
            fund_id=text_id(event.fund_id),
            payment_id=text_id(event.entry_id),
            description=event.description,
            delivery_note=event.note,
        )
        self._schedule(tx, str(event.originator_id), on, position)
        self._count(tx, event, on, 1, position)

    @apply.register
    def _requested(
        self, event: LivelihoodGrant.DeliveryRequested, position: int, tx: Transaction
    ) -> None:
        self._touch(
            tx,
            event,
            position,
            status="awaiting_approval",
            delivery="disbursement",
            delivered_on=event.on.isoformat(),
            delivered_value=event.value,
            fund_id=str(event.fund_id),
            payment_id=str(event.pending_id),
        )

    @apply.register
    def _approved_delivery(
        self, event: LivelihoodGrant.DeliveryApproved, position: int, tx: Transaction
    ) -> None:
        self._touch(tx, event, position, status="delivered", payment_id=str(event.entry_id))
        on = tx.scalar(
            "SELECT delivered_on FROM livelihood_grants WHERE id = :id",
            {"id": str(event.originator_id)},
        )
        self._schedule(tx, str(event.originator_id), str(on), position)
        self._count(tx, event, str(on)[:10], 1, position)

    @apply.register
    def _released(
        self, event: LivelihoodGrant.DeliveryReleased, position: int, tx: Transaction
    ) -> None:
        status = tx.scalar(
            "SELECT status FROM livelihood_grants WHERE id = :id", {"id": str(event.originator_id)}
        )
        if status in ("delivered", "closed"):
            on = event.on or event.timestamp.astimezone(VIETNAM).date()
            self._count(tx, event, on.isoformat(), -1, position)
        self._touch(
            tx,
            event,
            position,
            status="approved",
            **dict.fromkeys(
                ("delivery", "delivered_on", "delivered_value", "fund_id", "payment_id")
            ),
        )
        tx.execute(
            "DELETE FROM grant_follow_ups WHERE grant_id = :id AND followed_on IS NULL",
            {"id": str(event.originator_id)},
        )

    @apply.register
    def _followed(self, event: LivelihoodGrant.FollowedUp, position: int, tx: Transaction) -> None:
        tx.execute(
            "UPDATE grant_follow_ups SET followed_on = :on, status = :status, note = :note, "
            "recorded_by = :by, position = :position WHERE grant_id = :id AND months = :months",
            {
                "on": event.on.isoformat(),
                "status": event.status,
                "note": event.note,
                "by": event.meta.actor,
                "position": position,
                "id": str(event.originator_id),
                "months": event.months,
            },
        )
        self._touch(tx, event, position)

    @apply.register
    def _closed(self, event: LivelihoodGrant.Closed, position: int, tx: Transaction) -> None:
        self._touch(
            tx,
            event,
            position,
            status="closed",
            outcome=event.outcome,
            closed_on=event.on.isoformat(),
            close_note=event.note,
        )

    def _schedule(self, tx: Transaction, grant_id: str, delivered_on: str, position: int) -> None:
        """The follow-ups the grant is due from its delivery (again, if delivered anew)."""
        start = date.fromisoformat(delivered_on[:10])
        for months in FOLLOW_UP_MONTHS:
            tx.execute(
                "INSERT INTO grant_follow_ups (grant_id, months, due_on, position) "
                "VALUES (:id, :months, :due, :position) ON CONFLICT (grant_id, months) "
                "DO UPDATE SET due_on = excluded.due_on",
                {
                    "id": grant_id,
                    "months": months,
                    "due": months_after(start, months).isoformat(),
                    "position": position,
                },
            )

    @apply.register
    def _moved(self, event: LivelihoodGrant.Moved, position: int, tx: Transaction) -> None:
        self._touch(tx, event, position, unit_id=str(event.unit_id))

    def _count(self, tx: Transaction, event: Any, on: str, change: int, position: int) -> None:
        tx.execute(
            "INSERT INTO grant_deliveries (grant_id, counted_on, change, position) "
            "VALUES (:id, :on, :change, :position)",
            {"id": str(event.originator_id), "on": on, "change": change, "position": position},
        )

    @apply.register
    def _evidence(
        self, event: LivelihoodGrant.EvidenceAdded, position: int, tx: Transaction
    ) -> None:
        held = tx.scalar(
            "SELECT evidence FROM livelihood_grants WHERE id = :id",
            {"id": str(event.originator_id)},
        )
        evidence = [*json.loads(held or "[]"), *event.evidence]
        self._touch(tx, event, position, evidence=json.dumps(evidence, ensure_ascii=False))

    def _touch(self, tx: Transaction, event: Any, position: int, **columns: Any) -> None:
        touch(tx, "livelihood_grants", str(event.originator_id), position, **columns)


_COLUMNS = (
    "id, unit_id, household_id, item, attributes, value, approved_on, note, status, delivery, "
    "delivered_on, delivered_value, fund_id, payment_id, description, delivery_note, outcome, "
    "closed_on, close_note, evidence, approved_position, position"
)


def naming_photo(tx: Transaction, digest: str) -> list[Row]:
    """The grants (id and unit) whose delivery's evidence names the photo ``digest``."""
    return tx.all(
        "SELECT id, unit_id FROM livelihood_grants WHERE evidence LIKE :named",
        {"named": f'%"{photos.reference(digest)}"%'},
    )


def get(tx: Transaction, grant_id: str) -> Row | None:
    row = tx.one(f"SELECT {_COLUMNS} FROM livelihood_grants WHERE id = :id", {"id": grant_id})
    return _with_follow_ups(tx, [row])[0] if row else None


def grants(
    tx: Transaction,
    *,
    within_unit: str | None,
    household_id: str | None = None,
    status: str | None = None,
    after_position: int = 0,
    limit: int = 1000,
) -> list[Row]:
    """A page of grants, oldest approval first; ``within_unit`` limits them to that unit and
    the units below it."""
    where = ["approved_position > :after"]
    if within_unit:
        where.append(counting.within_unit())
    if household_id:
        where.append("household_id = :household")
    if status:
        where.append("status = :status")
    rows = tx.all(
        f"SELECT {_COLUMNS} FROM livelihood_grants WHERE {' AND '.join(where)} "
        "ORDER BY approved_position LIMIT :limit",
        {
            "after": after_position,
            "within": within_unit,
            "household": household_id,
            "status": status,
            "limit": limit,
        },
    )
    return _with_follow_ups(tx, rows)


def overdue_follow_ups(
    tx: Transaction, *, within_unit: str | None, today: str, after: int, limit: int
) -> list[Row]:
    """Follow-ups due before ``today`` and not made, of delivered grants still open,
    by due date."""
    scope = f"AND {counting.within_unit('g.unit_id')} " if within_unit else ""
    rows = tx.all(
        "SELECT f.grant_id, f.months, f.due_on, g.unit_id, g.household_id, g.item, "
        "g.delivered_on, g.approved_position FROM grant_follow_ups f "
        "JOIN livelihood_grants g ON g.id = f.grant_id "
        f"WHERE f.followed_on IS NULL AND f.due_on < :today AND g.status = 'delivered' {scope}"
        "ORDER BY f.due_on, g.approved_position, f.months",
        {"today": today, "within": within_unit},
    )
    return rows[after : after + limit]


def _with_follow_ups(tx: Transaction, rows: list[Row]) -> list[Row]:
    for row in rows:
        row["attributes"] = json.loads(row["attributes"])
        row["evidence"] = json.loads(row["evidence"])
        row["follow_ups"] = tx.all(
            "SELECT months, due_on, followed_on, status, note, recorded_by FROM grant_follow_ups "
            "WHERE grant_id = :id ORDER BY months",
            {"id": row["id"]},
        )
    return rows
