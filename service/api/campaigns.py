"""Campaigns (cuộc vận động): launched by a unit, named by receipts and payments, and
reported over every unit that took part."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint

from service.api.operation import WRITE_ERRORS, operation, write_request, written
from service.api.schemas import (
    CampaignDetail,
    CampaignIn,
    CampaignOut,
    CampaignsQuery,
    ReadQuery,
    page_of,
)
from service.domain.money import Money
from service.projections import campaigns as campaign_view
from service.reads import fresh, page, readable_unit
from service.reads.campaigns import campaign_shown
from service.web.context import services

bp = Blueprint("campaigns", __name__)


@bp.post("/campaigns")
@operation(
    "Launch a campaign",
    tag="campaigns",
    body=CampaignIn,
    response=CampaignOut,
    status=201,
    errors=WRITE_ERRORS,
    creates={201: "campaign_id"},
)
def launch_campaign(body: dict[str, Any]) -> dict[str, Any]:
    """Launches a named drive of the unit for a period, with a target (administrators,
    approvers and treasurers of the unit or a unit above). Receipts and payments of its
    funds and of the funds below it may name it (``campaign_id``); its code is unique
    and never changes."""
    result = services().ledger.launch_campaign(
        write_request(),
        body["unit_id"],
        body["name"],
        body["code"],
        (body["starts_on"], body["ends_on"]),
        Money(body["target"]) if body["target"] is not None else None,
        body["note"],
    )
    return written(result)


@bp.get("/campaigns/<uuid:campaign_id>")
@operation(
    "Read a campaign",
    tag="campaigns",
    query=ReadQuery,
    response=CampaignDetail,
    errors=(401, 404),
)
def get_campaign(campaign_id: UUID, query: dict[str, Any]) -> dict[str, Any]:
    """The campaign and its figures: money and goods raised and given naming it, the
    households supported, achievement against its target, and each unit that took part.
    Any token reads it; its public page shows the same."""
    with fresh(query) as (tx, position):
        return {**campaign_shown(tx, campaign_id), "position": position}


@bp.get("/units/<uuid:unit_id>/campaigns")
@operation(
    "List the campaigns open to a unit",
    tag="campaigns",
    query=CampaignsQuery,
    response=page_of(CampaignOut),
    errors=(401, 403, 404, 422),
)
def list_campaigns(unit_id: UUID, query: dict[str, Any]) -> dict[str, Any]:
    """The campaigns the unit's funds may name: its own and those of the units above it."""
    with fresh(query) as (tx, _):
        readable_unit(tx, unit_id)
        rows = campaign_view.open_to(tx, str(unit_id), query["cursor"], query["limit"] + 1)
    return page(rows, query["limit"], lambda row: row["id"])
