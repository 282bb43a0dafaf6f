"""Supervision: each review, and each finding with the reviewed unit's response."""

from __future__ import annotations

import json
from functools import singledispatchmethod
from typing import Any

from service.adapters.db import Row, Transaction
from service.domain.supervision import Supervision
from service.domain.vocabulary import SupervisionStatus
from service.projections import counting
from service.projections.base import Projection, text_id


class SupervisionProjection(Projection):
    name = "supervisions"
    tables = ("supervisions", "supervision_findings")

    @singledispatchmethod
    def apply(self, event: Any, position: int, tx: Transaction) -> None:
        """Events of other aggregates change nothing here."""

    @apply.register
    def _opened(self, event: Supervision.Opened, position: int, tx: Transaction) -> None:
        tx.execute(
            "INSERT INTO supervisions (id, unit_id, board_unit_id, subject_kind, subject_id, "
            "period_from, period_to, title, status, opened_at, opened_by, opened_position, "
            "position) VALUES (:id, :unit_id, :board_unit_id, :subject_kind, :subject_id, "
            ":period_from, :period_to, :title, :status, :at, :by, :position, :position)",
            {
                "id": str(event.originator_id),
                "unit_id": str(event.unit_id),
                "board_unit_id": str(event.board_unit_id),
                "subject_kind": event.subject_kind,
                "subject_id": text_id(event.subject_id),
                "period_from": event.period_from.isoformat() if event.period_from else None,
                "period_to": event.period_to.isoformat() if event.period_to else None,
                "title": event.title,
                "status": SupervisionStatus.OPEN.value,
                "at": event.timestamp.isoformat(),
                "by": event.meta.actor,
                "position": position,
            },
        )

    @apply.register
    def _finding(self, event: Supervision.FindingRecorded, position: int, tx: Transaction) -> None:
        tx.execute(
            "INSERT INTO supervision_findings (finding_id, supervision_id, seq, severity, "
            "description, recommendation, fund_id, entry_ids, positions, recorded_at, "
            "recorded_by, position) VALUES (:finding_id, :supervision_id, :seq, :severity, "
            ":description, :recommendation, :fund_id, :entry_ids, :positions, :at, :by, "
            ":position)",
            {
                "finding_id": str(event.finding_id),
                "supervision_id": str(event.originator_id),
                "seq": event.originator_version,
                "severity": event.severity,
                "description": event.description,
                "recommendation": event.recommendation,
                "fund_id": text_id(event.fund_id),
                "entry_ids": json.dumps([str(entry_id) for entry_id in event.entry_ids]),
                "positions": json.dumps(event.positions),
                "at": event.timestamp.isoformat(),
                "by": event.meta.actor,
                "position": position,
            },
        )
        self._touch(tx, event, position, "findings_count = findings_count + 1")

    @apply.register
    def _response(
        self, event: Supervision.ResponseRecorded, position: int, tx: Transaction
    ) -> None:
        tx.execute(
            "UPDATE supervision_findings SET response = :response, responded_at = :at, "
            "responded_by = :by WHERE finding_id = :finding_id",
            {
                "response": event.response,
                "at": event.timestamp.isoformat(),
                "by": event.meta.actor,
                "finding_id": str(event.finding_id),
            },
        )
        self._touch(tx, event, position, "responses_count = responses_count + 1")

    @apply.register
    def _concluded(self, event: Supervision.Concluded, position: int, tx: Transaction) -> None:
        tx.execute(
            "UPDATE supervisions SET status = :status, conclusion = :conclusion, "
            "concluded_at = :at, concluded_by = :by WHERE id = :id",
            {
                "status": SupervisionStatus.CONCLUDED.value,
                "conclusion": event.conclusion,
                "at": event.timestamp.isoformat(),
                "by": event.meta.actor,
                "id": str(event.originator_id),
            },
        )
        self._touch(tx, event, position)

    def _touch(self, tx: Transaction, event: Any, position: int, count: str = "") -> None:
        """Moves the review's position to ``position``, and a counter if one is named."""
        tx.execute(
            f"UPDATE supervisions SET {count + ', ' if count else ''}position = :position "
            "WHERE id = :id",
            {"position": position, "id": str(event.originator_id)},
        )


_COLUMNS = (
    "id, unit_id, board_unit_id, subject_kind, subject_id, period_from, period_to, title, "
    "status, findings_count, responses_count, conclusion, opened_at, opened_by, concluded_at, "
    "concluded_by, opened_position, position"
)
_FINDING_COLUMNS = (
    "finding_id, supervision_id, seq, severity, description, recommendation, fund_id, "
    "entry_ids, positions, recorded_at, recorded_by, response, responded_at, responded_by, "
    "position"
)


def get(tx: Transaction, supervision_id: str) -> Row | None:
    return tx.one(f"SELECT {_COLUMNS} FROM supervisions WHERE id = :id", {"id": supervision_id})


def findings(tx: Transaction, supervision_id: str) -> list[Row]:
    """The review's findings in the order they were recorded."""
    rows = tx.all(
        f"SELECT {_FINDING_COLUMNS} FROM supervision_findings WHERE supervision_id = :id "
        "ORDER BY seq",
        {"id": supervision_id},
    )
    for row in rows:
        row["entry_ids"] = json.loads(row["entry_ids"])
        row["positions"] = json.loads(row["positions"])
    return rows


def reviews(
    tx: Transaction,
    *,
    within_unit: str | None,
    status: str | None,
    after_position: int,
    limit: int,
) -> list[Row]:
    """A page of reviews, oldest first; ``within_unit`` limits it to reviews of that unit
    and the units below it."""
    where = ["opened_position > :after"]
    if within_unit:
        where.append(counting.within_unit())
    if status:
        where.append("status = :status")
    return tx.all(
        f"SELECT {_COLUMNS} FROM supervisions WHERE {' AND '.join(where)} "
        "ORDER BY opened_position LIMIT :limit",
        {"after": after_position, "within": within_unit, "status": status, "limit": limit},
    )
