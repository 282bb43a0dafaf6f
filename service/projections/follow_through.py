"""Supervision that follows through: the boards' year plans, and each recommendation with
its owner, deadline and status; what a disclosure counts of them."""

from __future__ import annotations

import json
from functools import singledispatchmethod
from typing import Any

from service.adapters.db import Row, Transaction
from service.domain.follow_through import CARRIED_OUT, PlannedSupervision, Recommendation
from service.domain.vocabulary import RecommendationStatus
from service.projections import counting
from service.projections.base import Projection

_CARRIED_OUT = ", ".join(f"'{status.value}'" for status in sorted(CARRIED_OUT))


class FollowThroughProjection(Projection):
    name = "follow_through"
    tables = ("supervision_plans", "recommendations")

    @singledispatchmethod
    def apply(self, event: Any, position: int, tx: Transaction) -> None:
        """Events of other aggregates change nothing here."""

    @apply.register
    def _planned(self, event: PlannedSupervision.Planned, position: int, tx: Transaction) -> None:
        tx.execute(
            "INSERT INTO supervision_plans (id, board_unit_id, year, month, subject, members, "
            "planned_at, planned_by, position) VALUES (:id, :board, :year, :month, :subject, "
            ":members, :at, :by, :position)",
            {
                "id": str(event.originator_id),
                "board": str(event.board_unit_id),
                "year": event.year,
                "month": event.month,
                "subject": event.subject,
                "members": json.dumps(event.members, ensure_ascii=False),
                "at": event.timestamp.isoformat(),
                "by": event.meta.actor,
                "position": position,
            },
        )

    @apply.register
    def _made(self, event: Recommendation.Made, position: int, tx: Transaction) -> None:
        tx.execute(
            "INSERT INTO recommendations (id, supervision_id, finding_id, unit_id, "
            "board_unit_id, text, owner, deadline, status, made_on, made_at, made_position, "
            "position) VALUES (:id, :supervision_id, :finding_id, :unit_id, :board, :text, "
            ":owner, :deadline, :status, :made_on, :at, :position, :position)",
            {
                "id": str(event.originator_id),
                "supervision_id": str(event.supervision_id),
                "finding_id": str(event.finding_id),
                "unit_id": str(event.unit_id),
                "board": str(event.board_unit_id),
                "text": event.text,
                "owner": event.owner,
                "deadline": event.deadline.isoformat(),
                "status": RecommendationStatus.OPEN.value,
                "made_on": event.timestamp.date().isoformat(),
                "at": event.timestamp.isoformat(),
                "position": position,
            },
        )

    @apply.register
    def _changed(self, event: Recommendation.StatusChanged, position: int, tx: Transaction) -> None:
        tx.execute(
            "UPDATE recommendations SET status = :status, note = :note, changed_at = :at, "
            "changed_by = :by, position = :position WHERE id = :id",
            {
                "status": event.status,
                "note": event.note,
                "at": event.timestamp.isoformat(),
                "by": event.meta.actor,
                "position": position,
                "id": str(event.originator_id),
            },
        )


_PLAN_COLUMNS = (
    "p.id, p.board_unit_id, p.year, p.month, p.subject, p.members, p.planned_at, "
    "p.planned_by, p.position"
)
_COLUMNS = (
    "r.id, r.supervision_id, r.finding_id, r.unit_id, r.board_unit_id, r.text, r.owner, "
    "r.deadline, r.status, r.note, r.made_on, r.made_at, r.changed_at, r.changed_by, "
    "r.made_position, r.position"
)


def plans(tx: Transaction, *, within_unit: str | None, year: int | None) -> list[Row]:
    """The planned supervisions of the boards of ``within_unit``'s subtree, by month."""
    where = ["1 = 1"]
    if within_unit:
        where.append(counting.within_unit("p.board_unit_id"))
    if year:
        where.append("p.year = :year")
    rows = tx.all(
        f"SELECT {_PLAN_COLUMNS} FROM supervision_plans p WHERE {' AND '.join(where)} "
        "ORDER BY p.year, p.month, p.position",
        {"within": within_unit, "year": year},
    )
    for row in rows:
        row["members"] = json.loads(row["members"])
    return rows


def recommendations(
    tx: Transaction,
    *,
    within_unit: str | None,
    overdue_on: str | None,
    after_position: int,
    limit: int,
) -> list[Row]:
    """A page of recommendations about units of ``within_unit``'s subtree or made by its
    boards, oldest first; with ``overdue_on`` (a day), only those overdue on that day."""
    where = ["r.made_position > :after"]
    if within_unit:
        where.append(
            f"({counting.within_unit('r.unit_id')} OR {counting.within_unit('r.board_unit_id')})"
        )
    if overdue_on:
        where.append(f"r.status NOT IN ({_CARRIED_OUT}) AND r.deadline < :day")
    return tx.all(
        f"SELECT {_COLUMNS} FROM recommendations r WHERE {' AND '.join(where)} "
        "ORDER BY r.made_position LIMIT :limit",
        {"after": after_position, "within": within_unit, "day": overdue_on, "limit": limit},
    )


def of_supervision(tx: Transaction, supervision_id: str) -> list[Row]:
    return tx.all(
        f"SELECT {_COLUMNS} FROM recommendations r WHERE r.supervision_id = :id "
        "ORDER BY r.made_position",
        {"id": supervision_id},
    )


def counts(tx: Transaction, unit_id: str, whole: bool, today: str) -> dict[str, int]:
    """Recommendations made to the unit (and the units below it when ``whole``): how many,
    how many carried out, how many overdue today."""
    scope = counting.within_unit("r.unit_id") if whole else "r.unit_id = :within"
    row = tx.one(
        "SELECT count(*) AS made, "
        f"coalesce(sum(CASE WHEN r.status IN ({_CARRIED_OUT}) THEN 1 ELSE 0 END), 0) "
        "AS carried_out, "
        f"coalesce(sum(CASE WHEN r.status NOT IN ({_CARRIED_OUT}) AND r.deadline < :day "
        "THEN 1 ELSE 0 END), 0) AS overdue "
        f"FROM recommendations r WHERE {scope}",
        {"within": unit_id, "day": today},
    )
    assert row is not None
    return {key: int(row[key]) for key in ("made", "carried_out", "overdue")}
