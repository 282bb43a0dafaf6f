"""Bình xét: the meeting that selects the households to be supported, recorded before a
house or a grant is approved."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from uuid import UUID

from service.application.core import LedgerCore
from service.application.engine import Changes, Request, Written
from service.application.roles import CASE_WRITERS
from service.domain.actors import Meta
from service.domain.errors import InvalidInput
from service.domain.selections import Nominee, SelectionMeeting


class SelectionUseCases(LedgerCore):
    """The use cases of bình xét meetings."""

    def hold_selection_meeting(
        self,
        request: Request,
        unit_id: UUID,
        held_on: date,
        purpose: str,
        attendees: int,
        chaired_by: str,
        nominees: Sequence[Nominee],
        minutes: tuple[str, str],
    ) -> Written:
        def hold(meta: Meta, today: date) -> Changes:
            unit = self._unit(unit_id, field="unit_id")
            request.actor.require(CASE_WRITERS, unit.path, "ghi cuộc họp bình xét")
            unit.check_open()
            for i, nominee in enumerate(nominees):
                field = f"nominees.{i}.household_id"
                household = self.household(nominee.household_id, field=field)
                if unit.id not in household.unit_path:
                    raise InvalidInput(
                        field,
                        f"Hộ này không thuộc {unit.name}; chỉ bình xét các hộ của đơn vị. "
                        "Hãy bỏ hộ này khỏi danh sách.",
                    )
            meeting = SelectionMeeting.hold(
                unit.id,
                unit.path,
                held_on,
                today,
                purpose,
                attendees,
                chaired_by,
                nominees,
                minutes,
                meta,
            )
            return Changes(
                [meeting],
                {
                    "id": str(meeting.id),
                    "unit_id": str(unit.id),
                    "held_on": held_on.isoformat(),
                    "selected": sorted(meeting.selected),
                },
            )

        return self._write(request, hold)
