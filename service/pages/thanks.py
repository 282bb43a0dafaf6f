"""/thanh-tra/thu-cam-on: a treasurer or chair prints letters or certificates of thanks
for every donor of an appeal above a threshold, and finds what a donor was sent."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Response, g, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as Redirect

from service.application import Request
from service.domain.errors import InvalidInput
from service.domain.vocabulary import ThanksKind
from service.pages.access import bp
from service.projections import funds as fund_view
from service.projections import thanks as thanks_view
from service.projections import units as unit_view
from service.reads import fresh
from service.reads import thanks as thanks_read
from service.web import labels
from service.web.context import actor, services

#: Units whose funds are offered on the page.
UNITS_OFFERED = 200


def _funds(tx: Any) -> list[dict[str, Any]]:
    who = actor()
    units = unit_view.subtree(tx, str(who.unit_id) if who.unit_id else None, UNITS_OFFERED)
    return [fund for unit in units for fund in fund_view.of_unit(tx, unit["id"])]


@bp.get("/thu-cam-on")
def thanks() -> str:
    """The form to print thanks in bulk, and the letters sent to a donor named ``ten``."""
    name = request.args.get("ten", "").strip()[:200]
    with fresh({}) as (tx, _):
        funds = _funds(tx)
        who = actor()
        scope = str(who.unit_id) if who.unit_id else None
        sent = thanks_view.of_donor(tx, scope, name) if name else []
    return render_template(
        "inspector/thanks.html", funds=funds, name=name, sent=sent, error=request.args.get("loi")
    )


@bp.post("/thu-cam-on")
def print_thanks() -> Redirect:
    """Issues one letter or certificate to each donor above the threshold, then opens them
    as one PDF."""
    try:
        fund_id = UUID(request.form.get("quy", ""))
        first = labels.parse_day(request.form.get("tu", ""))
        last = labels.parse_day(request.form.get("den", ""))
        threshold = int("".join(ch for ch in request.form.get("muc", "") if ch.isdigit()) or "0")
    except ValueError:
        return redirect(
            url_for("inspector.thanks", loi="Hãy chọn quỹ và ghi ngày theo ngày/tháng/năm."), 303
        )
    kind = request.form.get("loai", ThanksKind.LETTER.value)
    body: dict[str, Any] = {"first": first, "last": last, "threshold": max(threshold, 1)}
    try:
        with fresh({}) as (tx, _):
            thanks_read.require_writer(tx, fund_id)
            donors = thanks_read.donors_above(tx, fund_id, body)
        result = services().ledger.issue_thanks(
            Request(actor(), request_id=g.get("request_id")),
            fund_id,
            ThanksKind(kind) if kind in set(ThanksKind) else ThanksKind.LETTER,
            donors,
        )
    except InvalidInput as refusal:
        return redirect(url_for("inspector.thanks", loi=refusal.detail), 303)
    return redirect(
        url_for("inspector.thanks_pdf", batch_id=result.body["batch_id"], vi_tri=result.position),
        303,
    )


@bp.get("/thu-cam-on/<uuid:batch_id>.pdf")
def thanks_pdf(batch_id: UUID) -> Response:
    """The letters issued together, a page each."""
    position = request.args.get("vi_tri", "0")
    wanted = int(position) if position.isdigit() and len(position) < 19 else 0
    with fresh({"min_position": wanted}) as (tx, _):
        document = thanks_read.batch_pdf(tx, batch_id)
    return Response(document, mimetype="application/pdf")
