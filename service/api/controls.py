"""The controls of a fund a treasurer cannot step around: its plausibility limit."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint

from service.api.operation import operation, write_request, written
from service.api.schemas import ReadQuery
from service.api.schemas.controls import ControlsOut, PlausibilityLimitIn
from service.reads import fresh
from service.reads.funds import readable_fund
from service.web.context import services

bp = Blueprint("controls", __name__)


@bp.get("/funds/<uuid:fund_id>/controls")
@operation(
    "Read a fund's controls",
    tag="approvals",
    query=ReadQuery,
    response=ControlsOut,
    errors=(401, 403, 404, 503),
)
def get_controls(fund_id: UUID, query: dict[str, Any]) -> dict[str, Any]:
    """The unit's approval threshold and the fund's plausibility limit (its own or its
    level's default): what makes its entries wait for an approver."""
    with fresh(query) as (tx, _):
        readable_fund(tx, fund_id)
    ledger = services().ledger
    return ledger.controls_body(ledger.fund(fund_id))


@bp.put("/funds/<uuid:fund_id>/plausibility-limit")
@operation(
    "Set a fund's plausibility limit",
    tag="approvals",
    body=PlausibilityLimitIn,
    response=ControlsOut,
    errors=(401, 403, 404, 409, 422),
)
def set_plausibility_limit(fund_id: UUID, body: dict[str, Any]) -> dict[str, Any]:
    """Sets the amount above which any receipt, payment or reversal of the fund waits for
    an approver (administrators, or an approver of the unit or a unit above); null returns
    the fund to its level's default."""
    result = services().ledger.set_plausibility_limit(write_request(), fund_id, body["amount"])
    return written(result)
