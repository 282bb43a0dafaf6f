"""Bình xét: the village meeting that selects the households to be supported is recorded
before a house or a grant is approved, with its date, attendance, votes and the hash of
its minutes; an approval names its meeting, and only for a household it selected."""

from __future__ import annotations

import hashlib
from typing import Any

from flask.testing import FlaskClient

from tests.api.helpers import (
    MakeToken,
    created,
    get,
    invalid,
    ok,
    post,
    problem,
    register_household,
    register_unit,
)

MINUTES = hashlib.sha256(b"Bien ban hop binh xet thon Tan Lap, 10/02/2025").hexdigest()


def _meeting(nominees: list[dict[str, Any]], **changed: Any) -> dict[str, Any]:
    return {
        "held_on": "2025-02-10",
        "purpose": "house",
        "attendees": 40,
        "chaired_by": "Trưởng ban công tác Mặt trận thôn Tân Lập",
        "nominees": nominees,
        "minutes_name": "bien-ban-binh-xet-tan-lap.pdf",
        "minutes_sha256": MINUTES,
        **changed,
    }


def _house(household: str, meeting: str, approved_on: str = "2025-02-15") -> dict[str, Any]:
    return {
        "household_id": household,
        "kind": "new_build",
        "budget": {"fund": 50_000_000},
        "approved_on": approved_on,
        "meeting_id": meeting,
    }


def _village(client: FlaskClient, make_token: MakeToken) -> tuple[str, str, str]:
    """An admin's token, and a commune of a province with a village below it."""
    admin = make_token("admin", name="Quản trị viên")
    province = register_unit(client, admin, "Tỉnh Hà Tĩnh", "province")["id"]
    commune = register_unit(client, admin, "Xã Thạch Lạc", "commune", province)["id"]
    return admin, commune, register_unit(client, admin, "Thôn Tân Lập", "village", commune)["id"]


def test_an_approval_names_the_meeting_that_selected_its_household(
    client: FlaskClient, make_token: MakeToken
) -> None:
    admin, commune, village = _village(client, make_token)
    treasurer = make_token("treasurer", commune, name="Thủ quỹ xã")
    first, second, third = (
        register_household(client, treasurer, village, name, "Thôn Tân Lập")
        for name in ("Lê Thị Hoa", "Phạm Văn Nam", "Đỗ Thị Mai")
    )
    nominees = [
        {"household_id": first, "votes_for": 35, "votes_against": 3},
        # Exactly half of those who attended is not a majority.
        {"household_id": second, "votes_for": 20, "votes_against": 20},
        {"household_id": third, "votes_for": 30},
    ]
    held = created(
        post(client, f"/units/{village}/selection-meetings", treasurer, _meeting(nominees))
    )
    assert held["selected"] == sorted([first, third])

    shown = ok(
        get(client, f"/selection-meetings/{held['id']}", admin, min_position=held["position"])
    )
    assert (shown["unit_id"], shown["held_on"], shown["attendees"]) == (village, "2025-02-10", 40)
    assert shown["minutes_sha256"] == MINUTES
    assert [(n["household_id"], n["votes_for"], n["selected"]) for n in shown["nominees"]] == [
        (first, 35, True),
        (third, 30, True),
        (second, 20, False),
    ]

    house = created(post(client, "/houses", treasurer, _house(first, held["id"])))
    assert house["meeting_id"] == held["id"]
    grant = {
        "household_id": third,
        "item": "Bò cái sinh sản",
        "value": 15_000_000,
        "approved_on": "2025-02-12",
        "meeting_id": held["id"],
    }
    assert created(post(client, "/grants", treasurer, grant))["meeting_id"] == held["id"]
    # Not selected, approved before the meeting, or a meeting that does not exist.
    assert (
        "quá nửa"
        in invalid(post(client, "/houses", treasurer, _house(second, held["id"])), "meeting_id")[
            "detail"
        ]
    )
    invalid(
        post(client, "/houses", treasurer, _house(first, held["id"], "2025-02-01")), "meeting_id"
    )
    invalid(post(client, "/houses", treasurer, _house(first, village)), "meeting_id")


