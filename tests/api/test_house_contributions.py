"""Counterpart contributions received, not only planned: what the household, relatives,
sponsors and labour actually gave towards a house, as it came, against its cost sheet."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from tests.api.helpers import (
    MakeToken,
    commune_with_fund,
    created,
    get,
    invalid,
    login,
    ok,
    page,
    post,
    problem,
    register_household,
    with_meeting,
)

BUDGET = {"fund": 40_000_000, "household": 10_000_000, "relatives": 5_000_000, "labour": 3_000_000}


def test_a_house_shows_each_source_planned_against_given(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    household = register_household(client, world.treasurer, world.commune_id)
    house = created(
        post(
            client,
            "/houses",
            world.treasurer,
            with_meeting(
                client,
                world.treasurer,
                {
                    "household_id": household,
                    "kind": "new_build",
                    "budget": BUDGET,
                    "approved_on": "2025-01-10",
                },
            ),
        )
    )["id"]
    path = f"/houses/{house}/contributions"

    def given(**body: Any) -> Any:
        return post(client, path, world.treasurer, {"on": "2025-02-01", **body})

    created(given(source="household", money=6_000_000))
    created(given(source="relatives", materials="Xi măng 50 bao", materials_value=5_000_000))
    created(given(source="labour", labour_days=25))
    last = created(given(source="labour", labour_days=15, note="Đoàn thanh niên xã"))

    shown = ok(get(client, f"/houses/{house}", world.admin, min_position=last["position"]))
    login(client, world.admin)
    html = page(client, f"/nha/{house}")
    assert "Kế hoạch" in html
    assert "6.000.000 đ" in html
    by_source = {line["source"]: line for line in shown["contributions"]}
    assert by_source["fund"] == {
        "source": "fund",
        "planned": 40_000_000,
        "received": 0,
        "labour_days": 0,
    }
    assert (by_source["household"]["planned"], by_source["household"]["received"]) == (
        10_000_000,
        6_000_000,
    )
    assert by_source["relatives"]["received"] == 5_000_000
    assert (by_source["labour"]["planned"], by_source["labour"]["labour_days"]) == (3_000_000, 40)
    assert by_source["sponsors"] == {
        "source": "sponsors",
        "planned": 0,
        "received": 0,
        "labour_days": 0,
    }

    invalid(given(source="fund", money=1), "source")
    invalid(given(source="household"), "money")
    invalid(given(source="household", money=1, on="2099-01-01"), "on")
    problem(
        post(
            client,
            path,
            make_token("viewer", world.commune_id),
            {"on": "2025-02-01", "source": "household", "money": 1},
        ),
        403,
    )
    created(
        post(client, f"/houses/{house}/cancellation", world.treasurer, {"reason": "Hộ chuyển đi"})
    )
    problem(given(source="household", money=1), 409, "project-closed")
