"""/thanh-tra/giam-sat: a board's plan of the year's supervisions and the recommendations
it made, what is overdue first; and the counts a unit's public disclosure shows of them."""

from __future__ import annotations

from typing import Any

from flask import render_template, request

from service.pages.access import bp
from service.projections import follow_through as follow_view
from service.reads import follow_through as follow_read
from service.reads import fresh, within
from service.reads.questions import today

#: Recommendations shown on the page at once.
SHOWN = 500


@bp.app_template_global()
def recommendation_counts(unit_id: str, whole: bool) -> dict[str, Any]:
    """How many recommendations a unit was given, carried out, and left overdue."""
    with fresh({}) as (tx, _):
        return follow_read.unit_counts(tx, str(unit_id), whole)


@bp.get("/giam-sat")
def follow_through() -> str:
    """The plan of the year, and every recommendation still to carry out, overdue first."""
    follow_read.require_reader()
    year_text = request.args.get("nam", "")
    year = int(year_text) if year_text.isdigit() and len(year_text) == 4 else today().year
    with fresh({}) as (tx, _):
        scope = within(tx, None)
        plans = follow_view.plans(tx, within_unit=scope, year=year)
        made = follow_read.page_of_recommendations(tx, scope, False, 0, SHOWN)
    waiting = [r for r in made if r["status"] not in ("done", "verified")]
    return render_template(
        "inspector/follow_through.html",
        year=year,
        plans=plans,
        overdue=[r for r in waiting if r["overdue"]],
        waiting=[r for r in waiting if not r["overdue"]],
        carried_out=[r for r in made if r["status"] in ("done", "verified")],
    )
