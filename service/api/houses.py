"""House projects: approval with a cost sheet, stages from start to handover with their
evidence, cancellation, and the reads by unit with the overdue houses."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from flask import Blueprint

from service.api.operation import WRITE_ERRORS, operation, write_request, written
from service.api.schemas import (
    CancellationIn,
    ContributionIn,
    HouseIn,
    HouseOut,
    HousesQuery,
    HouseWritten,
    ReadQuery,
    StageIn,
    StagesOut,
    StagesQuery,
    page_of,
)
from service.domain.vocabulary import CostSource, HouseKind, Stage
from service.projections import houses as house_view
from service.reads import fresh, page, within
from service.reads.houses import readable_house
from service.web.context import services

bp = Blueprint("houses", __name__)


@bp.post("/houses")
@operation(
    "Approve a house project",
    tag="houses",
    body=HouseIn,
    response=HouseWritten,
    status=201,
    errors=(401, 403, 409, 422),
)
def approve_house(body: dict[str, Any]) -> dict[str, Any]:
    """Approves a new build or a repair for a household, with its cost sheet by source
    (the household's unit treasurer, or an admin). A fund share above the norm that
    applies is refused (409 above-norm) unless an approver or an admin gives
    ``above_norm_reason``."""
    budget = {CostSource(source): amount for source, amount in body["budget"].items()}
    result = services().ledger.approve_house(
        write_request(),
        body["household_id"],
        HouseKind(body["kind"]),
        budget,
        body["approved_on"],
        body["note"],
        body["above_norm_reason"],
        body["meeting_id"],
        body["no_meeting_reason"],
        meeting_required=True,
    )
    return written(result)


@bp.post("/houses/<uuid:project_id>/contributions")
@operation(
    "Record a contribution received",
    tag="houses",
    body=ContributionIn,
    response=HouseWritten,
    status=201,
    errors=WRITE_ERRORS,
)
def receive_contribution(project_id: UUID, body: dict[str, Any]) -> dict[str, Any]:
    """Records what a counterpart (the household, relatives, sponsors, a pagoda, labour)
    actually gave towards the house, as it comes: money, materials with their value, days
    of labour (the household's unit treasurer, or an admin). The house's read shows each
    source's plan against what it gave."""
    result = services().ledger.receive_house_contribution(
        write_request(),
        project_id,
        CostSource(body["source"]),
        body["on"],
        (body["money"], body["materials"], body["materials_value"], body["labour_days"]),
        body["note"],
    )
    return written(result)


@bp.get("/houses")
@operation(
    "List house projects",
    tag="houses",
    query=HousesQuery,
    response=page_of(HouseOut),
    errors=(401, 403, 422, 503),
)
def list_houses(query: dict[str, Any]) -> dict[str, Any]:
    """The houses this token reaches, oldest approval first; by ``stage``, or only those
    started more than ``overdue_days`` ago and not completed."""
    with fresh(query) as (tx, _):
        rows = house_view.projects(
            tx,
            within_unit=within(tx, query["unit_id"]),
            stage=query["stage"],
            overdue_since=_overdue_since(query["overdue_days"]),
            after_position=query["cursor"] or 0,
            limit=query["limit"] + 1,
        )
    return page(rows, query["limit"], lambda row: row["approved_position"])


@bp.get("/houses/stages")
@operation(
    "Count houses by stage",
    tag="houses",
    query=StagesQuery,
    response=StagesOut,
    errors=(401, 403, 422, 503),
)
def houses_by_stage(query: dict[str, Any]) -> dict[str, Any]:
    """How many houses of a unit and the units below it are at each stage, how many were
    cancelled, and how many started more than ``overdue_days`` ago are not completed."""
    with fresh(query) as (tx, position):
        unit_id = within(tx, query["unit_id"])
        assert unit_id is not None
        counts = house_view.by_stage(tx, unit_id, _overdue_since(query["overdue_days"]) or "")
    return {
        "unit_id": unit_id,
        **counts,
        "overdue_days": query["overdue_days"],
        "position": position,
    }


@bp.get("/houses/<uuid:project_id>")
@operation(
    "Read a house project",
    tag="houses",
    query=ReadQuery,
    response=HouseOut,
    errors=(401, 403, 404, 503),
)
def get_house(project_id: UUID, query: dict[str, Any]) -> dict[str, Any]:
    """The house with its cost sheet, every stage reached and every tranche paid."""
    with fresh(query) as (tx, _):
        return readable_house(tx, project_id)


@bp.post("/houses/<uuid:project_id>/stages")
@operation(
    "Record a stage",
    tag="houses",
    body=StageIn,
    response=HouseWritten,
    status=201,
    errors=WRITE_ERRORS,
)
def record_stage(project_id: UUID, body: dict[str, Any]) -> dict[str, Any]:
    """Records a stage reached, with its date and evidence; stages come in order, and
    acceptance (nghiệm thu) names the board members."""
    result = services().ledger.record_house_stage(
        write_request(),
        project_id,
        Stage(body["stage"]),
        body["on"],
        body["evidence"],
        body["board_members"],
    )
    return written(result)


@bp.post("/houses/<uuid:project_id>/cancellation")
@operation(
    "Cancel a house project",
    tag="houses",
    body=CancellationIn,
    response=HouseWritten,
    status=201,
    errors=WRITE_ERRORS,
)
def cancel_house(project_id: UUID, body: dict[str, Any]) -> dict[str, Any]:
    """Cancels the house with a reason; tranches already paid stay in the ledger."""
    return written(services().ledger.cancel_house(write_request(), project_id, body["reason"]))


def _overdue_since(days: int | None) -> str | None:
    """The last start date of a house started more than ``days`` days ago."""
    if days is None:
        return None
    return (services().ledger.today() - timedelta(days=days + 1)).isoformat()
