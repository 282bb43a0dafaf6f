"""Bình xét: a unit's meeting that selects the households to be supported; a house or a
grant approval names it (``meeting_id``)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint

from service.api.operation import WRITE_ERRORS, operation, write_request, written
from service.api.schemas import ReadQuery, SelectionHeldOut, SelectionMeetingIn, SelectionMeetingOut
from service.domain.errors import SelectionMeetingNotFound
from service.projections import selections as selection_view
from service.reads import fresh, reached
from service.web import bodies
from service.web.context import services

bp = Blueprint("selections", __name__)


@bp.post("/units/<uuid:unit_id>/selection-meetings")
@operation(
    "Record a bình xét meeting",
    tag="houses",
    body=SelectionMeetingIn,
    response=SelectionHeldOut,
    status=201,
    errors=WRITE_ERRORS,
    creates={201: "meeting_id"},
)
def hold_selection_meeting(unit_id: UUID, body: dict[str, Any]) -> dict[str, Any]:
    """Records the meeting of the unit (a village, usually) that put households forward
    for support: its date, attendance, chair, votes and the hash of its minutes
    (administrators, treasurers of the unit or a unit above). A house or grant approval
    then names it as ``meeting_id``."""
    result = services().ledger.hold_selection_meeting(
        write_request(),
        unit_id,
        body["held_on"],
        body["purpose"],
        body["attendees"],
        body["chaired_by"],
        bodies.nominees(body),
        (body["minutes_name"], body["minutes_sha256"]),
    )
    return written(result)


@bp.get("/selection-meetings/<uuid:meeting_id>")
@operation(
    "Read a bình xét meeting",
    tag="houses",
    query=ReadQuery,
    response=SelectionMeetingOut,
    errors=(401, 403, 404),
)
def get_selection_meeting(meeting_id: UUID, query: dict[str, Any]) -> dict[str, Any]:
    """The meeting, and the households it put forward with their votes (ids only)."""
    missing = SelectionMeetingNotFound(
        "Không có cuộc họp bình xét nào với mã này. Hãy kiểm tra lại mã.",
        meeting_id=str(meeting_id),
    )
    with fresh(query) as (tx, position):
        meeting = reached(tx, selection_view.get(tx, str(meeting_id)), missing)
    return {**meeting, "position": position}
