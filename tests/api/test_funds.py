"""POST /funds and GET /funds/{id}: opening funds, balances and totals."""

from __future__ import annotations

from uuid import uuid4

from flask.testing import FlaskClient

from tests.api.helpers import (
    MakeToken,
    commune_with_fund,
    created,
    disburse,
    fund,
    get,
    invalid,
    open_fund,
    post,
    problem,
    receive,
    register_unit,
    reverse,
    send,
)


def test_an_admin_and_the_units_treasurer_may_open_funds_for_the_unit(
    client: FlaskClient, make_token: MakeToken
) -> None:
    admin = make_token("admin")
    commune = register_unit(client, admin, "Xã Vĩnh Linh", "commune")
    treasurer = make_token("treasurer", commune["id"])

    by_admin = open_fund(client, admin, commune["id"], "Quỹ cứu trợ", "relief")
    by_treasurer = created(
        post(
            client,
            "/funds",
            treasurer,
            {"unit_id": commune["id"], "name": "Quỹ Vì người nghèo", "kind": "for_the_poor"},
        )
    )

    assert by_admin["kind"] == "relief"
    assert by_admin["unit_id"] == commune["id"]
    assert by_treasurer == {
        "id": by_treasurer["id"],
        "unit_id": commune["id"],
        "name": "Quỹ Vì người nghèo",
        "kind": "for_the_poor",
        "balance": 0,
        "position": by_treasurer["position"],
    }
    assert by_treasurer["id"] != by_admin["id"]


def test_a_new_fund_reads_back_with_a_zero_balance_and_zero_totals(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)

    read = fund(client, world.treasurer, world.fund_id, world.position)

    assert read == {
        "id": world.fund_id,
        "unit_id": world.commune_id,
        "name": "Quỹ Vì người nghèo",
        "kind": "for_the_poor",
        "balance": 0,
        "reserved": 0,
        "available": 0,
        "dong": 0,
        "holdings": [],
        "total_received": 0,
        "total_in_kind": 0,
        "total_in_kind_out": 0,
        "total_disbursed": 0,
        "total_transferred_in": 0,
        "total_transferred_out": 0,
        "entries_count": 0,
        "closed_through": None,
        "position": world.position,
    }


def test_a_funds_balance_and_totals_follow_its_entries(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    t, f = world.treasurer, world.fund_id
    other = open_fund(client, t, world.commune_id, "Quỹ cứu trợ", "relief")["id"]
    receive(client, t, f, 5_000_000)
    receive(client, t, f, 2_000_000, channel="in_kind")
    disburse(client, t, f, 1_200_000, category="medical")
    send(client, t, f, other, 800_000)
    mistake = receive(client, t, f, 300_000)
    goods_mistake = receive(client, t, f, 400_000, channel="in_kind")
    reverse(client, t, f, goods_mistake["entry_id"])
    last = reverse(client, t, f, mistake["entry_id"])

    read = fund(client, t, f, last["position"])
    into = fund(client, t, other, last["position"])

    assert read["balance"] == 5_000_000 - 1_200_000 - 800_000 == last["balance"]
    assert read["total_received"] == 5_000_000
    assert read["total_in_kind"] == 2_000_000
    assert read["total_disbursed"] == 1_200_000
    assert read["total_transferred_out"] == 800_000
    assert read["total_transferred_in"] == 0
    assert read["position"] == last["position"]
    assert (into["balance"], into["total_transferred_in"]) == (800_000, 800_000)


def test_a_treasurer_may_not_open_a_fund_for_another_unit(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    neighbour = register_unit(client, world.admin, "Xã Gio Linh", "commune", world.province_id)
    body = {"name": "Quỹ lạ", "kind": "other"}

    problem(
        post(client, "/funds", world.treasurer, {**body, "unit_id": neighbour["id"]}),
        403,
        "forbidden",
    )
    problem(
        post(client, "/funds", world.treasurer, {**body, "unit_id": world.province_id}),
        403,
        "forbidden",
    )
    for role in ("viewer", "inspector", "approver"):
        problem(
            post(
                client,
                "/funds",
                make_token(role, world.commune_id),
                {**body, "unit_id": world.commune_id},
            ),
            403,
            "forbidden",
        )


def test_opening_a_fund_for_an_unknown_unit_is_refused_naming_unit_id(
    client: FlaskClient, make_token: MakeToken
) -> None:
    admin = make_token("admin")

    invalid(
        post(client, "/funds", admin, {"unit_id": str(uuid4()), "name": "Quỹ", "kind": "relief"}),
        "unit_id",
    )


def test_a_fund_is_readable_by_tokens_of_its_unit_and_the_units_above_only(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    neighbour = register_unit(client, world.admin, "Xã Gio Linh", "commune", world.province_id)
    at = neighbour["position"]

    assert fund(client, make_token("viewer", world.province_id), world.fund_id, at)["id"] == (
        world.fund_id
    )
    assert fund(client, make_token("inspector", world.commune_id), world.fund_id, at)["id"] == (
        world.fund_id
    )
    problem(
        get(
            client,
            f"/funds/{world.fund_id}",
            make_token("viewer", neighbour["id"]),
            min_position=at,
        ),
        403,
        "forbidden",
    )


def test_reading_an_unknown_fund_answers_404(client: FlaskClient, make_token: MakeToken) -> None:
    admin = make_token("admin")

    problem(get(client, f"/funds/{uuid4()}", admin), 404, "fund-not-found")
    problem(get(client, f"/funds/{uuid4()}/entries", admin), 404, "fund-not-found")
