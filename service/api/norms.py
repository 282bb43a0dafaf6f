"""House support norms (định mức hỗ trợ nhà): set by a unit per kind of house and year; an
approval above the norm that applies needs a reason and an approver."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint

from service.api.operation import WRITE_ERRORS, operation, write_request, written
from service.api.schemas import HouseNormIn, HouseNormList, HouseNormSetOut, HouseNormsQuery
from service.domain.norms import DEFAULT_NORMS
from service.domain.vocabulary import HouseKind
from service.projections import norms as norm_view
from service.reads import fresh, readable_unit
from service.web.context import services

bp = Blueprint("norms", __name__)


@bp.put("/units/<uuid:unit_id>/house-norms")
@operation(
    "Set a house support norm",
    tag="houses",
    body=HouseNormIn,
    response=HouseNormSetOut,
    errors=WRITE_ERRORS,
)
def set_house_norm(unit_id: UUID, body: dict[str, Any]) -> dict[str, Any]:
    """Sets what the fund gives for a house of a kind approved in a year, for the houses of
    the unit and of the units below it that set none (administrators, approvers of the
    unit or a unit above); replaces an earlier norm of the same year and kind."""
    result = services().ledger.set_house_norm(
        write_request(),
        unit_id,
        body["year"],
        HouseKind(body["kind"]),
        body["least"],
        body["most"],
    )
    return written(result)


@bp.get("/units/<uuid:unit_id>/house-norms")
@operation(
    "List the house support norms that apply to a unit",
    tag="houses",
    query=HouseNormsQuery,
    response=HouseNormList,
    errors=(401, 403, 404, 422),
)
def list_house_norms(unit_id: UUID, query: dict[str, Any]) -> dict[str, Any]:
    """For each year and kind of house, the norm set by the nearest unit from this one up;
    and the ceiling that applies where no unit set one."""
    with fresh(query) as (tx, _):
        readable_unit(tx, unit_id)
        items = norm_view.applying(tx, str(unit_id), query["year"])
    return {
        "items": items,
        "default_most": {kind.value: most for kind, most in DEFAULT_NORMS.items()},
    }
