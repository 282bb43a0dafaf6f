"""GET /audit/events: the audit trail, for inspectors, with every event's metadata."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask.testing import FlaskClient

from service.projections.log import Tree
from tests.api.helpers import (
    Commune,
    MakeToken,
    commune_with_fund,
    created,
    every_item,
    get,
    invalid,
    ok,
    open_fund,
    post,
    problem,
    receipt,
    register_unit,
)


def _events(client: FlaskClient, token: str, position: int, **params: Any) -> list[dict[str, Any]]:
    """Every event of the trail the token may read, page after page."""
    return every_item(client, "/audit/events", token, position, **params)


def _world(client: FlaskClient, make_token: MakeToken) -> tuple[Commune, dict[str, Any], int]:
    """A commune with a receipt sent with a key and a request id, and a neighbour commune
    with a fund of its own."""
    world = commune_with_fund(client, make_token)
    response = post(
        client,
        f"/funds/{world.fund_id}/receipts",
        world.treasurer,
        receipt(1_000_000),
        key="thu-2025-001",
        headers={"X-Request-Id": "req-7f3a-0001"},
    )
    gift = created(response)
    assert response.headers["X-Request-Id"] == "req-7f3a-0001"
    neighbour = register_unit(client, world.admin, "Xã Gio Linh", "commune", world.province_id)
    theirs = open_fund(client, world.admin, neighbour["id"])
    return (
        world,
        {**gift, "neighbour_id": neighbour["id"], "their_fund": theirs["id"]},
        (theirs["position"]),
    )


def test_every_event_carries_who_recorded_it_and_through_which_request(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world, gift, position = _world(client, make_token)
    inspector = make_token("inspector", world.commune_id)

    events = _events(client, inspector, position, aggregate_id=world.fund_id)

    [received] = [e for e in events if e["event_type"] == "ReceiptRecorded"]
    assert received["aggregate_id"] == world.fund_id
    assert received["aggregate_type"] == "Fund"
    assert (received["actor"], received["role"], received["actor_unit_id"]) == (
        "Thủ quỹ xã",
        "treasurer",
        world.commune_id,
    )
    assert received["idempotency_key"] == "thu-2025-001"
    assert received["request_id"] == "req-7f3a-0001"
    assert received["unit_id"] == world.commune_id
    assert received["occurred_on"] == "2025-03-01"
    assert received["data"]["amount"] == 1_000_000
    assert received["position"] == gift["position"] - 1  # saved just before the key's record
    assert datetime.fromisoformat(received["recorded_at"]).utcoffset() is not None


def test_a_request_without_x_request_id_is_given_one_that_the_events_record(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)

    response = post(client, f"/funds/{world.fund_id}/receipts", world.treasurer, receipt())
    gift = created(response)

    request_id = response.headers["X-Request-Id"]
    assert request_id
    events = _events(client, world.admin, gift["position"], aggregate_id=world.fund_id)
    assert events[-1]["request_id"] == request_id
    assert events[-1]["idempotency_key"] is None


def test_an_inspector_sees_the_events_of_their_unit_and_below_and_nothing_else(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world, gift, position = _world(client, make_token)

    commune_view = _events(client, make_token("inspector", world.commune_id), position)
    province_view = _events(client, make_token("inspector", world.province_id), position)
    admin_view = _events(client, world.admin, position)

    seen = {e["aggregate_id"] for e in commune_view}
    assert {world.commune_id, world.fund_id} <= seen
    assert not seen & {world.province_id, gift["neighbour_id"], gift["their_fund"]}
    assert {e["unit_id"] for e in commune_view} == {world.commune_id}
    assert {
        world.province_id,
        world.commune_id,
        world.fund_id,
        gift["neighbour_id"],
        gift["their_fund"],
    } <= {e["aggregate_id"] for e in province_view}
    assert {e["position"] for e in commune_view} < {e["position"] for e in province_view}
    assert {e["position"] for e in province_view} <= {e["position"] for e in admin_view}


def test_the_trail_is_oldest_first_and_read_page_by_page_until_next_cursor_is_null(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world, _, position = _world(client, make_token)
    everything = _events(client, world.admin, position)

    pages, cursor = [], None
    while True:
        page = ok(
            get(client, "/audit/events", world.admin, min_position=position, limit=3, cursor=cursor)
        )
        pages.append(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break

    positions = [e["position"] for p in pages for e in p]
    assert positions == [e["position"] for e in everything]
    assert positions == sorted(positions)
    assert len(set(positions)) == len(positions)
    assert positions[-1] == position
    assert all(len(p) == 3 for p in pages[:-1])
    assert 1 <= len(pages[-1]) <= 3
    assert len(pages) >= 3


def test_the_trail_is_filtered_by_aggregate_and_by_actor(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world, gift, position = _world(client, make_token)

    of_fund = _events(client, world.admin, position, aggregate_id=world.fund_id)
    by_treasurer = _events(client, world.admin, position, actor="Thủ quỹ xã")
    by_nobody = _events(client, world.admin, position, actor="Không ai")

    assert [e["event_type"] for e in of_fund] == ["Opened", "ReceiptRecorded"]
    assert all(e["aggregate_id"] == world.fund_id for e in of_fund)
    assert by_treasurer
    assert all(e["actor"] == "Thủ quỹ xã" for e in by_treasurer)
    assert {"Opened", "ReceiptRecorded"} <= {e["event_type"] for e in by_treasurer}
    assert gift["their_fund"] not in {e["aggregate_id"] for e in by_treasurer}
    assert by_nobody == []


def test_the_trail_is_filtered_by_recording_time_in_any_time_zone(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world, _, position = _world(client, make_token)
    everything = _events(client, world.admin, position)
    middle = everything[len(everything) // 2]
    moment = datetime.fromisoformat(middle["recorded_at"])
    before = [
        e["position"] for e in everything if datetime.fromisoformat(e["recorded_at"]) < moment
    ]
    since = [
        e["position"] for e in everything if datetime.fromisoformat(e["recorded_at"]) >= moment
    ]

    for zone in ("UTC", "Asia/Ho_Chi_Minh"):
        stamp = moment.astimezone(ZoneInfo(zone)).isoformat()
        got_since = [e["position"] for e in _events(client, world.admin, position, from_=stamp)]
        got_before = [e["position"] for e in _events(client, world.admin, position, to=stamp)]
        assert got_since == since, zone
        assert got_before == before, zone
        assert middle["position"] in got_since
        assert middle["position"] not in got_before

    window = _events(
        client, world.admin, position, from_=everything[1]["recorded_at"], to=middle["recorded_at"]
    )
    assert [e["position"] for e in window] == [p for p in before if p >= everything[1]["position"]]


def test_only_inspectors_and_admins_may_read_the_trail(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world, _, position = _world(client, make_token)

    for role in ("treasurer", "viewer", "approver"):
        problem(
            get(
                client, "/audit/events", make_token(role, world.province_id), min_position=position
            ),
            403,
            "forbidden",
        )
    assert _events(client, make_token("inspector", world.province_id), position)


def test_bad_audit_queries_are_refused_naming_the_parameter(
    client: FlaskClient, make_token: MakeToken
) -> None:
    admin = make_token("admin")

    invalid(get(client, "/audit/events", admin, aggregate_id="fund-1"), "aggregate_id")
    invalid(get(client, "/audit/events", admin, from_="2025-03-01T10:00:00"), "from")
    invalid(get(client, "/audit/events", admin, to="yesterday"), "to")
    invalid(get(client, "/audit/events", admin, cursor="?"), "cursor")
    invalid(get(client, "/audit/events", admin, limit=5000), "limit")


def test_each_event_carries_its_leaf_in_the_log_and_the_trail_filters_by_event_type(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world, gift, position = _world(client, make_token)
    inspector = make_token("inspector", world.province_id)

    events = _events(client, inspector, position)
    receipts = _events(client, inspector, position, type="ReceiptRecorded")

    with client.application.extensions["sovang"].db.transaction() as tx:
        tree = Tree(tx)
        for event in events:
            assert base64.b64decode(event["leaf_hash"]) == tree.leaf(event["position"] - 1)
    assert [e["event_type"] for e in receipts] == ["ReceiptRecorded"]
    assert receipts[0]["data"]["amount"] == 1_000_000
    assert receipts[0]["aggregate_id"] == gift["fund_id"]
    assert _events(client, inspector, position, type="NoSuchEvent") == []
    invalid(get(client, "/audit/events", inspector, type="x" * 101), "type")
