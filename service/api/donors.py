"""Donors: what one donor gave, across the funds of a unit and the units below it."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint

from service.api.operation import operation
from service.api.schemas import DonorHistoryPage, DonorHistoryQuery
from service.domain.errors import UnitNotFound
from service.projections import donors as donor_view
from service.projections import thanks as thanks_view
from service.projections import units as unit_view
from service.reads import fresh, page, require_reach

bp = Blueprint("donors", __name__)


@bp.get("/units/<uuid:unit_id>/donors/history")
@operation(
    "Read a donor's giving history",
    tag="donors",
    query=DonorHistoryQuery,
    response=DonorHistoryPage,
    errors=(401, 403, 404, 422, 503),
)
def donor_history(unit_id: UUID, query: dict[str, Any]) -> dict[str, Any]:
    """Every receipt from the donor ``name`` (compared without case, diacritics or extra
    spaces, so a bank's NGUYEN VAN AN is Nguyễn Văn An) to the funds of the unit and the
    units below it, oldest first, with totals in money and in goods."""
    with fresh(query) as (tx, _):
        if unit_view.get(tx, str(unit_id)) is None:
            raise UnitNotFound(
                "Không có đơn vị nào với mã này. Hãy kiểm tra lại mã đơn vị.", unit_id=str(unit_id)
            )
        require_reach(tx, str(unit_id))
        rows = donor_view.history(
            tx,
            str(unit_id),
            query["name"],
            after_position=query["cursor"] or 0,
            limit=query["limit"] + 1,
        )
        totals = donor_view.totals(tx, str(unit_id), query["name"])
        sent = thanks_view.of_donor(tx, str(unit_id), query["name"])
    listed = page(rows, query["limit"], lambda row: row["position"])
    return {"name": query["name"], "totals": totals, **listed, "thanks": sent}
