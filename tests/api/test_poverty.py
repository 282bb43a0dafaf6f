"""Poverty figures from the registry per unit and year: households that escaped, that
fell into poverty or near-poverty, those poor at the year's end with the poverty and
near-poverty rates against the households the unit recorded, and how many households
first supported in the year escaped within one, two and three years."""

from __future__ import annotations

import io

from docx import Document
from flask.testing import FlaskClient

from tests.api.helpers import (
    API,
    MakeToken,
    auth,
    created,
    disburse,
    get,
    invalid,
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
        # No count of the commune's households was recorded: no rates.
        "households": None,
        "poverty_rate_pct": None,
        "near_poverty_rate_pct": None,
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


def test_the_rates_are_exact_against_the_households_the_unit_recorded(
    client: FlaskClient, make_token: MakeToken
) -> None:
    admin = make_token("admin", name="Quản trị viên")
    province = register_unit(client, admin, "Tỉnh Hà Tĩnh", "province")["id"]
    commune = register_unit(client, admin, "Xã Thạch Lạc", "commune", province)["id"]
    other = register_unit(client, admin, "Xã Thạch Kênh", "commune", province)["id"]
    village = register_unit(client, admin, "Thôn Tân Lập", "village", commune)["id"]
    treasurer = make_token("treasurer", commune, name="Thủ quỹ xã")
    poor = [{"category": "poor", "since": "2024-02-01"}]
    register_household(client, treasurer, village, "Lê Thị Hoa", "Thôn Tân Lập", categories=poor)
    for name in ("Phạm Văn Nam", "Đỗ Thị Mai", "Trần Văn Ba"):
        register_household(client, treasurer, commune, name, "Xóm Đông")  # near-poor

    path = f"/units/{commune}/household-counts"
    created(post(client, path, treasurer, {"year": 2024, "households": 900}))
    # A later count for the year replaces the first.
    last = created(post(client, path, treasurer, {"year": 2024, "households": 800}))
    assert (last["unit_id"], last["year"], last["households"]) == (commune, 2024, 800)
    invalid(post(client, path, treasurer, {"year": 2024, "households": 0}), "households")
    invalid(post(client, path, treasurer, {"year": 2024, "households": "800"}), "households")
    beside = make_token("treasurer", other, name="Thủ quỹ xã bên")
    problem(post(client, path, beside, {"year": 2024, "households": 5}), 403)
    problem(post(client, path, make_token("viewer", commune), {"year": 2024, "households": 5}), 403)

    shown = ok(
        get(client, f"/units/{commune}/poverty", admin, year=2024, min_position=last["position"])
    )
    # 1 of 800 is 0,125%: rounded half up to 0,13%, not to the even 0,12%; 3 of 800 is 0,375%.
    assert (shown["households"], shown["poor_at_year_end"], shown["near_poor_at_year_end"]) == (
        800,
        1,
        3,
    )
    assert (shown["poverty_rate_pct"], shown["near_poverty_rate_pct"]) == (0.13, 0.38)
    # The province recorded no count of its own: its figures carry no rate.
    above = ok(get(client, f"/units/{province}/poverty", admin, year=2024))
    assert (above["poor_at_year_end"], above["poverty_rate_pct"]) == (1, None)
    assert ok(get(client, f"/units/{commune}/poverty", admin, year=2025))["households"] is None

    report = client.get(
        f"{API}/units/{commune}/committee-report",
        query_string={"year": 2024, "min_position": last["position"]},
        headers=auth(treasurer),
    )
    assert report.status_code == 200, report.get_data(as_text=True)
    text = "\n".join(p.text for p in Document(io.BytesIO(report.data)).paragraphs)
    assert (
        "Cuối năm còn 1 hộ nghèo, tỷ lệ hộ nghèo 0,13%; 3 hộ cận nghèo, tỷ lệ hộ cận nghèo "
        "0,38%; trên tổng số 800 hộ."
    ) in text
