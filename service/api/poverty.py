"""Poverty figures from the registry, per unit and year."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint

from service.api.operation import operation
from service.api.schemas import PovertyOut, PovertyQuery
from service.projections import poverty as poverty_view
from service.reads import fresh, readable_unit

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
    one, two and three years."""
    with fresh(query) as (tx, position):
        readable_unit(tx, unit_id)
        shown = poverty_view.figures(tx, str(unit_id), query["year"])
    return {**shown, "position": position}
