"""Supervision that follows through: each board's plan of the year's supervisions, and
the recommendations made on findings, carried out by the unit and verified by the board."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint

from service.api.operation import WRITE_ERRORS, operation, write_request, written
from service.api.schemas import page_of
from service.api.schemas.follow_through import (
    PlanIn,
    PlansOut,
    PlansQuery,
    PlanWritten,
    RecommendationIn,
    RecommendationOut,
    RecommendationsQuery,
    RecommendationWritten,
    StatusIn,
)
from service.domain.vocabulary import RecommendationStatus
from service.projections import follow_through as follow_view
from service.reads import follow_through as follow_read
from service.reads import fresh, page, within
from service.web.context import services

bp = Blueprint("follow_through", __name__)


@bp.post("/supervision-plans")
@operation(
    "Plan a supervision",
    tag="supervision",
    body=PlanIn,
    response=PlanWritten,
    status=201,
    errors=(401, 403, 422),
    creates={201: "plan_id"},
)
def plan(body: dict[str, Any]) -> dict[str, Any]:
    """Adds a supervision to the board's plan of the year: its subject, month and members
    (inspectors and admins of the unit or a unit above)."""
    result = services().ledger.plan_supervision(
        write_request(),
        body["unit_id"],
        body["year"],
        body["month"],
        body["subject"],
        body["members"],
    )
    return written(result)


@bp.get("/supervision-plans")
@operation(
    "List the boards' plans",
    tag="supervision",
    query=PlansQuery,
    response=PlansOut,
    errors=(401, 403, 422, 503),
)
def plans(query: dict[str, Any]) -> dict[str, Any]:
    """The planned supervisions of the boards this token reaches, by year and month."""
    follow_read.require_reader()
    with fresh(query) as (tx, _):
        rows = follow_view.plans(tx, within_unit=within(tx, query["unit_id"]), year=query["year"])
    return {"items": rows}


@bp.post("/supervisions/<uuid:supervision_id>/findings/<uuid:finding_id>/recommendations")
@operation(
    "Make a recommendation on a finding",
    tag="supervision",
    body=RecommendationIn,
    response=RecommendationWritten,
    status=201,
    errors=WRITE_ERRORS,
    creates={201: "recommendation_id"},
)
def recommend(supervision_id: UUID, finding_id: UUID, body: dict[str, Any]) -> dict[str, Any]:
    """Records what the board recommends on a finding, who must carry it out and by when
    (the board that opened the review)."""
    result = services().ledger.make_recommendation(
        write_request(), supervision_id, finding_id, body["text"], body["owner"], body["deadline"]
    )
    return written(result)


@bp.post("/recommendations/<uuid:recommendation_id>/status")
@operation(
    "Report or verify a recommendation's progress",
    tag="supervision",
    body=StatusIn,
    response=RecommendationWritten,
    status=201,
    errors=WRITE_ERRORS,
)
def change_status(recommendation_id: UUID, body: dict[str, Any]) -> dict[str, Any]:
    """in_progress or done: the reviewed unit (treasurer, approver) or the board; verified:
    the board that made it, once it is done. Verification is final."""
    result = services().ledger.change_recommendation_status(
        write_request(), recommendation_id, RecommendationStatus(body["status"]), body["note"]
    )
    return written(result)


@bp.get("/recommendations")
@operation(
    "List recommendations",
    tag="supervision",
    query=RecommendationsQuery,
    response=page_of(RecommendationOut),
    errors=(401, 403, 422, 503),
)
def list_recommendations(query: dict[str, Any]) -> dict[str, Any]:
    """Recommendations made to the units this token reaches or by their boards, oldest
    first; ``overdue=true`` for those past their deadline and not carried out."""
    follow_read.require_reader()
    with fresh(query) as (tx, _):
        rows = follow_read.page_of_recommendations(
            tx,
            within(tx, query["unit_id"]),
            query["overdue"],
            query["cursor"] or 0,
            query["limit"] + 1,
        )
    return page(rows, query["limit"], lambda r: r["made_position"])
