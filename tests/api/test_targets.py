"""Targets (chỉ tiêu): assigned by the level above, reported as achievement, rolled up."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from tests.api.helpers import (
    MakeToken,
    commune_with_fund,
    created,
    get,
    invalid,
    ok,
    open_fund,
    post,
    problem,
    receive,
    register_unit,
    report,
)

YEAR = {"from_": "2022-01-01", "to": "2022-12-31"}


def target(amount: int, year: int = 2022, fund_kind: str = "for_the_poor") -> dict[str, Any]:
    return {"year": year, "fund_kind": fund_kind, "amount": amount}


def test_the_report_measures_money_raised_against_the_target_the_level_above_assigned(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    above = make_token("approver", world.province_id, name="Chủ tịch tỉnh")
    relief = open_fund(client, world.treasurer, world.commune_id, "Quỹ Cứu trợ", "relief")
    created(post(client, f"/units/{world.commune_id}/targets", above, target(1_500_000_000)))
    receive(client, world.treasurer, world.fund_id, 2_000_000_000, occurred_on="2022-05-01")
    receive(client, world.treasurer, world.fund_id, 355_000_000, occurred_on="2022-11-01")
    receive(client, world.treasurer, world.fund_id, 9_000_000, occurred_on="2023-01-02")
    receive(client, world.treasurer, relief["id"], 50_000_000, occurred_on="2022-05-01")
    last = receive(
        client,
        world.treasurer,
        world.fund_id,
        700_000_000,
        occurred_on="2022-05-01",
        channel="in_kind",
    )

    year = report(client, world.treasurer, world.commune_id, last["position"], **YEAR)

    assert year["target"] == {
        "amount": 1_500_000_000,
        "raised": 2_355_000_000,
        "achievement_pct": 157.0,
        "by_fund_kind": {
            "for_the_poor": {
                "amount": 1_500_000_000,
                "raised": 2_355_000_000,
                "achievement_pct": 157.0,
            }
        },
    }
    assert year["receipts"]["total"] == 2_405_000_000


def test_only_the_level_above_assigns_a_units_target(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    path = f"/units/{world.commune_id}/targets"

    problem(post(client, path, world.treasurer, target(1)), 403, "forbidden")
    problem(post(client, path, make_token("viewer", world.province_id), target(1)), 403)
    problem(post(client, f"/units/{world.province_id}/targets", world.treasurer, target(1)), 403)
    created(post(client, path, make_token("treasurer", world.province_id), target(100)))
    created(post(client, f"/units/{world.province_id}/targets", world.admin, target(500)))


def test_a_new_target_for_the_same_year_and_kind_replaces_the_earlier_one(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    path = f"/units/{world.commune_id}/targets"
    created(post(client, path, world.admin, target(100_000_000)))
    created(post(client, path, world.admin, target(300_000_000, fund_kind="sea_islands")))
    created(post(client, path, world.admin, target(50_000_000, year=2023)))
    last = created(post(client, path, world.admin, target(120_000_000)))

    listed = ok(get(client, path, world.treasurer, min_position=last["position"]))
    one_year = ok(get(client, path, world.treasurer, year=2023))

    assert [(t["year"], t["fund_kind"], t["amount"]) for t in listed["items"]] == [
        (2022, "for_the_poor", 120_000_000),
        (2022, "sea_islands", 300_000_000),
        (2023, "for_the_poor", 50_000_000),
    ]
    assert [t["amount"] for t in one_year["items"]] == [50_000_000]
    assert listed["items"][0]["assigned_by"] == "Quản trị viên"


def test_targets_roll_up_without_counting_a_target_passed_down_twice(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    other = register_unit(client, world.admin, "Xã Vĩnh Thủy", "commune", world.province_id)
    other_treasurer = make_token("treasurer", other["id"])
    other_fund = open_fund(client, other_treasurer, other["id"])
    created(post(client, f"/units/{world.commune_id}/targets", world.admin, target(100_000_000)))
    created(post(client, f"/units/{other['id']}/targets", world.admin, target(300_000_000)))
    receive(client, world.treasurer, world.fund_id, 150_000_000, occurred_on="2022-03-01")
    done = receive(client, other_treasurer, other_fund["id"], 150_000_000, occurred_on="2022-03-01")
    pos = done["position"]

    alone = report(client, world.admin, world.province_id, pos, **YEAR)
    rolled = report(client, world.admin, world.province_id, pos, include_children=True, **YEAR)
    assert alone["target"]["amount"] == 0
    assert alone["target"]["achievement_pct"] == 0.0
    assert (rolled["target"]["amount"], rolled["target"]["achievement_pct"]) == (
        400_000_000,
        75.0,
    )

    own = created(
        post(client, f"/units/{world.province_id}/targets", world.admin, target(600_000_000))
    )
    rolled = report(
        client, world.admin, world.province_id, own["position"], include_children=True, **YEAR
    )
    assert (rolled["target"]["amount"], rolled["target"]["achievement_pct"]) == (
        600_000_000,
        50.0,
    )


def test_a_target_needs_a_year_a_kind_of_fund_and_a_whole_amount(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    path = f"/units/{world.commune_id}/targets"

    invalid(post(client, path, world.admin, {**target(1), "year": "2022"}), "year")
    invalid(post(client, path, world.admin, {**target(1), "year": 1800}), "year")
    invalid(post(client, path, world.admin, target(0)), "amount")
    invalid(post(client, path, world.admin, {**target(1), "amount": "1.000.000"}), "amount")
    invalid(post(client, path, world.admin, target(1, fund_kind="vaccine")), "fund_kind")
    problem(
        post(client, "/units/00000000-0000-0000-0000-000000000000/targets", world.admin, target(1)),
        404,
    )
