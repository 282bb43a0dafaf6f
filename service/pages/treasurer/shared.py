"""What the treasurers' pages share: their blueprint behind the login, the funds and units
the signed-in person reaches, today's date in Vietnam, and how a written form or a
refused one is answered."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from uuid import UUID

from flask import Blueprint, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from service.adapters.db import Row, Transaction
from service.application import Request, Written
from service.domain.clock import VIETNAM
from service.pages import access
from service.pages.treasurer.forms import Field, Filled, Refused, send
from service.projections import funds as fund_view
from service.projections import units as unit_view
from service.web.context import actor, services

bp = Blueprint("treasurer", __name__, url_prefix="/thu-quy")
access.protect(bp)
#: Units (and so funds) listed on a page at the most.
UNITS_SHOWN = 200
#: Rows of a list on a page at the most.
ROWS_SHOWN = 100


def today() -> date:
    return datetime.fromtimestamp(services().clock(), VIETNAM).date()


def my_units(tx: Transaction) -> list[Row]:
    """The signed-in person's unit and the units below it (every unit for an admin)."""
    who = actor()
    return unit_view.subtree(tx, str(who.unit_id) if who.unit_id else None, UNITS_SHOWN)


def my_funds(tx: Transaction) -> list[Row]:
    """The funds of ``my_units``, each with its unit's name."""
    found: list[Row] = []
    for unit in my_units(tx):
        for fund in fund_view.of_unit(tx, unit["id"]):
            found.append({**fund, "unit_name": unit["name"]})
    return found


def fund_choices(tx: Transaction, leave_out: UUID | None = None) -> list[tuple[str, str]]:
    return [
        (f["id"], f"{f['name']} · {f['unit_name']}")
        for f in my_funds(tx)
        if f["id"] != str(leave_out)
    ]


def unit_choices(tx: Transaction) -> list[tuple[str, str]]:
    return [(u["id"], u["name"]) for u in my_units(tx)]


def answered(
    template: str,
    fields: tuple[Field, ...],
    route: str,
    write: Callable[[dict[str, Any], Request], Written],
    choices: dict[str, list[tuple[str, str]]] | None = None,
    then: Callable[[Written], str] | None = None,
    given: dict[str, Any] | None = None,
    **context: Any,
) -> Response | tuple[str, int]:
    """Writes the sent form and renders ``template`` with what was written (``written``),
    or, with ``then``, sends the browser to the page it names for the write; a refused
    form is ``template`` with what was typed and why (``form``)."""
    try:
        written = send(fields, route, write, given)
    except Refused as refused:
        refused.filled.choices = choices or {}
        return render_template(template, form=refused.filled, **context), refused.status
    if then is not None:
        return redirect(then(written), 303)
    return render_template(template, written=written.body, **context), 200


def shown_after(endpoint: str, **values: Any) -> Callable[[Written], str]:
    """The page ``endpoint`` (with ``values``), read once it shows the write, with a note
    that it was recorded."""
    return lambda written: url_for(endpoint, vi_tri=written.position, da_ghi=1, **values)


def reached_position() -> dict[str, int]:
    """The read query of a page a write sent the browser to: its projections must have
    passed the write's position (``vi_tri``) before the page is read."""
    text = request.args.get("vi_tri", "")
    return {"min_position": int(text)} if text.isdigit() and len(text) < 19 else {}


def shown_form(
    template: str,
    fields: tuple[Field, ...],
    choices: dict[str, list[tuple[str, str]]] | None = None,
    values: dict[str, str] | None = None,
    **context: Any,
) -> str:
    """``template`` with the form blank but for ``values``, and a new idempotency key."""
    form = Filled(fields, dict(values or {}), choices=choices or {})
    return render_template(template, form=form, **context)
