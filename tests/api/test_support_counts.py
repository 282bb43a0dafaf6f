"""Support counted as the reports count it: "hỗ trợ 902 lượt hộ cận nghèo, người có hoàn
cảnh khó khăn, nạn nhân chất độc da cam đón Tết Nguyên đán Tân Sửu 2021" recorded as a
ward's distribution comes out as 902 household-times for its district, by beneficiary
category; and the coverage of the registry ("100% hộ cận nghèo được tặng quà Tết")."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from tests.api.helpers import (
    MakeToken,
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
    reverse,
)

TET_2021 = {
    "on": "2021-02-05",
    "category": "tet_gift",
    "title": "Trao quà Tết Nguyên đán Tân Sửu 2021",
    "lines": [
        {"beneficiary": "near_poor", "packages": 500, "household_times": 500, "people": 1_450},
        {"beneficiary": "hardship", "packages": 300, "household_times": 300, "people": 820},
        {"beneficiary": "agent_orange_victim", "packages": 102, "household_times": 102},
    ],
    "value": 451_000_000,
}
YEAR_2021 = {"from_": "2021-01-01", "to": "2021-12-31"}


def _district(client: FlaskClient, make_token: MakeToken) -> tuple[str, str, str, str, str]:
    admin = make_token("admin", name="Quản trị viên")
    city = register_unit(client, admin, "Thành phố Hà Nội", "province")["id"]
    district = register_unit(client, admin, "Quận Bắc Từ Liêm", "district", city)["id"]
    ward = register_unit(client, admin, "Phường Cổ Nhuế 1", "commune", district)["id"]
    village = register_unit(client, admin, "Tổ dân phố số 5", "village", ward)["id"]
    return admin, district, ward, village, make_token("treasurer", ward, name="Thủ quỹ phường")


def test_a_distribution_counts_household_times_by_beneficiary_up_the_tree(
    client: FlaskClient, make_token: MakeToken
) -> None:
    admin, district, ward, village, treasurer = _district(client, make_token)
    created(post(client, f"/units/{ward}/distributions", treasurer, TET_2021))
    elderly = {
        "on": "2021-02-06",
        "category": "tet_gift",
        "title": "Quà Tết người cao tuổi cô đơn",
        "lines": [{"beneficiary": "elderly_alone", "packages": 12, "people": 12}],
    }
    position = created(post(client, f"/units/{village}/distributions", treasurer, elderly))[
        "position"
    ]

    counted = ok(
        get(
            client,
            f"/units/{district}/support-counts",
            admin,
            min_position=position,
            include_children="true",
            **YEAR_2021,
        )
    )
    assert counted["distributions"] == 2
    assert counted["totals"] == {"packages": 914, "household_times": 902, "people": 2_282}
    assert counted["value"] == 451_000_000
    assert counted["by_beneficiary"]["near_poor"] == {
        "packages": 500,
        "household_times": 500,
        "people": 1_450,
    }
    assert counted["by_beneficiary"]["agent_orange_victim"]["household_times"] == 102
    assert counted["by_beneficiary"]["elderly_alone"]["packages"] == 12
    assert counted["by_beneficiary"]["poor"] == {"packages": 0, "household_times": 0, "people": 0}
    assert counted["by_category"]["tet_gift"]["household_times"] == 902
    # The district's own figure, without the units below, and another year: nothing.
    own = ok(get(client, f"/units/{district}/support-counts", admin, **YEAR_2021))
    assert own["totals"]["household_times"] == 0
    ward_only = ok(get(client, f"/units/{ward}/support-counts", admin, **YEAR_2021))
    assert ward_only["totals"]["packages"] == 902
    later = ok(
        get(
            client,
            f"/units/{district}/support-counts",
            admin,
            from_="2022-01-01",
            to="2022-12-31",
            include_children="true",
        )
    )
    assert later["distributions"] == 0


def test_a_distribution_is_refused_with_the_field_named(
    client: FlaskClient, make_token: MakeToken
) -> None:
    _admin, district, ward, _village, treasurer = _district(client, make_token)
    path = f"/units/{ward}/distributions"

    def sent(**changed: Any) -> Any:
        return post(client, path, treasurer, {**TET_2021, **changed})

    invalid(sent(lines=[]), "lines")
    nothing = [{"beneficiary": "poor"}]
    assert "hộ nghèo" in invalid(sent(lines=nothing), "lines.0")["detail"]
    twice = [TET_2021["lines"][0], TET_2021["lines"][0]]
    invalid(sent(lines=twice), "lines")
    invalid(sent(lines=[{"beneficiary": "martians", "packages": 1}]), "lines.0.beneficiary")
    invalid(sent(on="2099-01-01"), "on")
    problem(post(client, path, make_token("viewer", ward), TET_2021), 403)
    problem(post(client, f"/units/{district}/distributions", treasurer, TET_2021), 403)
    # A closed period keeps its counts.
    fund = open_fund(client, treasurer, ward)["id"]
    closed = post(client, f"/funds/{fund}/period-closes", treasurer, {"through": "2021-12-31"})
    assert closed.status_code == 201, closed.get_data(as_text=True)
    problem(sent(), 409, "period-closed")


def test_coverage_of_the_registry_counts_the_households_reached(
    client: FlaskClient, make_token: MakeToken
) -> None:
    admin, district, ward, village, treasurer = _district(client, make_token)
    fund = open_fund(client, treasurer, ward)["id"]
    receive(client, treasurer, fund, 10_000_000, occurred_on="2025-01-05")
    near_poor = [
        register_household(client, treasurer, ward, "Lê Thị Hoa", "Tổ 1"),
        register_household(client, treasurer, village, "Phạm Văn Nam", "Tổ dân phố số 5"),
    ]
    register_household(
        client,
        treasurer,
        ward,
        "Đỗ Văn Tư",
        "Tổ 3",
        categories=[{"category": "poor", "since": "2024-01-01"}],
    )
    paid = [
        disburse(
            client,
            treasurer,
            fund,
            500_000,
            occurred_on="2025-01-20",
            category="tet_gift",
            household_id=household,
        )
        for household in near_poor
    ]
    query = {"from_": "2025-01-01", "to": "2025-02-28", "category": "tet_gift"}

    full = ok(
        get(
            client, f"/units/{district}/coverage", admin, min_position=paid[-1]["position"], **query
        )
    )
    assert full["by_beneficiary"]["near_poor"] == {
        "registered": 2,
        "reached": 2,
        "coverage_pct": 100.0,
    }
    assert full["by_beneficiary"]["poor"] == {"registered": 1, "reached": 0, "coverage_pct": 0.0}
    assert full["by_beneficiary"]["hardship"]["coverage_pct"] is None
    # A payment reversed no longer reaches its household.
    position = reverse(client, treasurer, fund, paid[1]["entry_id"])["position"]
    half = ok(get(client, f"/units/{district}/coverage", admin, min_position=position, **query))
    assert half["by_beneficiary"]["near_poor"]["coverage_pct"] == 50.0
    # Another kind of support reached nobody.
    other = ok(get(client, f"/units/{ward}/coverage", admin, **{**query, "category": "medical"}))
    assert other["by_beneficiary"]["near_poor"]["reached"] == 0


def test_a_campaign_counts_the_distributions_given_in_it(
    client: FlaskClient, make_token: MakeToken
) -> None:
    admin, district, ward, _village, treasurer = _district(client, make_token)
    campaign = created(
        post(
            client,
            "/campaigns",
            admin,
            {
                "unit_id": district,
                "name": "Tết vì người nghèo 2021",
                "code": "TET2021",
                "starts_on": "2020-12-15",
                "ends_on": "2021-02-10",
            },
        )
    )["id"]
    given = created(
        post(
            client, f"/units/{ward}/distributions", treasurer, {**TET_2021, "campaign_id": campaign}
        )
    )
    shown = ok(get(client, f"/campaigns/{campaign}", admin, min_position=given["position"]))
    assert shown["figures"]["counted"]["totals"]["household_times"] == 902
    early = post(
        client,
        f"/units/{ward}/distributions",
        treasurer,
        {**TET_2021, "on": "2020-12-01", "campaign_id": campaign},
    )
    invalid(early, "campaign_id")
