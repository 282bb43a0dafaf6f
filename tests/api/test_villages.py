"""Villages (thôn, tổ dân phố) below the commune: in a province with districts and in one
without (the shape after the 2025 reorganisation), with their money and households
counted up the tree, and their history kept when their commune is merged."""

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
    receive,
    register_household,
    register_unit,
    report,
)

YEAR = ("2025-01-01", "2025-12-31")
FIRST_HALF = ("2025-01-01", "2025-06-30")


def test_a_village_sits_below_a_commune_with_or_without_a_district(
    client: FlaskClient, make_token: MakeToken
) -> None:
    admin = make_token("admin", name="Quản trị viên")
    central = register_unit(client, admin, "Ủy ban Trung ương MTTQ Việt Nam", "central")["id"]
    # A province that kept its districts, and one that has none since 2025.
    old_shape = register_unit(client, admin, "Thành phố Hà Nội", "province", central)["id"]
    district = register_unit(client, admin, "Quận Bắc Từ Liêm", "district", old_shape)["id"]
    ward = register_unit(client, admin, "Phường Cổ Nhuế 1", "commune", district)["id"]
    new_shape = register_unit(client, admin, "Tỉnh Hà Tĩnh", "province", central)["id"]
    commune = register_unit(client, admin, "Xã Thạch Lạc", "commune", new_shape)["id"]

    group = register_unit(client, admin, "Tổ dân phố số 5", "village", ward)
    village = register_unit(client, admin, "Thôn Tân Lập", "village", commune, code="TL")
    assert (group["level"], group["parent_id"]) == ("village", ward)
    assert (village["level"], village["parent_id"], village["code"]) == (
        "village",
        commune,
        "TL",
    )

    listed = ok(get(client, "/units", admin, parent_id=commune, min_position=village["position"]))
    assert [(u["name"], u["level"]) for u in listed["items"]] == [("Thôn Tân Lập", "village")]

    # Nothing goes below a village, and a commune cannot sit below one.
    below = post(
        client, "/units", admin, {"name": "Xóm 1", "level": "village", "parent_id": village["id"]}
    )
    assert "thôn, tổ dân phố" in invalid(below, "level")["errors"]["level"][0]
    commune_below = post(
        client, "/units", admin, {"name": "Xã X", "level": "commune", "parent_id": village["id"]}
    )
    invalid(commune_below, "level")


@dataclass(frozen=True)
class Village:
    """A village with its fund, which received 3.000.000 đ in March 2025, and a
    household; ``parent`` is its commune, ``top`` the province (with a district between
    them when ``district``)."""

    admin: str
    top: str
    parent: str
    village: str
    treasurer: str
    fund: str
    household: str


def _village(client: FlaskClient, make_token: MakeToken, *, district: bool) -> Village:
    admin = make_token("admin", name="Quản trị viên")
    province = register_unit(client, admin, "Tỉnh Hà Tĩnh", "province")["id"]
    above = province
    if district:
        above = register_unit(client, admin, "Huyện Thạch Hà", "district", province)["id"]
    commune = register_unit(client, admin, "Xã Thạch Lạc", "commune", above)["id"]
    village = register_unit(client, admin, "Thôn Tân Lập", "village", commune)["id"]
    # The village's Ban công tác Mặt trận keeps its own fund.
    treasurer = make_token("treasurer", village, name="Trưởng ban công tác thôn")
    fund_id = open_fund(client, treasurer, village)["id"]
    receive(client, treasurer, fund_id, 3_000_000, occurred_on="2025-03-01")
    household = register_household(client, treasurer, village, "Lê Thị Hoa", "Thôn Tân Lập")
    return Village(admin, province, commune, village, treasurer, fund_id, household)


