"""Today (Hôm nay): the first page a treasurer or an approver opens. My funds with their
balances, and what waits for me: payments to approve, pledges overdue, follow-up visits
due, and house stages recorded without evidence."""

from __future__ import annotations

from service.domain.vocabulary import Role
from service.pages.treasurer.approvals import queue
from service.pages.treasurer.pledges import of_my_units
from service.pages.treasurer.shared import (
    ROWS_SHOWN,
    bp,
    my_funds,
    reached_position,
    shown_form,
)
from service.pages.treasurer.shared import (
    today as this_day,
)
from service.projections import grants as grant_view
from service.projections import houses as house_view
from service.reads import fresh, within
from service.web.context import actor

#: Who decides payments held for approval.
DECIDERS = {Role.ADMIN, Role.APPROVER}


@bp.get("/")
def today() -> str:
    """My funds and what waits for me."""
    now = this_day()
    with fresh(reached_position()) as (tx, _):
        scope = within(tx, None)
        funds = my_funds(tx)
        overdue = of_my_units(tx, now, overdue_only=True)
        follow_ups = grant_view.overdue_follow_ups(
            tx, within_unit=scope, today=now.isoformat(), after=0, limit=ROWS_SHOWN
        )
        bare = house_view.stages_without_evidence(tx, scope, ROWS_SHOWN)
    waiting = queue()
    return shown_form(
        "treasurer/today.html",
        (),
        funds=funds,
        overdue=overdue,
        follow_ups=follow_ups,
        bare_stages=bare,
        waiting=waiting["waiting"],
        cases=waiting["cases"],
        decides=actor().role in DECIDERS,
        day=now,
    )
