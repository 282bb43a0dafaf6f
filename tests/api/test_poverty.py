"""Poverty figures from the registry per unit and year: households that escaped, that
fell into poverty or near-poverty, those poor at the year's end, and how many households
first supported in the year escaped within one, two and three years."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.api.helpers import (
    MakeToken,
    created,
    disburse,
    get,
    ok,
    open_fund,
    post,
    problem,
    receive,
    register_household,
    register_unit,
)


def test_poverty_figures_come_from_the_registry(client: FlaskClient, make_token: MakeToken) -> None:
    admin = make_token("admin", name="Quản trị viên")
    province = register_unit(client, admin, "Tỉnh Hà Tĩnh", "province")["id"]
    commune = register_unit(client, admin, "Xã Thạch Lạc", "commune", province)["id"]
    village = register_unit(client, admin, "Thôn Tân Lập", "village", commune)["id"]
    treasurer = make_token("treasurer", commune, name="Thủ quỹ xã")
    fund = open_fund(client, treasurer, commune)["id"]
    receive(client, treasurer, fund, 10_000_000, occurred_on="2020-01-10")

    def household(name: str, category: str, since: str) -> str:
        categories = [{"category": category, "since": since}]
        return register_household(
            client, treasurer, village, name, "Thôn Tân Lập", categories=categories
        )

    fell = household("Lê Thị Hoa", "poor", "2021-03-01")
    near = household("Phạm Văn Nam", "near_poor", "2021-05-01")
    long_poor = household("Đỗ Thị Mai", "poor", "2019-01-01")
    disburse(
        client,
        treasurer,
        fund,
        1_000_000,
        occurred_on="2021-04-01",
        category="livelihood",
        household_id=fell,
    )
    disburse(
        client,
        treasurer,
        fund,
        1_000_000,
        occurred_on="2020-06-01",
        category="livelihood",
        household_id=long_poor,
    )
    created(
        post(client, f"/households/{long_poor}/escaped-poverty", treasurer, {"on": "2021-08-01"})
    )
    last = created(
        post(client, f"/households/{fell}/escaped-poverty", treasurer, {"on": "2022-02-01"})
    )
    assert near

    year = ok(
        get(client, f"/units/{commune}/poverty", admin, year=2021, min_position=last["position"])
    )
    assert {key: value for key, value in year.items() if key not in ("position", "unit_id")} == {
        "year": 2021,
        "escaped_poverty": 1,
        "fell_into_poverty": 1,
        "fell_into_near_poverty": 1,
        "poor_at_year_end": 1,
        "near_poor_at_year_end": 1,
        "first_supported": 1,
        "first_supported_escaped": {"within_1_years": 1, "within_2_years": 1, "within_3_years": 1},
    }
    later = ok(get(client, f"/units/{province}/poverty", admin, year=2022))
    assert (later["escaped_poverty"], later["poor_at_year_end"], later["first_supported"]) == (
        1,
        0,
        0,
    )
    problem(get(client, f"/units/{province}/poverty", treasurer, year=2021), 403)
