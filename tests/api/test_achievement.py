"""Achievement against target compares like with like: a target is measured against the
money of the unit it was assigned to and of the units below it, never against money of a
unit above that holds no target of its own."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from tests.api.helpers import (
    MakeToken,
    created,
    open_fund,
    post,
    receive,
    register_unit,
    report,
)

YEAR = {"from_": "2020-01-01", "to": "2020-12-31"}
TY = 1_000_000_000


def _target(client: FlaskClient, token: str, unit_id: str, amount: int) -> dict[str, Any]:
    body = {"year": 2020, "fund_kind": "for_the_poor", "amount": amount}
    return created(post(client, f"/units/{unit_id}/targets", token, body))


def test_the_news_reports_157_percent_for_a_district_with_its_wards_and_a_city_above(
    client: FlaskClient, make_token: MakeToken
) -> None:
    """ "ủng hộ đạt trên 2,3 tỷ đồng (đạt 157% chỉ tiêu Thành phố giao)": the city assigns
    the district 1,5 tỷ; the district and its wards raise 2.355.000.000 đ. The city holds
    no target of its own, so its own fund's money counts in no achievement."""
    admin = make_token("admin", name="Quản trị viên")
    city = register_unit(client, admin, "Thành phố Hà Nội", "province")["id"]
    district = register_unit(client, admin, "Quận Long Biên", "district", city)["id"]
    wards = [
        register_unit(client, admin, name, "commune", district)["id"]
        for name in ("Phường Gia Thụy", "Phường Ngọc Lâm")
    ]
    treasurer = make_token("treasurer", city, name="Kế toán")
    own = open_fund(client, treasurer, city)["id"]
    district_fund = open_fund(client, treasurer, district)["id"]
    ward_funds = [open_fund(client, treasurer, ward)["id"] for ward in wards]
    _target(client, admin, district, 1_500_000_000)
    receive(client, treasurer, ward_funds[0], 1_200_000_000, occurred_on="2020-11-20")
    receive(client, treasurer, ward_funds[1], 1_000_000_000, occurred_on="2020-11-21")
    receive(client, treasurer, district_fund, 155_000_000, occurred_on="2020-11-22")
    receive(client, treasurer, own, 9 * TY, occurred_on="2020-11-23")
    last = receive(client, treasurer, district_fund, 90_000_000, occurred_on="2021-01-05")

    of_district = report(client, admin, district, last["position"], include_children="true", **YEAR)
    of_city = report(client, admin, city, last["position"], include_children="true", **YEAR)

    expected = {"amount": 1_500_000_000, "raised": 2_355_000_000, "achievement_pct": 157.0}
    assert {key: of_district["target"][key] for key in expected} == expected
    assert {key: of_city["target"][key] for key in expected} == expected
    assert of_city["receipts"]["total"] == 2_355_000_000 + 9 * TY, "the money itself counts"


def test_a_parent_without_a_target_measures_its_communes_against_their_own_targets(
    client: FlaskClient, make_token: MakeToken
) -> None:
    """A province without a target showed 953,1% by counting its own fund's money against
    its communes' targets; the communes' own figures give the achievement."""
    admin = make_token("admin", name="Quản trị viên")
    province = register_unit(client, admin, "Tỉnh Mẫu", "province")["id"]
    communes = [
        register_unit(client, admin, name, "commune", province)["id"]
        for name in ("Xã Một", "Xã Hai", "Xã Ba")
    ]
    treasurer = make_token("treasurer", province, name="Kế toán tỉnh")
    own = open_fund(client, treasurer, province)["id"]
    funds = [open_fund(client, treasurer, commune)["id"] for commune in communes]
    relief = open_fund(client, treasurer, communes[0], "Quỹ cứu trợ", "relief")["id"]
    _target(client, admin, communes[0], 100_000_000)
    _target(client, admin, communes[1], 300_000_000)
    receive(client, treasurer, funds[0], 150_000_000, occurred_on="2020-03-01")
    receive(client, treasurer, funds[1], 150_000_000, occurred_on="2020-03-01")
    receive(client, treasurer, funds[2], 400_000_000, occurred_on="2020-03-01")  # no target
    receive(client, treasurer, relief, 70_000_000, occurred_on="2020-03-01")  # another kind
    last = receive(client, treasurer, own, 3 * TY, occurred_on="2020-03-01")

    rolled = report(client, admin, province, last["position"], include_children="true", **YEAR)
    alone = report(client, admin, province, last["position"], **YEAR)
    first = report(client, admin, communes[0], last["position"], **YEAR)

    assert rolled["target"] == {
        "amount": 400_000_000,
        "raised": 300_000_000,
        "achievement_pct": 75.0,
        "by_fund_kind": {
            "for_the_poor": {
                "amount": 400_000_000,
                "raised": 300_000_000,
                "achievement_pct": 75.0,
            }
        },
    }
    assert (alone["target"]["amount"], alone["target"]["achievement_pct"]) == (0, 0.0)
    assert (first["target"]["raised"], first["target"]["achievement_pct"]) == (
        150_000_000,
        150.0,
    )
