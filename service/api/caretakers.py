"""The members of a village's self-governing group (tổ tự quản) and the households each
looks after."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint

from service.api.operation import WRITE_ERRORS, operation, write_request, written
from service.api.schemas import CaretakerIn, CaretakerList, CaretakerWritten, ReadQuery
from service.projections import caretakers as caretaker_view
from service.reads import fresh, readable_unit
from service.web.context import services

bp = Blueprint("caretakers", __name__)


@bp.post("/units/<uuid:unit_id>/caretakers")
@operation(
    "Assign households to a member of the self-governing group",
    tag="units",
    body=CaretakerIn,
    response=CaretakerWritten,
    status=201,
    errors=WRITE_ERRORS,
)
def assign_caretaker(unit_id: UUID, body: dict[str, Any]) -> dict[str, Any]:
    """Records the households of the village that a member of its self-governing group
    looks after (5 to 10 in the model, at most 10); sent again for the same member it
    replaces the list, and an empty list ends it (administrators and treasurers of the
    village or a unit above)."""
    result = services().ledger.assign_caretaker(
        write_request(), unit_id, body["member"], body["household_ids"]
    )
    return written(result)


@bp.get("/units/<uuid:unit_id>/caretakers")
@operation(
    "The self-governing group's members and their households",
    tag="units",
    query=ReadQuery,
    response=CaretakerList,
    errors=(401, 403, 404, 422),
)
def list_caretakers(unit_id: UUID, query: dict[str, Any]) -> dict[str, Any]:
    """Each member of the village's self-governing group with the households it looks
    after."""
    with fresh(query) as (tx, position):
        readable_unit(tx, unit_id)
        items = caretaker_view.of_unit(tx, str(unit_id))
    return {"items": items, "position": position}
