"""Livelihood grants: approval for a household, delivery in kind (a delivery paid by a
fund is a disbursement naming the grant), follow-ups at 3, 6 and 12 months with the
overdue ones listed, and closure with an outcome."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint

from service.api.operation import WRITE_ERRORS, operation, write_request, written
from service.api.schemas import (
    DeliveryIn,
    EvidenceIn,
    FollowUpIn,
    GrantClosureIn,
    GrantIn,
    GrantOut,
    GrantsQuery,
    GrantWritten,
    OverdueOut,
    OverdueQuery,
    ReadQuery,
    page_of,
)
from service.domain.errors import GrantNotFound
from service.domain.vocabulary import FollowUpStatus, GrantOutcome
from service.projections import grants as grant_view
from service.reads import fresh, page, reached, within
from service.web.context import services

bp = Blueprint("grants", __name__)


@bp.post("/grants")
@operation(
    "Approve a livelihood grant",
    tag="grants",
    body=GrantIn,
    response=GrantWritten,
    status=201,
    errors=(401, 403, 409, 422),
)
def approve_grant(body: dict[str, Any]) -> dict[str, Any]:
    """Approves a means of earning (a cow, a sewing machine, a boat) for a household, with
    what describes it and its value (the household's unit treasurer, or an admin)."""
    result = services().ledger.approve_grant(
        write_request(),
        body["household_id"],
        body["item"],
        body["attributes"],
        body["value"],
        body["approved_on"],
        body["note"],
        body["meeting_id"],
        body["no_meeting_reason"],
        meeting_required=True,
    )
    return written(result)


@bp.get("/grants")
@operation(
    "List livelihood grants",
    tag="grants",
    query=GrantsQuery,
    response=page_of(GrantOut),
    errors=(401, 403, 422, 503),
)
def list_grants(query: dict[str, Any]) -> dict[str, Any]:
    """The grants this token reaches, oldest approval first, by ``status`` if asked."""
    with fresh(query) as (tx, _):
        rows = grant_view.grants(
            tx,
            within_unit=within(tx, query["unit_id"]),
            status=query["status"],
            after_position=query["cursor"] or 0,
            limit=query["limit"] + 1,
        )
    return page(rows, query["limit"], lambda row: row["approved_position"])


@bp.get("/grants/follow-ups/overdue")
@operation(
    "List overdue follow-ups",
    tag="grants",
    query=OverdueQuery,
    response=page_of(OverdueOut),
    errors=(401, 403, 422, 503),
)
def overdue_follow_ups(query: dict[str, Any]) -> dict[str, Any]:
    """Follow-ups of delivered grants that fell due (3, 6 or 12 months after delivery)
    before today and are not recorded, earliest due first."""
    after = query["cursor"] or 0
    with fresh(query) as (tx, _):
        rows = grant_view.overdue_follow_ups(
            tx,
            within_unit=within(tx, query["unit_id"]),
            today=services().ledger.today().isoformat(),
            after=after,
            limit=query["limit"] + 1,
        )
    numbered = [{**row, "offset": after + i + 1} for i, row in enumerate(rows)]
    return page(numbered, query["limit"], lambda row: row["offset"])


@bp.get("/grants/<uuid:grant_id>")
@operation(
    "Read a livelihood grant",
    tag="grants",
    query=ReadQuery,
    response=GrantOut,
    errors=(401, 403, 404, 503),
)
def get_grant(grant_id: UUID, query: dict[str, Any]) -> dict[str, Any]:
    """The grant with its delivery, every follow-up due or made, and its outcome."""
    with fresh(query) as (tx, _):
        missing = GrantNotFound(
            "Không có khoản hỗ trợ sinh kế nào với mã này. Hãy kiểm tra lại mã.",
            grant_id=str(grant_id),
        )
        return reached(tx, grant_view.get(tx, str(grant_id)), missing)


@bp.post("/grants/<uuid:grant_id>/delivery")
@operation(
    "Record a delivery in kind",
    tag="grants",
    body=DeliveryIn,
    response=GrantWritten,
    status=201,
    errors=WRITE_ERRORS,
)
def deliver_in_kind(grant_id: UUID, body: dict[str, Any]) -> dict[str, Any]:
    """Records the grant given as goods worth ``value`` (the approved value if not given);
    no fund money moves. A delivery paid by a fund is a disbursement naming ``grant_id``."""
    result = services().ledger.deliver_grant_in_kind(
        write_request(), grant_id, body["on"], body["value"], body["description"], body["note"]
    )
    return written(result)


@bp.post("/grants/<uuid:grant_id>/follow-ups")
@operation(
    "Record a follow-up",
    tag="grants",
    body=FollowUpIn,
    response=GrantWritten,
    status=201,
    errors=WRITE_ERRORS,
)
def record_follow_up(grant_id: UUID, body: dict[str, Any]) -> dict[str, Any]:
    """Records what the visit 3, 6 or 12 months after delivery found: in use, multiplied,
    sold or lost."""
    result = services().ledger.record_follow_up(
        write_request(),
        grant_id,
        body["months"],
        body["on"],
        FollowUpStatus(body["status"]),
        body["note"],
    )
    return written(result)


@bp.post("/grants/<uuid:grant_id>/evidence")
@operation(
    "Add evidence of a grant's delivery",
    tag="grants",
    body=EvidenceIn,
    response=GrantWritten,
    status=201,
    errors=WRITE_ERRORS,
)
def add_grant_evidence(grant_id: UUID, body: dict[str, Any]) -> dict[str, Any]:
    """Records papers and photos of the delivery once it was made: each photo uploaded
    first (``POST /photos``) and named by its ``reference``."""
    result = services().ledger.add_grant_evidence(write_request(), grant_id, body["evidence"])
    return written(result)


@bp.post("/grants/<uuid:grant_id>/closure")
@operation(
    "Close a livelihood grant",
    tag="grants",
    body=GrantClosureIn,
    response=GrantWritten,
    status=201,
    errors=WRITE_ERRORS,
)
def close_grant(grant_id: UUID, body: dict[str, Any]) -> dict[str, Any]:
    """Closes the grant with its outcome; a grant never delivered closes as cancelled."""
    result = services().ledger.close_grant(
        write_request(), grant_id, GrantOutcome(body["outcome"]), body["on"], body["note"]
    )
    return written(result)
