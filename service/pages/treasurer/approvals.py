"""The approver's queue: every payment (and reversal, and receipt above a fund's limit)
held for approval in the funds I reach, each with what it pays and why it was held, and
the forms that approve it or reject it with a reason."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from werkzeug.wrappers import Response

from service.adapters.db import Row
from service.application import Request, Written
from service.pages.treasurer.cases import case_choices
from service.pages.treasurer.forms import Field, Filled
from service.pages.treasurer.shared import (
    ROWS_SHOWN,
    answered,
    bp,
    my_funds,
    reached_position,
    shown_after,
    shown_form,
)
from service.projections import approvals as approval_view
from service.reads import fresh
from service.web.context import services

APPROVAL = (Field("note", "Ghi chú khi duyệt", "area"),)
REJECTION = (Field("reason", "Lý do từ chối", "area", required=True),)


def queue() -> dict[str, Any]:
    """The payments awaiting approval in my funds, oldest first, with what each names."""
    with fresh(reached_position()) as (tx, _):
        funds = {f["id"]: f for f in my_funds(tx)}
        waiting: list[Row] = []
        for fund_id in funds:
            waiting += approval_view.payments(
                tx, fund_id, status="pending", after_seq=0, limit=ROWS_SHOWN
            )
    cases = {name: dict(rows) for name, rows in case_choices().items()}
    return {
        "waiting": sorted(waiting, key=lambda row: row["requested_at"]),
        "funds": funds,
        "cases": cases,
        "approve": {
            p["pending_id"]: Filled(APPROVAL, prefix=f"d{p['pending_id'][:8]}-") for p in waiting
        },
        "reject": {
            p["pending_id"]: Filled(REJECTION, prefix=f"t{p['pending_id'][:8]}-") for p in waiting
        },
    }


@bp.get("/duyet")
def approvals() -> str:
    """What waits for an approver."""
    return shown_form("treasurer/approvals.html", (), **queue())


@bp.post("/duyet/<uuid:fund_id>/<uuid:pending_id>/dong-y")
def approve(fund_id: UUID, pending_id: UUID) -> Response | tuple[str, int]:
    """Approves the payment: it is recorded as asked (never by the one who asked)."""

    def write(body: dict[str, Any], asked: Request) -> Written:
        return services().ledger.approve_payment(asked, fund_id, pending_id, body["note"])

    return _decided(pending_id, APPROVAL, "approvals.approve_payment", write, "approve")


@bp.post("/duyet/<uuid:fund_id>/<uuid:pending_id>/tu-choi")
def reject(fund_id: UUID, pending_id: UUID) -> Response | tuple[str, int]:
    """Rejects the payment with a reason; its money is available again."""

    def write(body: dict[str, Any], asked: Request) -> Written:
        return services().ledger.reject_payment(asked, fund_id, pending_id, body["reason"])

    return _decided(pending_id, REJECTION, "approvals.reject_payment", write, "reject")


def _decided(
    pending_id: UUID, fields: tuple[Field, ...], route: str, write: Any, which: str
) -> Response | tuple[str, int]:
    """The queue again once it shows the decision; or, refused, with the reason beside the
    payment's form."""
    context = queue()
    page = answered(
        "treasurer/approvals.html",
        fields,
        route,
        write,
        then=shown_after("treasurer.approvals"),
        refused_id=str(pending_id),
        which=which,
        **context,
    )
    return page
