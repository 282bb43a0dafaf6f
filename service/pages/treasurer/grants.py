"""Livelihood grants (hỗ trợ sinh kế) from a phone: approving one, delivering it in kind,
and recording the follow-up visits at 3, 6 and 12 months."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import request
from werkzeug.wrappers import Response

from service.application import Request, Written
from service.domain.errors import GrantNotFound
from service.domain.vocabulary import FollowUpStatus
from service.pages.treasurer.cases import case_choices, household_name
from service.pages.treasurer.committee import meeting_choices, require_meeting
from service.pages.treasurer.forms import Field, Filled
from service.pages.treasurer.shared import (
    ROWS_SHOWN,
    answered,
    bp,
    reached_position,
    shown_after,
    shown_form,
    today,
)
from service.projections import grants as grant_view
from service.reads import fresh, reached, within
from service.web import labels
from service.web.context import services

GRANT = (
    Field("household_id", "Hộ được hỗ trợ", "choice", required=True),
    Field("item", "Hỗ trợ gì", required=True, hint="Ví dụ: Bò cái sinh sản."),
    Field("value", "Giá trị (đồng)", "money", required=True),
    Field("approved_on", "Ngày phê duyệt", "date", required=True),
    Field("meeting_id", "Cuộc họp bình xét đã chọn hộ", "choice", required=True),
    Field("note", "Ghi chú", "area"),
)
DELIVERY = (
    Field("on", "Ngày trao", "date", required=True),
    Field("value", "Giá trị thực trao (đồng)", "money", hint="Bỏ trống nếu đúng giá trị đã duyệt."),
    Field("description", "Mô tả hiện vật đã trao"),
    Field("note", "Ghi chú", "area"),
)
FOLLOW_UP = (
    Field(
        "months",
        "Lần theo dõi",
        "number",
        required=True,
        choices=(("3", "Sau 3 tháng"), ("6", "Sau 6 tháng"), ("12", "Sau 12 tháng")),
    ),
    Field("on", "Ngày đến thăm", "date", required=True),
    Field(
        "status",
        "Tình trạng",
        "choice",
        required=True,
        choices=tuple(labels.FOLLOW_UP_STATUSES.items()),
    ),
    Field("note", "Ghi chú", "area"),
)


@bp.route("/sinh-ke", methods=["GET", "POST"])
def grants() -> Response | str | tuple[str, int]:
    """The livelihood grants of my units, and the form that approves one."""
    with fresh(reached_position()) as (tx, _):
        rows = grant_view.grants(tx, within_unit=within(tx, None), limit=ROWS_SHOWN)
    choices = {
        "household_id": case_choices()["household_id"],
        "meeting_id": meeting_choices(),
    }
    context: dict[str, Any] = {"grants": rows, "names": dict(choices["household_id"])}
    if request.method == "GET":
        values = {"approved_on": today().isoformat()}
        return shown_form("treasurer/grants.html", GRANT, choices, values, **context)

    def write(body: dict[str, Any], asked: Request) -> Written:
        require_meeting(body)
        return services().ledger.approve_grant(
            asked,
            body["household_id"],
            body["item"],
            body["attributes"],
            body["value"],
            body["approved_on"],
            body["note"],
            body["meeting_id"],
            meeting_required=True,
        )

    return answered(
        "treasurer/grants.html",
        GRANT,
        "grants.approve_grant",
        write,
        choices,
        then=lambda written: shown_after("treasurer.grant", grant_id=written.body["id"])(written),
        **context,
    )


def _grant_context(grant_id: UUID) -> dict[str, Any]:
    missing = GrantNotFound(
        "Không có hỗ trợ sinh kế nào với mã này. Hãy kiểm tra lại mã.", grant_id=str(grant_id)
    )
    with fresh(reached_position()) as (tx, _):
        found = reached(tx, grant_view.get(tx, str(grant_id)), missing)
    name = household_name(found["household_id"])
    day = today().isoformat()
    return {
        "grant": found,
        "household": name,
        "delivery": Filled(DELIVERY, {"on": day}),
        "follow_up": Filled(FOLLOW_UP, {"on": day}),
    }


@bp.get("/sinh-ke/<uuid:grant_id>")
def grant(grant_id: UUID) -> str:
    """A grant: what it is, its delivery and follow-ups, and the forms that record them."""
    return shown_form("treasurer/grant.html", (), **_grant_context(grant_id))


@bp.post("/sinh-ke/<uuid:grant_id>/trao")
def deliver(grant_id: UUID) -> Response | tuple[str, int]:
    """Records the grant given in kind, with its value; no fund money moves."""
    context = _grant_context(grant_id)

    def write(body: dict[str, Any], asked: Request) -> Written:
        return services().ledger.deliver_grant_in_kind(
            asked, grant_id, body["on"], body["value"], body["description"], body["note"]
        )

    return _answered(grant_id, DELIVERY, "grants.deliver_in_kind", write, "delivery", context)


@bp.post("/sinh-ke/<uuid:grant_id>/theo-doi")
def follow_up(grant_id: UUID) -> Response | tuple[str, int]:
    """Records a follow-up visit and what it found."""
    context = _grant_context(grant_id)

    def write(body: dict[str, Any], asked: Request) -> Written:
        return services().ledger.record_follow_up(
            asked,
            grant_id,
            body["months"],
            body["on"],
            FollowUpStatus(body["status"]),
            body["note"],
        )

    return _answered(grant_id, FOLLOW_UP, "grants.record_follow_up", write, "follow_up", context)


def _answered(
    grant_id: UUID,
    fields: tuple[Field, ...],
    route: str,
    write: Any,
    which: str,
    context: dict[str, Any],
) -> Response | tuple[str, int]:
    page = answered(
        "treasurer/grant.html",
        fields,
        route,
        write,
        then=shown_after("treasurer.grant", grant_id=grant_id),
        which=which,
        **context,
    )
    return page
