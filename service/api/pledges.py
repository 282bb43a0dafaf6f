"""Pledges: made to a fund, fulfilled by receipts, cancelled or written off; listed with
what is outstanding and overdue for a unit."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint

from service.adapters.db import Row
from service.api.operation import WRITE_ERRORS, operation, write_request, written
from service.api.schemas import (
    PledgeCloseIn,
    PledgeDetail,
    PledgeIn,
    PledgePage,
    PledgeQuery,
    PledgesQuery,
    PledgeWritten,
)
from service.domain.errors import PledgeNotFound, UnitNotFound
from service.domain.money import Money
from service.domain.pledges import Commitment, Instalment
from service.projections import pledges as pledge_view
from service.projections import units as unit_view
from service.reads import fresh, page, require_reach
from service.reads.funds import readable_fund
from service.web.bodies import donor
from service.web.context import services

bp = Blueprint("pledges", __name__)


@bp.post("/funds/<uuid:fund_id>/pledges")
@operation(
    "Record a pledge",
    tag="pledges",
    body=PledgeIn,
    response=PledgeWritten,
    status=201,
    errors=WRITE_ERRORS,
    creates={201: "pledge_id"},
)
def make_pledge(fund_id: UUID, body: dict[str, Any]) -> dict[str, Any]:
    """Records a donor's commitment to give to the fund, by a date or in instalments; the
    answer carries the code a donor writes in a transfer's memo."""
    commitment = Commitment(
        donor=donor(body["donor"]),
        amount=Money(body["amount"]),
        due_on=body["due_on"],
        instalments=tuple(
            Instalment(part["due_on"], Money(part["amount"])) for part in body["instalments"]
        ),
        code=body["code"],
        note=body["note"],
    )
    return written(services().ledger.make_pledge(write_request(), fund_id, commitment))


@bp.post("/pledges/<uuid:pledge_id>/cancellation")
@operation(
    "Cancel a pledge",
    tag="pledges",
    body=PledgeCloseIn,
    response=PledgeWritten,
    status=201,
    errors=WRITE_ERRORS,
)
def cancel_pledge(pledge_id: UUID, body: dict[str, Any]) -> dict[str, Any]:
    """The donor withdrew: nothing more is expected; what was given stays given."""
    return written(services().ledger.cancel_pledge(write_request(), pledge_id, body["reason"]))


@bp.post("/pledges/<uuid:pledge_id>/write-off")
@operation(
    "Write a pledge off",
    tag="pledges",
    body=PledgeCloseIn,
    response=PledgeWritten,
    status=201,
    errors=WRITE_ERRORS,
)
def write_off_pledge(pledge_id: UUID, body: dict[str, Any]) -> dict[str, Any]:
    """The committee gives up collecting what is outstanding, with a reason."""
    result = services().ledger.write_off_pledge(write_request(), pledge_id, body["reason"])
    return written(result)


@bp.get("/pledges/<uuid:pledge_id>")
@operation(
    "Read a pledge",
    tag="pledges",
    query=PledgeQuery,
    response=PledgeDetail,
    errors=(401, 403, 404, 422, 503),
)
def get_pledge(pledge_id: UUID, query: dict[str, Any]) -> dict[str, Any]:
    """The pledge with its instalments and each receipt that fulfilled it."""
    as_of = (query["as_of"] or services().ledger.today()).isoformat()
    with fresh(query) as (tx, _):
        row = pledge_view.get(tx, str(pledge_id), as_of)
        if row is None:
            raise PledgeNotFound(
                "Không có cam kết ủng hộ nào với mã này. Hãy kiểm tra lại mã.",
                pledge_id=str(pledge_id),
            )
        readable_fund(tx, UUID(row["fund_id"]))
        return {
            **pledge_item(row),
            "instalments": pledge_view.instalments(tx, str(pledge_id)),
            "fulfilments": pledge_view.fulfilments(tx, str(pledge_id)),
        }


@bp.get("/units/<uuid:unit_id>/pledges")
@operation(
    "List a unit's pledges",
    tag="pledges",
    query=PledgesQuery,
    response=PledgePage,
    errors=(401, 403, 404, 422, 503),
)
def list_pledges(unit_id: UUID, query: dict[str, Any]) -> dict[str, Any]:
    """Pledges to the unit's funds (and the units below with ``include_children``), oldest
    first, with totals pledged, fulfilled, outstanding and overdue; ``overdue`` keeps the
    pledges with an instalment due before ``as_of`` (today) and not yet given."""
    as_of = (query["as_of"] or services().ledger.today()).isoformat()
    with fresh(query) as (tx, _):
        if unit_view.get(tx, str(unit_id)) is None:
            raise UnitNotFound(
                "Không có đơn vị nào với mã này. Hãy kiểm tra lại mã đơn vị.", unit_id=str(unit_id)
            )
        require_reach(tx, str(unit_id))
        rows = pledge_view.of_unit(
            tx,
            str(unit_id),
            include_children=query["include_children"],
            status=query["status"],
            overdue_only=query["overdue"],
            as_of=as_of,
            after_position=query["cursor"] or 0,
            limit=query["limit"] + 1,
        )
        totals = pledge_view.totals(
            tx, str(unit_id), include_children=query["include_children"], as_of=as_of
        )
    listed = page([pledge_item(row) for row in rows], query["limit"], lambda r: r["position"])
    return {**listed, "totals": totals}


def pledge_item(row: Row) -> Row:
    row["donor"] = {"name": row.pop("donor_name"), "kind": row.pop("donor_kind")}
    return row
