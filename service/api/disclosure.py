"""The public disclosure (công khai) of a unit for a period, as JSON; the page at
/cong-khai/ shows the same (service/reads/disclosure.py)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint

from service.api.operation import operation
from service.api.schemas import DisclosureOut, DisclosureQuery
from service.reads import fresh
from service.reads.disclosure import disclosure, masked

bp = Blueprint("disclosure", __name__)


@bp.get("/public/units/<uuid:unit_id>/disclosure")
@operation(
    "Read a unit's public disclosure",
    tag="public",
    query=DisclosureQuery,
    response=DisclosureOut,
    public=True,
    errors=(404, 422, 503),
)
def public_disclosure(unit_id: UUID, query: dict[str, Any]) -> dict[str, Any]:
    """What the law has a committee show the people for a period: opening and closing
    balances, money raised against the target, receipts by channel, disbursements by
    category, money in and out by month, houses by stage and the households supported,
    their names masked; with the whole subtree unless ``include_children=false``."""
    with fresh(query) as (tx, position):
        shown = disclosure(
            tx,
            str(unit_id),
            query["date_from"],
            query["date_to"],
            query["include_children"],
            position,
        )
    return masked(shown)
