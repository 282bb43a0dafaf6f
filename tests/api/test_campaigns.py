"""Campaigns (cuộc vận động): a district's Tết drive in which its own fund, a ward and a
village below the ward take part; receipts and payments name it, and its figures roll up
over every unit that took part, on its API route and its public page."""

from __future__ import annotations

from dataclasses import dataclass
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
    receipt,
    register_household,
    register_unit,
    reverse,
)

DRIVE = {
    "name": "Tết vì người nghèo 2025",
    "code": "tet2025",
    "starts_on": "2024-12-15",
    "ends_on": "2025-01-25",
    "target": 20_000_000,
}


@dataclass(frozen=True)
class Drive:
    admin: str
    district: str
    ward: str
    village: str
    other: str
    funds: dict[str, str]
    treasurers: dict[str, str]
    campaign: dict[str, Any]


def _drive(client: FlaskClient, make_token: MakeToken) -> Drive:
    admin = make_token("admin", name="Quản trị viên")
    city = register_unit(client, admin, "Thành phố Hà Nội", "province")["id"]
    district = register_unit(client, admin, "Quận Bắc Từ Liêm", "district", city)["id"]
    ward = register_unit(client, admin, "Phường Cổ Nhuế 1", "commune", district)["id"]
    village = register_unit(client, admin, "Tổ dân phố số 5", "village", ward)["id"]
    other = register_unit(client, admin, "Quận Cầu Giấy", "district", city)["id"]
    treasurers, funds = {}, {}
    for key, unit in (("district", district), ("ward", ward), ("village", village)):
        treasurers[key] = make_token("treasurer", unit, name=f"Thủ quỹ {key}")
        funds[key] = open_fund(client, treasurers[key], unit)["id"]
    treasurers["other"] = make_token("treasurer", other, name="Thủ quỹ Cầu Giấy")
    funds["other"] = open_fund(client, treasurers["other"], other)["id"]
    campaign = created(
        post(client, "/campaigns", treasurers["district"], {**DRIVE, "unit_id": district})
    )
    return Drive(admin, district, ward, village, other, funds, treasurers, campaign)


def _give(client: FlaskClient, world: Drive, key: str, amount: int, **extra: Any) -> dict[str, Any]:
    body = receipt(amount, occurred_on=extra.pop("occurred_on", "2025-01-10"), **extra)
    return post(client, f"/funds/{world.funds[key]}/receipts", world.treasurers[key], body)


