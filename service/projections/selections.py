"""Bình xét meetings and the households they put forward, with the votes for each."""

from __future__ import annotations

from functools import singledispatchmethod
from typing import Any

from service.adapters.db import Row, Transaction
from service.domain.selections import SelectionMeeting
from service.projections.base import Projection


class SelectionMeetingsProjection(Projection):
    name = "selection_meetings"
    tables = ("selection_meetings", "selection_nominees")

    @singledispatchmethod
    def apply(self, event: Any, position: int, tx: Transaction) -> None:
        """Events of other aggregates change nothing here."""

    @apply.register
    def _held(self, event: SelectionMeeting.Held, position: int, tx: Transaction) -> None:
        meeting = str(event.originator_id)
        tx.insert(
            "selection_meetings",
            {
                "id": meeting,
                "unit_id": str(event.unit_id),
                "held_on": event.held_on.isoformat(),
                "purpose": event.purpose,
                "attendees": event.attendees,
                "chaired_by": event.chaired_by,
                "minutes_name": event.minutes_name,
                "minutes_sha256": event.minutes_sha256,
                "recorded_by": event.meta.actor,
                "position": position,
            },
        )
        for nominee in event.nominees:
            tx.insert("selection_nominees", {"meeting_id": meeting, **nominee})


def get(tx: Transaction, meeting_id: str) -> Row | None:
    """The meeting with the households it put forward, in the order of the votes for."""
    meeting = tx.one(
        "SELECT id, unit_id, held_on, purpose, attendees, chaired_by, minutes_name, "
        "minutes_sha256, position FROM selection_meetings WHERE id = :id",
        {"id": meeting_id},
    )
    if meeting is None:
        return None
    nominees = tx.all(
        "SELECT household_id, votes_for, votes_against, selected FROM selection_nominees "
        "WHERE meeting_id = :id ORDER BY votes_for DESC, household_id",
        {"id": meeting_id},
    )
    return {**meeting, "nominees": [{**n, "selected": bool(n["selected"])} for n in nominees]}