def test_a_villages_drive_and_support_count_in_its_commune_and_province(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = _village(client, make_token, district=False)
    admin, commune, province, village = world.admin, world.parent, world.top, world.village
    village_treasurer, fund_id, household = world.treasurer, world.fund, world.household
    paid = disburse(
        client,
        village_treasurer,
        fund_id,
        500_000,
        occurred_on="2025-01-20",
        category="tet_gift",
        household_id=household,
    )
    position = paid["position"]

    own = report(client, admin, village, position, *YEAR)
    assert (own["receipts"]["total"], own["disbursements"]["total"]) == (3_000_000, 500_000)
    assert own["counts"]["households_supported"] == 1
    for unit in (commune, province):
        rolled = report(client, admin, unit, position, *YEAR, include_children="true")
        assert rolled["receipts"]["total"] == 3_000_000
        assert rolled["closing_balance"] == 2_500_000
        assert rolled["counts"]["households_supported"] == 1
        assert report(client, admin, unit, position, *YEAR)["receipts"]["total"] == 0

    # The commune's treasurer reaches the village's household; a village's token does
    # not reach its commune.
    commune_treasurer = make_token("treasurer", commune, name="Thủ quỹ xã")
    seen = ok(get(client, f"/households/{household}", commune_treasurer, min_position=position))
    assert seen["unit_id"] == village
    refused = get(client, f"/units/{commune}/report", village_treasurer, from_=YEAR[0], to=YEAR[1])
    assert refused.status_code == 403


def test_villages_keep_their_history_when_communes_merge(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = _village(client, make_token, district=True)
    admin, province, old_village, old_fund = world.admin, world.top, world.village, world.fund
    old_commune, household = world.parent, world.household
    district = ok(get(client, f"/units/{old_commune}", admin))["parent_id"]

    # From 1 July 2025 the district is gone: a new commune directly under the province,
    # and the village goes on under it.
    new_commune = register_unit(client, admin, "Xã Đông Kinh", "commune", province)["id"]
    new_village = register_unit(client, admin, "Thôn Tân Lập", "village", new_commune)["id"]
    merges = ((old_village, new_village), (old_commune, new_commune), (district, province))
    answers = [
        created(
            post(
                client,
                f"/units/{unit}/merge",
                admin,
                {"successor_id": successor, "merged_on": "2025-07-01"},
            )
        )
        for unit, successor in merges
    ]
    new_fund = answers[0]["funds"][old_fund]
    new_treasurer = make_token("treasurer", new_village, name="Trưởng ban công tác thôn")
    after = receive(client, new_treasurer, new_fund, 1_000_000, occurred_on="2025-08-01")
    position = after["position"]

    # The first half stays the old village's; the year under the new tree holds both.
    assert (
        report(client, admin, old_village, position, *FIRST_HALF)["receipts"]["total"] == 3_000_000
    )
    whole = report(client, admin, new_commune, position, *YEAR, include_children="true")
    assert whole["receipts"]["total"] == 4_000_000
    province_year = report(client, admin, province, position, *YEAR, include_children="true")
    assert province_year["receipts"]["total"] == 4_000_000
    moved = ok(get(client, f"/households/{household}", admin, min_position=position))
    assert moved["unit_id"] == new_village
    assert ok(get(client, f"/funds/{new_fund}", admin, min_position=position))["balance"] == (
        4_000_000
    )


def test_each_member_of_the_self_governing_group_looks_after_its_households(
    client: FlaskClient, make_token: MakeToken
) -> None:
    admin = make_token("admin", name="Quản trị viên")
    province = register_unit(client, admin, "Tỉnh Hà Tĩnh", "province")["id"]
    commune = register_unit(client, admin, "Xã Thạch Lạc", "commune", province)["id"]
    village = register_unit(client, admin, "Thôn Tân Lập", "village", commune)["id"]
    beside = register_unit(client, admin, "Thôn Đông", "village", commune)["id"]
    treasurer = make_token("treasurer", commune, name="Thủ quỹ xã")
    homes = [
        register_household(client, treasurer, village, f"Hộ {n}", f"Xóm {n}, thôn Tân Lập")
        for n in range(12)
    ]
    elsewhere = register_household(client, treasurer, beside, "Hộ thôn Đông", "Thôn Đông")
    path = f"/units/{village}/caretakers"

    def assign(member: str, households: list[str], token: str = treasurer) -> Any:
        return post(client, path, token, {"member": member, "household_ids": households})

    created(assign("Nguyễn Văn Tâm", homes[:6]))
    last = created(assign("Trần Thị Hạnh", homes[5:10]))
    assert (last["member"], last["household_ids"]) == ("Trần Thị Hạnh", homes[5:10])
    shown = ok(get(client, path, admin, min_position=last["position"]))["items"]
    # The household given to Hạnh left Tâm.
    assert [(m["member"], m["households"]) for m in shown] == [
        ("Nguyễn Văn Tâm", 5),
        ("Trần Thị Hạnh", 5),
    ]
    assert sorted(shown[0]["household_ids"]) == sorted(homes[:5])

    invalid(assign("Lê Văn Nhiều", homes[:11]), "household_ids")
    invalid(assign("Lê Văn Trùng", [homes[0], homes[0]]), "household_ids")
    assert "Thôn Tân Lập" in invalid(assign("Lê Văn Xa", [elsewhere]), "household_ids.0")["detail"]
    invalid(
        post(
            client,
            f"/units/{commune}/caretakers",
            treasurer,
            {"member": "Tổ viên", "household_ids": [homes[0]]},
        ),
        "unit_id",
    )
    problem(assign("Lê Văn Xem", homes[:1], make_token("viewer", village)), 403)
    ended = created(assign("Nguyễn Văn Tâm", []))
    shown = ok(get(client, path, admin, min_position=ended["position"]))["items"]
    assert [m["member"] for m in shown] == ["Trần Thị Hạnh"]