def test_a_campaign_rolls_up_over_every_unit_that_took_part(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = _drive(client, make_token)
    campaign_id = world.campaign["id"]
    assert (world.campaign["code"], world.campaign["target"]) == ("TET2025", 20_000_000)
    tagged = {"campaign_id": campaign_id}

    created(_give(client, world, "district", 10_000_000, **tagged))
    ward_gift = created(_give(client, world, "ward", 8_000_000, channel="bank", **tagged))
    created(_give(client, world, "ward", 1_000_000, **tagged))
    created(_give(client, world, "village", 2_000_000, **tagged))
    goods = {"description": "Gạo", "quantity": 20, "unit": "bao"}
    created(_give(client, world, "village", 1_500_000, channel="in_kind", in_kind=goods, **tagged))
    # A gift to the ward that names no campaign stays out of it.
    created(_give(client, world, "ward", 5_000_000))
    household = register_household(client, world.treasurers["ward"], world.ward)
    disburse(
        client,
        world.treasurers["ward"],
        world.funds["ward"],
        3_000_000,
        occurred_on="2025-01-20",
        category="tet_gift",
        household_id=household,
        **tagged,
    )
    # A reversed gift takes itself back out of the campaign.
    position = reverse(
        client, world.treasurers["ward"], world.funds["ward"], ward_gift["entry_id"]
    )["position"]

    shown = ok(get(client, f"/campaigns/{campaign_id}", world.admin, min_position=position))
    assert (shown["name"], shown["unit_id"], shown["unit_name"]) == (
        "Tết vì người nghèo 2025",
        world.district,
        "Quận Bắc Từ Liêm",
    )
    figures = shown["figures"]
    assert figures["raised"] == 10_000_000 + 1_000_000 + 2_000_000
    assert (figures["in_kind_value"], figures["paid"]) == (1_500_000, 3_000_000)
    assert (figures["target"], figures["achievement_pct"]) == (20_000_000, 65.0)
    assert figures["households_supported"] == 1
    assert [(u["unit_name"], u["level"], u["raised"], u["paid"]) for u in figures["units"]] == [
        ("Quận Bắc Từ Liêm", "district", 10_000_000, 0),
        ("Tổ dân phố số 5", "village", 2_000_000, 0),
        ("Phường Cổ Nhuế 1", "commune", 1_000_000, 3_000_000),
    ]
    entries = ok(
        get(client, f"/funds/{world.funds['ward']}/entries", world.admin, min_position=position)
    )
    assert [e["campaign_id"] for e in entries["items"]] == [
        campaign_id,
        campaign_id,
        None,
        campaign_id,
        campaign_id,
    ]

    # Every unit of the drive lists it; a district beside it does not.
    for unit in (world.district, world.ward, world.village):
        listed = ok(get(client, f"/units/{unit}/campaigns", world.admin))
        assert [c["code"] for c in listed["items"]] == ["TET2025"]
    assert ok(get(client, f"/units/{world.other}/campaigns", world.admin))["items"] == []

    # Its public page shows the same figures, and the district's page links to it.
    page = client.get(f"/cong-khai/cuoc-van-dong/{campaign_id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<strong data-figure="raised">13.000.000 đ</strong>' in html
    assert '<strong data-figure="achievement">65,0%</strong>' in html
    assert "Tổ dân phố số 5" in html
    assert "Thôn, tổ dân phố" in html
    district_page = client.get(f"/cong-khai/don-vi/{world.district}").get_data(as_text=True)
    assert f"/cong-khai/cuoc-van-dong/{campaign_id}" in district_page
    assert client.get(f"/cong-khai/cuoc-van-dong/{world.district}").status_code == 404


def test_a_campaign_refuses_what_does_not_belong_to_it(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = _drive(client, make_token)
    campaign_id = world.campaign["id"]
    tagged = {"campaign_id": campaign_id}

    # Its code is unique, one word, and launching needs a role over the unit.
    again = post(client, "/campaigns", world.admin, {**DRIVE, "unit_id": world.ward})
    assert "TET2025" in problem(again, 409, "already-registered")["detail"]
    spaced = post(
        client, "/campaigns", world.admin, {**DRIVE, "code": "tết 2025", "unit_id": world.ward}
    )
    assert "viết liền" in invalid(spaced, "code")["detail"]
    backwards = {**DRIVE, "code": "XUAN", "unit_id": world.ward, "ends_on": "2024-12-01"}
    invalid(post(client, "/campaigns", world.admin, backwards), "ends_on")
    ward_launch = {**DRIVE, "code": "XUAN", "unit_id": world.district}
    problem(post(client, "/campaigns", world.treasurers["ward"], ward_launch), 403)
    problem(post(client, "/campaigns", make_token("viewer", world.district), ward_launch), 403)

    # A fund outside the district, a gift after its end or before its start, an unknown id.
    outside = _give(client, world, "other", 1_000_000, **tagged)
    assert "Quận Bắc Từ Liêm" in invalid(outside, "campaign_id")["detail"]
    invalid(
        _give(client, world, "ward", 1_000_000, occurred_on="2025-02-01", **tagged), "campaign_id"
    )
    invalid(
        _give(client, world, "ward", 1_000_000, occurred_on="2024-12-01", **tagged), "campaign_id"
    )
    invalid(_give(client, world, "ward", 1_000_000, campaign_id=world.ward), "campaign_id")
    problem(get(client, f"/campaigns/{world.ward}", world.admin), 404, "campaign-not-found")


def test_a_payment_held_for_approval_keeps_its_campaign(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = _drive(client, make_token)
    campaign_id = world.campaign["id"]
    created(_give(client, world, "ward", 9_000_000, campaign_id=campaign_id))
    approver = make_token("approver", world.ward, name="Chủ tịch phường")
    threshold = client.put(
        f"/api/v1/units/{world.ward}/approval-threshold",
        json={"amount": 1_000_000},
        headers={"Authorization": f"Bearer {approver}"},
    )
    assert threshold.status_code == 200, threshold.get_data(as_text=True)
    body = {
        "amount": 4_000_000,
        "occurred_on": "2025-02-10",
        "category": "tet_gift",
        "campaign_id": campaign_id,
    }
    held = post(
        client, f"/funds/{world.funds['ward']}/disbursements", world.treasurers["ward"], body
    )
    assert held.status_code == 202, held.get_data(as_text=True)
    pending = held.get_json()["pending_id"]
    approved = created(
        post(
            client,
            f"/funds/{world.funds['ward']}/pending/{pending}/approval",
            approver,
            {"note": "Đủ hồ sơ"},
        )
    )
    shown = ok(
        get(client, f"/campaigns/{campaign_id}", world.admin, min_position=approved["position"])
    )
    assert (shown["figures"]["raised"], shown["figures"]["paid"]) == (9_000_000, 4_000_000)
