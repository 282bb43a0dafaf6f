"""Poverty figures from the registry, per unit and year, and the number of households a
unit records for a year, their rates' denominator."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint

from service.api.operation import WRITE_ERRORS, operation, write_request, written
from service.api.schemas import HouseholdCountIn, HouseholdCountOut, PovertyOut, PovertyQuery
from service.projections import poverty as poverty_view
from service.reads import fresh, readable_unit
from service.web.context import services

bp = Blueprint("poverty", __name__)


@bp.get("/units/<uuid:unit_id>/poverty")
@operation(
    "Poverty figures of a year",
    tag="households",
    query=PovertyQuery,
    response=PovertyOut,
    errors=(401, 403, 404, 422),
)
def poverty(unit_id: UUID, query: dict[str, Any]) -> dict[str, Any]:
    """From the registry of the unit and the units below it: households that escaped
    poverty in the year, that fell into poverty or near-poverty, those poor and near-poor
    at its end, and of the households first supported in the year, how many escaped within
    one, two and three years; with the households the unit recorded for the year, its
    poverty and near-poverty rates."""
    with fresh(query) as (tx, position):
        readable_unit(tx, unit_id)
        shown = poverty_view.figures(tx, str(unit_id), query["year"])
    return {**shown, "position": position}


@bp.post("/units/<uuid:unit_id>/household-counts")
@operation(
    "Record the households of a year",
    tag="households",
    body=HouseholdCountIn,
    response=HouseholdCountOut,
    status=201,
    errors=WRITE_ERRORS,
)
def record_household_count(unit_id: UUID, body: dict[str, Any]) -> dict[str, Any]:
    """Records how many households the unit (with the units below it) had in a year,
    whether the funds serve them or not: the denominator of its poverty and near-poverty
    rates (administrators, approvers and treasurers of the unit or a unit above); a later
    count for the same year replaces it."""
    result = services().ledger.record_household_count(
        write_request(), unit_id, body["year"], body["households"]
    )
    return written(result)
