"""Support counted as the reports count it: a unit's distributions (gift packages,
household-times, people by beneficiary category), their sums for a period, and the
coverage of the registry."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint

from service.api.operation import WRITE_ERRORS, operation, write_request, written
from service.api.schemas import (
    CoverageOut,
    CoverageQuery,
    DistributionIn,
    DistributionWritten,
    SupportCountsOut,
    SupportCountsQuery,
)
from service.domain.vocabulary import Category
from service.projections import distributions as distribution_view
from service.reads import fresh, readable_unit
from service.web import bodies
from service.web.context import services

bp = Blueprint("distributions", __name__)


@bp.post("/units/<uuid:unit_id>/distributions")
@operation(
    "Record a distribution",
    tag="support",
    body=DistributionIn,
    response=DistributionWritten,
    status=201,
    errors=WRITE_ERRORS,
)
def record_distribution(unit_id: UUID, body: dict[str, Any]) -> dict[str, Any]:
    """Records support handed out by the unit on a day, for one purpose, counted as the
    reports count it: gift packages, household-times and people, a line per beneficiary
    category (administrators, treasurers of the unit or a unit above)."""
    result = services().ledger.record_distribution(
        write_request(),
        unit_id,
        body["on"],
        Category(body["category"]),
        body["title"],
        bodies.reach_lines(body),
        body["value"],
        body["campaign_id"],
    )
    return written(result)


@bp.get("/units/<uuid:unit_id>/support-counts")
@operation(
    "Count a unit's support",
    tag="support",
    query=SupportCountsQuery,
    response=SupportCountsOut,
    errors=(401, 403, 404, 422),
)
def support_counts(unit_id: UUID, query: dict[str, Any]) -> dict[str, Any]:
    """The distributions of the period summed: in all, by beneficiary category and by
    purpose; with ``include_children``, those of every unit below too."""
    with fresh(query) as (tx, position):
        readable_unit(tx, unit_id)
        counted = distribution_view.unit_counts(
            tx,
            str(unit_id),
            query["date_from"].isoformat(),
            query["date_to"].isoformat(),
            query["include_children"],
        )
    return {**counted, "position": position}


@bp.get("/units/<uuid:unit_id>/coverage")
@operation(
    "Coverage of the registry",
    tag="support",
    query=CoverageQuery,
    response=CoverageOut,
    errors=(401, 403, 404, 422),
)
def coverage(unit_id: UUID, query: dict[str, Any]) -> dict[str, Any]:
    """For each beneficiary category, the registered households of the unit and the
    units below it, and how many a payment of ``category`` (by default Tết gifts) naming
    them reached in the period: "100% hộ cận nghèo được tặng quà Tết"."""
    with fresh(query) as (tx, position):
        readable_unit(tx, unit_id)
        shown = distribution_view.coverage(
            tx,
            str(unit_id),
            query["date_from"].isoformat(),
            query["date_to"].isoformat(),
            query["category"],
        )
    return {**shown, "position": position}