def test_a_meeting_is_refused_with_the_field_named(
    client: FlaskClient, make_token: MakeToken
) -> None:
    admin, commune, village = _village(client, make_token)
    other = register_unit(client, admin, "Thôn Đông Hà", "village", commune)["id"]
    treasurer = make_token("treasurer", commune, name="Thủ quỹ xã")
    household = register_household(client, treasurer, village, "Lê Thị Hoa", "Thôn Tân Lập")
    path = f"/units/{village}/selection-meetings"
    one = [{"household_id": household, "votes_for": 30}]

    invalid(post(client, path, treasurer, _meeting(one, minutes_sha256="z" * 64)), "minutes_sha256")
    too_many = [{"household_id": household, "votes_for": 30, "votes_against": 20}]
    invalid(post(client, path, treasurer, _meeting(too_many)), "nominees.0")
    invalid(post(client, path, treasurer, _meeting(one, held_on="2099-01-01")), "held_on")
    invalid(post(client, path, treasurer, _meeting([])), "nominees")
    elsewhere = post(client, f"/units/{other}/selection-meetings", treasurer, _meeting(one))
    assert "Thôn Đông Hà" in invalid(elsewhere, "nominees.0.household_id")["detail"]
    problem(post(client, path, make_token("viewer", village), _meeting(one)), 403)
    problem(
        get(client, f"/selection-meetings/{village}", admin), 404, "selection-meeting-not-found"
    )


def test_an_approval_without_its_meeting_is_refused_unless_the_board_says_why(
    client: FlaskClient, make_token: MakeToken
) -> None:
    admin, commune, village = _village(client, make_token)
    treasurer = make_token("treasurer", commune, name="Thủ quỹ xã")
    head = make_token("approver", commune, name="Chủ tịch Ủy ban MTTQ xã")
    household = register_household(client, treasurer, village, "Lê Thị Hoa", "Thôn Tân Lập")
    house = {**_house(household, village), "meeting_id": None}
    grant = {
        "household_id": household,
        "item": "Bò cái sinh sản",
        "value": 15_000_000,
        "approved_on": "2025-02-12",
    }

    refused = invalid(post(client, "/houses", treasurer, house), "meeting_id")
    assert "cuộc họp bình xét" in refused["detail"]
    assert "bình xét" in invalid(post(client, "/grants", treasurer, grant), "meeting_id")["detail"]
    # Going without a meeting is the board's decision, with its reason recorded.
    flood = "Lũ cuốn trôi nhà ngày 10/02/2025, hỗ trợ khẩn cấp trước khi thôn họp được"
    problem(post(client, "/houses", treasurer, {**house, "no_meeting_reason": flood}), 403)
    problem(post(client, "/grants", treasurer, {**grant, "no_meeting_reason": flood}), 403)
    invalid(post(client, "/houses", head, {**house, "no_meeting_reason": "  "}), "meeting_id")
    urgent = created(post(client, "/houses", head, {**house, "no_meeting_reason": flood}))
    assert (urgent["meeting_id"], urgent["no_meeting_reason"]) == (None, flood)
    cow = created(post(client, "/grants", admin, {**grant, "no_meeting_reason": flood}))
    assert (cow["meeting_id"], cow["no_meeting_reason"]) == (None, flood)

    held = created(
        post(
            client,
            f"/units/{village}/selection-meetings",
            treasurer,
            _meeting([{"household_id": household, "votes_for": 35}]),
        )
    )
    both = {**house, "meeting_id": held["id"], "no_meeting_reason": flood}
    invalid(post(client, "/houses", head, both), "no_meeting_reason")
    named = created(post(client, "/houses", treasurer, {**house, "meeting_id": held["id"]}))
    assert (named["meeting_id"], named["no_meeting_reason"]) == (held["id"], None)
