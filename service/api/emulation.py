"""Targets that are not money (chỉ tiêu thi đua): supervision sessions held, the share of
cultural families, houses handed over; set per unit and year, reported against what was
achieved."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint

from service.api.operation import WRITE_ERRORS, operation, write_request, written
from service.api.schemas import (
    EmulationList,
    EmulationQuery,
    EmulationTargetIn,
    EmulationTargetSetOut,
)
from service.domain.vocabulary import EmulationTarget
from service.projections import emulation as emulation_view
from service.reads import fresh, readable_unit
from service.web.context import services

bp = Blueprint("emulation", __name__)


@bp.put("/units/<uuid:unit_id>/emulation-targets")
@operation(
    "Set an emulation target",
    tag="units",
    body=EmulationTargetIn,
    response=EmulationTargetSetOut,
    errors=WRITE_ERRORS,
)
def set_emulation_target(unit_id: UUID, body: dict[str, Any]) -> dict[str, Any]:
    """Sets a target that is not money for a year (administrators, approvers and
    treasurers of the unit or a unit above); replaces one of the same year and kind."""
    result = services().ledger.set_emulation_target(
        write_request(),
        unit_id,
        body["year"],
        EmulationTarget(body["kind"]),
        body["amount"],
        body["reported"],
    )
    return written(result)


@bp.get("/units/<uuid:unit_id>/emulation-targets")
@operation(
    "Emulation targets against achievement",
    tag="units",
    query=EmulationQuery,
    response=EmulationList,
    errors=(401, 403, 404, 422),
)
def list_emulation_targets(unit_id: UUID, query: dict[str, Any]) -> dict[str, Any]:
    """The unit's targets of the year against what it achieved: supervisions opened by the
    boards of the unit and the units below it, houses of its subtree handed over, and the
    share of cultural families it reported."""
    with fresh(query) as (tx, position):
        readable_unit(tx, unit_id)
        items = emulation_view.achievement(tx, str(unit_id), query["year"])
    return {"items": items, "position": position}
