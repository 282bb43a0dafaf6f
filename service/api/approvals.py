"""Maker-checker: the entries of a fund awaiting approval, and their approval or rejection."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint

from service.api.operation import WRITE_ERRORS, operation, write_request, written
from service.api.schemas import (
    ApprovalIn,
    PaymentOut,
    PendingPaymentOut,
    PendingQuery,
    RejectionIn,
)
from service.api.schemas.common import page_of
from service.api.schemas.entries import EntryWritten
from service.projections import approvals as approval_view
from service.reads import fresh, page
from service.reads.funds import readable_fund
from service.web.context import services

bp = Blueprint("approvals", __name__)


@bp.post("/funds/<uuid:fund_id>/pending/<uuid:pending_id>/approval")
@operation(
    "Approve a payment",
    tag="approvals",
    body=ApprovalIn,
    response=EntryWritten,
    status=201,
    errors=WRITE_ERRORS,
    creates={201: "entry_id"},
)
def approve_payment(fund_id: UUID, pending_id: UUID, body: dict[str, Any]) -> dict[str, Any]:
    """Records the payment awaiting approval as its recorder asked and releases its
    reservation (an approver of the unit or a unit above, never its recorder)."""
    result = services().ledger.approve_payment(write_request(), fund_id, pending_id, body["note"])
    return written(result)


@bp.post("/funds/<uuid:fund_id>/pending/<uuid:pending_id>/rejection")
@operation(
    "Reject a payment",
    tag="approvals",
    body=RejectionIn,
    response=PaymentOut,
    status=201,
    errors=WRITE_ERRORS,
)
def reject_payment(fund_id: UUID, pending_id: UUID, body: dict[str, Any]) -> dict[str, Any]:
    """Refuses the payment awaiting approval, with a reason; its money is available again."""
    result = services().ledger.reject_payment(write_request(), fund_id, pending_id, body["reason"])
    return written(result)


@bp.get("/funds/<uuid:fund_id>/pending")
@operation(
    "List payments above the threshold",
    tag="approvals",
    query=PendingQuery,
    response=page_of(PendingPaymentOut),
    errors=(401, 403, 404, 422, 503),
)
def list_pending(fund_id: UUID, query: dict[str, Any]) -> dict[str, Any]:
    """The fund's entries held for an approver, oldest first: payments above its unit's
    approval threshold or split under it, reversals, and amounts above its plausibility
    limit (``kind`` and ``held_because`` say which); ``status`` keeps those awaiting
    approval (``pending``), ``approved`` or ``rejected``."""
    with fresh(query) as (tx, _):
        readable_fund(tx, fund_id)
        rows = approval_view.payments(
            tx,
            str(fund_id),
            status=query["status"],
            after_seq=query["cursor"] or 0,
            limit=query["limit"] + 1,
        )
    return page(rows, query["limit"], lambda row: row["seq"])
