"""Thanks to donors: a letter or certificate for a gift or for a donor's gifts over a
period, or one for every donor of an appeal above a threshold; read as one PDF."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint, Response

from service.api.operation import WRITE_ERRORS, operation, write_request, written
from service.api.schemas import ReadQuery
from service.api.schemas.thanks import BulkThanksIn, ThanksIn, ThanksIssued
from service.domain.vocabulary import ThanksKind
from service.reads import fresh
from service.reads import thanks as thanks_read
from service.web.context import services

bp = Blueprint("thanks", __name__)


def _issued(fund_id: UUID, kind: str, donors: list[list[UUID]]) -> dict[str, Any]:
    result = services().ledger.issue_thanks(write_request(), fund_id, ThanksKind(kind), donors)
    return {**written(result), "pdf": f"/api/v1/thanks/{result.body['batch_id']}.pdf"}


@bp.post("/funds/<uuid:fund_id>/thanks")
@operation(
    "Thank a donor",
    tag="donors",
    body=ThanksIn,
    response=ThanksIssued,
    status=201,
    errors=WRITE_ERRORS,
    creates={201: "batch_id"},
)
def thank(fund_id: UUID, body: dict[str, Any]) -> dict[str, Any]:
    """Issues a thank-you letter or certificate for one gift (``entry_id``) or for a
    donor's standing gifts to the fund over a period (``donor_name``, ``from``, ``to``);
    recorded, so the donor's history lists it (the fund's treasurer, chair or an admin)."""
    with fresh({}) as (tx, _):
        thanks_read.require_writer(tx, fund_id)
        donors = thanks_read.gifts_asked(tx, fund_id, body)
    return _issued(fund_id, body["kind"], donors)


@bp.post("/funds/<uuid:fund_id>/thanks/bulk")
@operation(
    "Thank every donor above a threshold",
    tag="donors",
    body=BulkThanksIn,
    response=ThanksIssued,
    status=201,
    errors=WRITE_ERRORS,
    creates={201: "batch_id"},
)
def thank_in_bulk(fund_id: UUID, body: dict[str, Any]) -> dict[str, Any]:
    """Issues one letter or certificate to each named donor whose money to the fund from
    ``from`` to ``to`` (an appeal) adds up to ``threshold`` or more, largest first, as one
    batch read as one PDF with a page each."""
    with fresh({}) as (tx, _):
        thanks_read.require_writer(tx, fund_id)
        donors = thanks_read.donors_above(tx, fund_id, body)
    return _issued(fund_id, body["kind"], donors)


@bp.get("/thanks/<uuid:batch_id>.pdf")
@operation(
    "Read letters of thanks as a PDF",
    tag="donors",
    query=ReadQuery,
    errors=(401, 403, 404, 422, 503),
)
def batch_pdf(batch_id: UUID, query: dict[str, Any]) -> Response:
    """The letters issued together, a page each: the unit's heading, the donor and what
    they gave, the QR code of the public proof, the seal's place and the signature block."""
    with fresh(query) as (tx, _):
        document = thanks_read.batch_pdf(tx, batch_id)
    return Response(
        document,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="thu-cam-on-{batch_id}.pdf"'},
    )
