"""A donor's giving history across the funds of a unit and the units below it."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.api.helpers import (
    MakeToken,
    commune_with_fund,
    every_item,
    get,
    invalid,
    ok,
    open_fund,
    problem,
    receive,
    register_unit,
    reverse,
)


def test_a_donors_gifts_to_every_fund_are_found_by_their_name_as_written_anywhere(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    t = world.treasurer
    relief = open_fund(client, t, world.commune_id, "Quỹ Cứu trợ", "relief")
    an = {"name": "Nguyễn Văn An", "kind": "individual"}
    receive(client, t, world.fund_id, 500_000, donor=an)
    receive(
        client, t, relief["id"], 2_000_000, donor={"name": "NGUYEN  VAN AN", "kind": "individual"}
    )
    receive(client, t, world.fund_id, 3_000_000, donor=an, channel="in_kind")
    receive(
        client, t, world.fund_id, 900_000, donor={"name": "Nguyễn Văn Ánh", "kind": "individual"}
    )
    wrong = receive(client, t, relief["id"], 100_000, donor=an)
    last = reverse(client, t, relief["id"], wrong["entry_id"])
    path = f"/units/{world.province_id}/donors/history"

    gifts = every_item(client, path, world.admin, last["position"], name="nguyễn văn an", limit=2)
    page = ok(get(client, path, world.admin, name="Nguyen Van An"))

    assert [(g["amount"], g["fund_id"], g["reversed"]) for g in gifts] == [
        (500_000, world.fund_id, False),
        (2_000_000, relief["id"], False),
        (3_000_000, world.fund_id, False),
        (100_000, relief["id"], True),
    ]
    assert gifts[1]["donor_name"] == "NGUYEN VAN AN"
    assert page["totals"] == {
        "receipts": 3,
        "funds": 2,
        "money": 2_500_000,
        "in_kind_value": 3_000_000,
    }


def test_a_donors_history_is_read_within_reach_and_needs_a_name(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    other = register_unit(client, world.admin, "Xã Khác", "commune", world.province_id)
    path = f"/units/{world.commune_id}/donors/history"

    problem(
        get(
            client,
            path,
            make_token("viewer", other["id"]),
            name="An",
            min_position=other["position"],
        ),
        403,
    )
    invalid(get(client, path, world.treasurer), "name")
    problem(
        get(
            client,
            "/units/00000000-0000-0000-0000-000000000001/donors/history",
            world.admin,
            name="An",
        ),
        404,
    )
    assert ok(get(client, path, world.treasurer, name="Không ai"))["items"] == []
