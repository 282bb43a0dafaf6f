"""POST /units/{id}/merge: the 2025 reorganisation. A province merges three of its
communes into a new one on 1 July 2025; the figures before and after must hold, and an
open pledge is fulfilled on the successor's fund."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask.testing import FlaskClient

from tests.api.helpers import (
    MakeToken,
    created,
    disburse,
    fund,
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
    with_meeting,
)

MERGED_ON = "2025-07-01"
YEAR = ("2025-01-01", "2025-12-31")
FIRST_HALF = ("2025-01-01", "2025-06-30")


@dataclass(frozen=True)
class Province:
    admin: str
    approver: str
    province_id: str
    communes: list[str]
    treasurers: list[str]
    funds: list[str]
    relief_fund: str
    household: str
    house: str
    successor_id: str
    successor_treasurer: str
    position: int


def _province(client: FlaskClient, make_token: MakeToken) -> Province:
    """A province and three communes with money, a household and a house, and a new
    commune registered to succeed them."""
    admin = make_token("admin", name="Quản trị viên")
    province = register_unit(client, admin, "Tỉnh Quảng Trị", "province", code="QT")["id"]
    communes, treasurers, funds = [], [], []
    for name, raised, on in (
        ("Xã Vĩnh Tú", 5_000_000, "2025-02-10"),
        ("Xã Vĩnh Chấp", 3_000_000, "2025-03-01"),
        ("Xã Vĩnh Trung", 2_000_000, "2025-04-01"),
    ):
        commune = register_unit(client, admin, name, "commune", province)["id"]
        treasurer = make_token("treasurer", commune, name=f"Thủ quỹ {name}")
        fund_id = open_fund(client, treasurer, commune)["id"]
        receive(client, treasurer, fund_id, raised, occurred_on=on)
        communes.append(commune)
        treasurers.append(treasurer)
        funds.append(fund_id)
    first = communes[0]
    relief = open_fund(client, treasurers[0], first, "Quỹ cứu trợ", "relief")["id"]
    receive(client, treasurers[0], relief, 500_000, occurred_on="2025-05-02")
    household = register_household(client, treasurers[0], first, "Lê Văn Một", "Thôn 1")
    disburse(
        client,
        treasurers[0],
        funds[0],
        1_000_000,
        occurred_on="2025-05-01",
        category="tet_gift",
        household_id=household,
    )
    body = {
        "household_id": household,
        "kind": "repair",
        "budget": {"fund": 2_000_000},
        "approved_on": "2025-06-01",
    }
    house = created(
        post(client, "/houses", treasurers[0], with_meeting(client, treasurers[0], body))
    )
    successor = register_unit(client, admin, "Xã Vĩnh Linh", "commune", province)["id"]
    return Province(
        admin,
        make_token("approver", province, name="Chủ tịch tỉnh"),
        province,
        communes,
        treasurers,
        funds,
        relief,
        household,
        house["id"],
        successor,
        make_token("treasurer", successor, name="Thủ quỹ xã Vĩnh Linh"),
        house["position"],
    )


def _merge(client: FlaskClient, token: str, unit_id: str, successor_id: str) -> dict[str, Any]:
    body = {"successor_id": successor_id, "merged_on": MERGED_ON}
    return created(post(client, f"/units/{unit_id}/merge", token, body))


def _figures(answer: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in answer.items() if key != "position"}


def test_three_communes_merge_and_the_year_rolls_up_under_the_new_tree(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = _province(client, make_token)
    province_before = report(
        client, world.admin, world.province_id, world.position, *YEAR, include_children="true"
    )

    merged = [_merge(client, world.approver, unit, world.successor_id) for unit in world.communes]

    assert merged[0]["merged_on"] == MERGED_ON
    assert merged[0]["moved"] == {
        "households": 1,
        "house_projects": 1,
        "grants": 0,
        "pledges": 0,
    }
    successor_fund = merged[0]["funds"][world.funds[0]]
    assert {answer["funds"][f] for answer, f in zip(merged, world.funds, strict=True)} == {
        successor_fund
    }
    after = receive(
        client, world.successor_treasurer, successor_fund, 4_000_000, occurred_on="2025-08-01"
    )
    position = after["position"]
    # The old funds are empty and closed through the merger's date.
    for fund_id in [*world.funds, world.relief_fund]:
        closed = fund(client, world.admin, fund_id, position)
        assert (closed["balance"], closed["closed_through"]) == (0, MERGED_ON)
    assert fund(client, world.admin, successor_fund, position)["balance"] == 13_000_000

    # The successor's year with the units below it: the old communes' receipts before
    # the date, its own after; the moves between them cancel out.
    whole = report(
        client, world.admin, world.successor_id, position, *YEAR, include_children="true"
    )
    assert whole["receipts"]["total"] == 5_000_000 + 3_000_000 + 2_000_000 + 500_000 + 4_000_000
    assert whole["disbursements"]["total"] == 1_000_000
    assert whole["transfers"] == {"in": 0, "out": 0}
    assert whole["closing_balance"] == 13_500_000
    # Its own books: nothing before the date, the balances transferred in on it.
    own = report(client, world.admin, world.successor_id, position, *YEAR)
    assert own["receipts"]["total"] == 4_000_000
    assert own["transfers"] == {"in": 9_500_000, "out": 0}
    assert own["closing_balance"] == 13_500_000
    assert (
        report(client, world.admin, world.successor_id, position, *FIRST_HALF)["closing_balance"]
        == 0
    )
    # History before the date stays under the old commune.
    old = report(client, world.admin, world.communes[0], position, *FIRST_HALF)
    assert old["receipts"]["total"] == 5_500_000
    assert old["closing_balance"] == 4_500_000
    old_year = report(client, world.admin, world.communes[0], position, *YEAR)
    assert (old_year["transfers"]["out"], old_year["closing_balance"]) == (4_500_000, 0)
    # The province's roll-up is the same, but for the receipt after the merger.
    province_after = report(
        client, world.admin, world.province_id, position, *FIRST_HALF, include_children="true"
    )
    province_half = report(
        client,
        world.admin,
        world.province_id,
        world.position,
        *FIRST_HALF,
        include_children="true",
    )
    assert _figures(province_after) == _figures(province_half)
    province_year = report(
        client, world.admin, world.province_id, position, *YEAR, include_children="true"
    )
    assert province_year["receipts"]["total"] == province_before["receipts"]["total"] + 4_000_000
    assert province_year["transfers"] == province_before["transfers"] == {"in": 0, "out": 0}
    assert province_year["closing_balance"] == province_before["closing_balance"] + 4_000_000


def test_an_open_pledge_partly_fulfilled_before_the_merger_is_fulfilled_after_it(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = _province(client, make_token)
    donor = {"name": "Công ty CP Xi măng Sông Lam", "kind": "organisation"}
    made = created(
        post(
            client,
            f"/funds/{world.funds[1]}/pledges",
            world.treasurers[1],
            {"donor": donor, "amount": 8_000_000, "code": "XAY NHA VINH CHAP"},
        )
    )
    pledge_id = made["pledge_id"]
    receive(
        client,
        world.treasurers[1],
        world.funds[1],
        3_000_000,
        occurred_on="2025-04-15",
        channel="bank",
        pledge_id=pledge_id,
    )

    merged = [_merge(client, world.approver, unit, world.successor_id) for unit in world.communes]
    successor_fund = merged[1]["funds"][world.funds[1]]
    after = receive(
        client,
        world.successor_treasurer,
        successor_fund,
        5_000_000,
        occurred_on="2025-09-01",
        channel="bank",
        pledge_id=pledge_id,
    )
    position = after["position"]

    assert [answer["moved"]["pledges"] for answer in merged] == [0, 1, 0]
    assert (after["pledge"]["status"], after["pledge"]["outstanding"]) == ("fulfilled", 0)
    shown = ok(get(client, f"/pledges/{pledge_id}", world.admin, min_position=position))
    assert (shown["fund_id"], shown["unit_id"]) == (successor_fund, world.successor_id)
    assert (shown["moved_from_fund_id"], shown["moved_on"]) == (world.funds[1], MERGED_ON)
    assert (shown["fulfilled"], shown["status"]) == (8_000_000, "fulfilled")
    assert [(f["occurred_on"], f["amount"]) for f in shown["fulfilments"]] == [
        ("2025-04-15", 3_000_000),
        ("2025-09-01", 5_000_000),
    ]
    # The successor lists it now; the old commune no longer does.
    listed = ok(get(client, f"/units/{world.successor_id}/pledges", world.admin))
    assert [p["pledge_id"] for p in listed["items"]] == [pledge_id]
    assert listed["totals"]["fulfilled"] == 8_000_000
    gone = ok(get(client, f"/units/{world.communes[1]}/pledges", world.admin))
    assert (gone["items"], gone["totals"]["count"]) == ([], 0)
    # The receipt before the date stays in the old commune's books, the one after is
    # the successor's, and the year under the new tree holds both once.
    old = report(client, world.admin, world.communes[1], position, *FIRST_HALF)
    assert old["receipts"]["total"] == 3_000_000 + 3_000_000
    own = report(client, world.admin, world.successor_id, position, "2025-07-02", YEAR[1])
    assert own["receipts"]["total"] == 5_000_000
    whole = report(
        client, world.admin, world.successor_id, position, *YEAR, include_children="true"
    )
    assert whole["receipts"]["total"] == 5_000_000 + 3_000_000 + 2_000_000 + 500_000 + 8_000_000


def test_cases_follow_the_successor_and_the_merged_unit_takes_no_new_writes(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = _province(client, make_token)
    position = _merge(client, world.approver, world.communes[0], world.successor_id)["position"]

    household = ok(
        get(client, f"/households/{world.household}", world.admin, min_position=position)
    )
    assert household["unit_id"] == world.successor_id
    house = ok(get(client, f"/houses/{world.house}", world.admin, min_position=position))
    assert house["unit_id"] == world.successor_id
    # Reach follows the new tree: the successor's treasurer writes on the household,
    # the old commune's treasurer no longer does.
    category = {"category": "poor", "since": "2025-07-02"}
    path = f"/households/{world.household}/categories"
    created(post(client, path, world.successor_treasurer, category))
    problem(post(client, path, world.treasurers[0], category), 403)
    # The merged commune and its funds refuse new writes, naming the successor.
    refused = problem(
        post(
            client,
            f"/funds/{world.funds[0]}/receipts",
            world.treasurers[0],
            {
                "amount": 1_000_000,
                "occurred_on": "2025-08-01",
                "donor": {"name": "Nguyễn Văn An", "kind": "individual"},
                "channel": "cash",
            },
        ),
        409,
        "unit-merged",
    )
    assert "Xã Vĩnh Linh" in refused["detail"]
    assert refused["successor_id"] == world.successor_id
    problem(
        post(
            client,
            "/households",
            world.admin,
            {
                "unit_id": world.communes[0],
                "head_name": "Lê Văn Hai",
                "address": "Thôn 2",
                "members_count": 2,
            },
        ),
        409,
        "unit-merged",
    )
    transfer_in = {"to_fund_id": world.funds[0], "amount": 100_000, "occurred_on": "2025-08-02"}
    problem(
        post(client, f"/funds/{world.funds[1]}/transfers", world.treasurers[1], transfer_in),
        409,
        "unit-merged",
    )
    again = {"successor_id": world.successor_id, "merged_on": MERGED_ON}
    problem(
        post(client, f"/units/{world.communes[0]}/merge", world.admin, again), 409, "unit-merged"
    )
    unit = ok(get(client, f"/units/{world.communes[0]}", world.admin, min_position=position))
    assert (unit["merged_into_id"], unit["merged_on"]) == (world.successor_id, MERGED_ON)


def test_who_may_merge_and_into_what(client: FlaskClient, make_token: MakeToken) -> None:
    world = _province(client, make_token)
    body = {"successor_id": world.successor_id, "merged_on": MERGED_ON}
    path = f"/units/{world.communes[0]}/merge"
    # The level above decides: not the commune's own treasurer, nor a treasurer above.
    problem(post(client, path, world.treasurers[0], body), 403)
    problem(post(client, path, make_token("treasurer", world.province_id), body), 403)
    problem(post(client, path, make_token("approver", world.successor_id), body), 403)
    problem(post(client, path, None, body), 401)
    # A commune goes into a commune or is dissolved into its parent; never into itself.
    district = register_unit(client, world.admin, "Huyện Vĩnh Linh", "district", world.province_id)
    problem(
        post(client, path, world.admin, {**body, "successor_id": district["id"]}),
        422,
    )
    problem(post(client, path, world.admin, {**body, "successor_id": world.communes[0]}), 422)
    problem(post(client, path, world.admin, {**body, "merged_on": "2999-01-01"}), 422)
    # Its last entry is dated 2 May: the merger cannot come before it.
    early = invalid(
        post(client, path, world.admin, {**body, "merged_on": "2025-05-01"}), "merged_on"
    )
    assert "02/05/2025" in early["errors"]["merged_on"][0]
    problem(post(client, path, world.admin, {"merged_on": MERGED_ON}), 422)
    # A district is dissolved only once the communes below it are merged.
    below = register_unit(client, world.admin, "Xã Vĩnh Hòa", "commune", district["id"])
    dissolve = {"successor_id": world.province_id, "merged_on": MERGED_ON}
    refused = problem(
        post(client, f"/units/{district['id']}/merge", world.admin, dissolve), 409, "merge-refused"
    )
    assert "Xã Vĩnh Hòa" in refused["detail"]
    _merge(client, world.admin, below["id"], world.successor_id)
    _merge(client, world.admin, district["id"], world.province_id)
