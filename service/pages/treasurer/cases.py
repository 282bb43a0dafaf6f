"""The households a unit supports: registering them and recording their categories, their
personal data shown masked unless the signed-in person may see it in full; and the
households, houses and grants a payment may name."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import request
from werkzeug.wrappers import Response

from service.application import Request, Written
from service.domain.households import PersonalData
from service.domain.vocabulary import HouseholdCategory
from service.pages.treasurer.forms import Field
from service.pages.treasurer.shared import (
    ROWS_SHOWN,
    answered,
    bp,
    reached_position,
    shown_after,
    shown_form,
    today,
    unit_choices,
)
from service.projections import grants as grant_view
from service.projections import households as household_view
from service.projections import houses as house_view
from service.reads import fresh, within
from service.reads.households import readable_household, shown
from service.web import labels
from service.web.context import services

HOUSEHOLD = (
    Field("unit_id", "Đơn vị", "choice", required=True),
    Field("head_name", "Họ tên chủ hộ", required=True),
    Field("address", "Địa chỉ", required=True),
    Field("members_count", "Số nhân khẩu", "number", required=True),
    Field("cccd", "Số CCCD của chủ hộ"),
    Field("phone", "Số điện thoại"),
    Field("duplicate_reason", "Lý do vẫn đăng ký khi trùng với hộ đã có", "area"),
)
CATEGORY = (
    Field(
        "category",
        "Diện",
        "choice",
        required=True,
        choices=tuple(labels.HOUSEHOLD_CATEGORIES.items()),
    ),
    Field("since", "Từ ngày", "date", hint="Ngày bắt đầu thuộc diện này."),
    Field("until", "Đến ngày", "date", hint="Chỉ điền khi hộ thôi thuộc diện này."),
)


def case_choices() -> dict[str, list[tuple[str, str]]]:
    """What a payment may pay: a household (named as I may see it), an open house, a
    grant not yet delivered."""
    with fresh({}) as (tx, _):
        scope = within(tx, None)
        households = household_view.of_units(
            tx, within_unit=scope, category=None, after_position=0, limit=ROWS_SHOWN
        )
        houses = house_view.projects(
            tx,
            within_unit=scope,
            stage=None,
            overdue_since=None,
            after_position=0,
            limit=ROWS_SHOWN,
        )
        grants = grant_view.grants(tx, within_unit=scope, status="approved", limit=ROWS_SHOWN)
    # Personal data is opened outside the read: the keyring reads the store itself.
    names = {h["id"]: f"{h['head_name']} · {h['members_count']} người" for h in shown(households)}
    return {
        "household_id": list(names.items()),
        "house_project_id": [
            (h["id"], f"Nhà {labels.HOUSE_KINDS[h['kind']]} · {names.get(h['household_id'], '')}")
            for h in houses
            if h["status"] == "open"
        ],
        "grant_id": [
            (g["id"], f"{g['item']} · {names.get(g['household_id'], '')}") for g in grants
        ],
    }


def household_name(household_id: str) -> str:
    """The household's head as I may see the name."""
    with fresh({}) as (tx, _):
        found = readable_household(tx, UUID(household_id))
    return str(shown([found])[0]["head_name"])


@bp.route("/ho", methods=["GET", "POST"])
def households() -> Response | str | tuple[str, int]:
    """The households of my units, and the form that registers one."""
    with fresh(reached_position()) as (tx, _):
        found = household_view.of_units(
            tx, within_unit=within(tx, None), category=None, after_position=0, limit=ROWS_SHOWN
        )
        choices = {"unit_id": unit_choices(tx)}
    rows = shown(found)
    if request.method == "GET":
        return shown_form("treasurer/households.html", HOUSEHOLD, choices, households=rows)

    def write(body: dict[str, Any], asked: Request) -> Written:
        data = PersonalData.of(body["head_name"], body["address"], body["cccd"], body["phone"])
        return services().ledger.register_household(
            asked, body["unit_id"], data, body["members_count"], (), body["duplicate_reason"]
        )

    return answered(
        "treasurer/households.html",
        HOUSEHOLD,
        "households.register_household",
        write,
        choices,
        then=shown_after("treasurer.households"),
        households=rows,
    )


@bp.route("/ho/<uuid:household_id>", methods=["GET", "POST"])
def household(household_id: UUID) -> Response | str | tuple[str, int]:
    """A household: its data as I may see it, its categories, and the form that records
    one (or its end)."""
    with fresh(reached_position()) as (tx, _):
        row = readable_household(tx, household_id)
    found = shown([row])[0]
    if request.method == "GET":
        values = {"since": today().isoformat()}
        return shown_form("treasurer/household.html", CATEGORY, values=values, household=found)

    def write(body: dict[str, Any], asked: Request) -> Written:
        return services().ledger.record_household_category(
            asked, household_id, HouseholdCategory(body["category"]), body["since"], body["until"]
        )

    return answered(
        "treasurer/household.html",
        CATEGORY,
        "households.record_category",
        write,
        then=shown_after("treasurer.household", household_id=household_id),
        household=found,
    )
