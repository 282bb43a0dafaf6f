"""/houses: a house followed from approval to handover with its money, stages in order,
tranches tied to stages and to the fund's share, the maker-checker path, cancellation
and the overdue houses."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from tests.api.helpers import (
    MakeToken,
    commune_with_fund,
    created,
    disbursement,
    every_item,
    get,
    invalid,
    ledger,
    ok,
    post,
    problem,
    receive,
    register_household,
    with_meeting,
)

UNKNOWN = "7d1f0a52-3c4e-4b6a-9f0e-2a1b3c4d5e6f"
BUDGET = {"fund": 40_000_000, "household": 10_000_000, "relatives": 5_000_000, "labour": 3_000_000}
BOARD = ["Nguyễn Văn Trưởng (Trưởng ban)", "Lê Thị Giám (Ban Giám sát đầu tư)"]


def _house(client: FlaskClient, token: str, household_id: str, **extra: Any) -> dict[str, Any]:
    body = {
        "household_id": household_id,
        "kind": "new_build",
        "budget": BUDGET,
        "approved_on": "2025-01-05",
        **extra,
    }
    return created(post(client, "/houses", token, with_meeting(client, token, body)))


def _stage(
    client: FlaskClient, token: str, house_id: str, stage: str, on: str, **extra: Any
) -> Any:
    return post(client, f"/houses/{house_id}/stages", token, {"stage": stage, "on": on, **extra})


def _tranche(
    client: FlaskClient, token: str, fund_id: str, house_id: str, amount: int, **extra: Any
) -> Any:
    body = disbursement(amount, "2025-04-20", "house_new_build", house_project_id=house_id)
    body.update(extra)
    return post(client, f"/funds/{fund_id}/disbursements", token, body)


def test_a_house_is_followed_from_approval_to_handover_with_its_tranches(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    t, fund = world.treasurer, world.fund_id
    receive(client, t, fund, 100_000_000)
    household = register_household(client, t, world.commune_id)
    other = register_household(client, t, world.commune_id, "Đỗ Văn Khác", "Thôn Khác")
    house = _house(client, t, household)
    h = house["id"]

    early = problem(_tranche(client, t, fund, h, 1_000_000), 409, "stage-not-reached")
    created(_stage(client, t, h, "started", "2025-01-10", evidence=["IMG-0001", "QD-12/UBND"]))
    advance = created(_tranche(client, t, fund, h, 12_000_000, voucher_no="PC-101"))
    more = problem(_tranche(client, t, fund, h, 1_000_000), 409, "stage-not-reached")
    created(_stage(client, t, h, "foundation", "2025-02-01"))
    problem(_stage(client, t, h, "started", "2025-02-02"), 409, "stage-out-of-order")
    problem(_stage(client, t, h, "accepted", "2025-02-02", board_members=BOARD), 409)
    invalid(_stage(client, t, h, "walls_and_frame", "2025-01-20"), "on")
    created(_stage(client, t, h, "walls_and_frame", "2025-03-01", evidence=["IMG-0002"]))
    second = created(_tranche(client, t, fund, h, 16_000_000))
    invalid(_tranche(client, t, fund, h, 1_000, category="house_repair"), "category")
    invalid(_tranche(client, t, fund, h, 1_000, household_id=other), "household_id")
    invalid(_tranche(client, t, fund, UNKNOWN, 1_000), "house_project_id")
    created(_stage(client, t, h, "completed", "2025-04-01"))
    invalid(_stage(client, t, h, "accepted", "2025-04-05"), "board_members")
    created(_stage(client, t, h, "accepted", "2025-04-05", board_members=BOARD))
    over = problem(_tranche(client, t, fund, h, 13_000_000), 409, "budget-exceeded")
    last = created(_tranche(client, t, fund, h, 12_000_000))
    handed = created(_stage(client, t, h, "handed_over", "2025-04-10", evidence=["BB-BAN-GIAO"]))
    problem(_tranche(client, t, fund, h, 1), 409, "project-closed")
    problem(_stage(client, t, h, "handed_over", "2025-04-11"), 409)

    assert (house["stage"], house["status"], house["paid"]) == ("approved", "open", 0)
    assert house["budget"] == {**dict.fromkeys(BUDGET, 0), "sponsors": 0, "pagoda": 0, **BUDGET}
    assert (early["needs"], more["needs"]) == ("started", "walls_and_frame")
    assert (over["fund_share"], over["committed"]) == (40_000_000, 28_000_000)
    assert (handed["stage"], handed["status"], handed["paid"]) == (
        "handed_over",
        "handed_over",
        40_000_000,
    )
    inspector = make_token("inspector", world.province_id, name="Ban Giám sát tỉnh")
    shown = ok(get(client, f"/houses/{h}", inspector, min_position=handed["position"]))
    assert (shown["status"], shown["paid"], shown["reserved"]) == ("handed_over", 40_000_000, 0)
    assert (shown["started_on"], shown["completed_on"]) == ("2025-01-10", "2025-04-01")
    assert [s["stage"] for s in shown["stages"]] == [
        "approved",
        "started",
        "foundation",
        "walls_and_frame",
        "completed",
        "accepted",
        "handed_over",
    ]
    assert shown["stages"][1]["evidence"] == ["IMG-0001", "QD-12/UBND"]
    assert shown["stages"][5]["board_members"] == BOARD
    assert [(x["payment_id"], x["amount"], x["status"]) for x in shown["tranches"]] == [
        (advance["entry_id"], 12_000_000, "paid"),
        (second["entry_id"], 16_000_000, "paid"),
        (last["entry_id"], 12_000_000, "paid"),
    ]
    paid = [e for e in ledger(client, t, fund, handed["position"]) if e["house_project_id"] == h]
    assert [e["amount"] for e in paid] == [12_000_000, 16_000_000, 12_000_000]
    assert {e["household_id"] for e in paid} == {household}
    assert {e["repeat_reason"] for e in paid} == {None}
    summary = ok(
        get(
            client,
            "/houses/stages",
            world.admin,
            unit_id=world.province_id,
            min_position=handed["position"],
        )
    )
    assert summary["by_stage"]["handed_over"] == 1
    assert (summary["cancelled"], summary["overdue"]) == (0, 0)


def test_a_tranche_above_the_threshold_is_reserved_on_the_house_until_decided(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    t, fund = world.treasurer, world.fund_id
    approver = make_token("approver", world.commune_id, name="Chủ tịch xã")
    receive(client, t, fund, 100_000_000)
    h = _house(client, t, register_household(client, t, world.commune_id))["id"]
    created(_stage(client, t, h, "started", "2025-01-10"))
    ok(
        client.put(
            f"/api/v1/units/{world.commune_id}/approval-threshold",
            json={"amount": 10_000_000},
            headers={"Authorization": f"Bearer {approver}"},
        )
    )

    asked = post(
        client,
        f"/funds/{fund}/disbursements",
        t,
        disbursement(12_000_000, "2025-04-20", "house_new_build", house_project_id=h),
    )
    assert asked.status_code == 202, asked.get_json()
    pending = asked.get_json()
    problem(_tranche(client, t, fund, h, 1_000), 409, "stage-not-reached")
    rejected = created(
        post(
            client,
            f"/funds/{fund}/pending/{pending['pending_id']}/rejection",
            approver,
            {"reason": "Thiếu biên bản khởi công"},
        )
    )
    after_rejection = ok(get(client, f"/houses/{h}", t, min_position=rejected["position"]))
    again = post(
        client,
        f"/funds/{fund}/disbursements",
        t,
        disbursement(12_000_000, "2025-04-21", "house_new_build", house_project_id=h),
    ).get_json()
    approved = created(
        post(client, f"/funds/{fund}/pending/{again['pending_id']}/approval", approver, {})
    )
    after_approval = ok(get(client, f"/houses/{h}", t, min_position=approved["position"]))
    # Above the threshold, the reversal too waits for the approver.
    asked_reversal = post(
        client,
        f"/funds/{fund}/entries/{approved['entry_id']}/reversal",
        t,
        {"reason": "Chi nhầm đợt"},
    )
    assert asked_reversal.status_code == 202, asked_reversal.get_json()
    pending_reversal = asked_reversal.get_json()["pending_id"]
    reversed_ = created(
        post(client, f"/funds/{fund}/pending/{pending_reversal}/approval", approver, {})
    )
    after_reversal = ok(get(client, f"/houses/{h}", t, min_position=reversed_["position"]))

    assert (after_rejection["paid"], after_rejection["reserved"]) == (0, 0)
    assert (after_approval["paid"], after_approval["reserved"]) == (12_000_000, 0)
    assert [(x["status"], x["entry_id"]) for x in after_approval["tranches"]] == [
        ("released", None),
        ("paid", approved["entry_id"]),
    ]
    assert (after_reversal["paid"], after_reversal["reserved"]) == (0, 0)
    assert after_reversal["tranches"][-1]["status"] == "released"


def test_overdue_houses_are_listed_and_a_cancelled_house_takes_nothing_more(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    t = world.treasurer
    receive(client, t, world.fund_id, 10_000_000)
    family = register_household(client, t, world.commune_id)
    slow = _house(client, t, family)["id"]
    repair = _house(
        client,
        t,
        register_household(client, t, world.commune_id, "Mai Văn Sửa", "Thôn Sửa"),
        kind="repair",
        budget={"fund": 5_000_000},
    )["id"]
    created(_stage(client, t, slow, "started", "2025-01-10"))
    last = created(_stage(client, t, repair, "completed", "2025-02-10"))
    viewer = make_token("viewer", world.commune_id)

    overdue = every_item(client, "/houses", viewer, last["position"], overdue_days=30)
    started = every_item(client, "/houses", viewer, last["position"], stage="started")
    cancelled = created(
        post(client, f"/houses/{slow}/cancellation", t, {"reason": "Hộ chuyển đi nơi khác"})
    )
    problem(
        post(client, f"/houses/{slow}/cancellation", t, {"reason": "again"}), 409, "project-closed"
    )
    problem(_tranche(client, t, world.fund_id, slow, 1_000), 409, "project-closed")
    summary = ok(
        get(
            client,
            "/houses/stages",
            viewer,
            unit_id=world.commune_id,
            overdue_days=30,
            min_position=cancelled["position"],
        )
    )
    problem(
        post(
            client,
            "/houses",
            viewer,
            {
                "household_id": family,
                "kind": "repair",
                "budget": {"fund": 1},
                "approved_on": "2025-01-01",
            },
        ),
        403,
    )
    invalid(
        post(
            client,
            "/houses",
            t,
            {
                "household_id": UNKNOWN,
                "kind": "repair",
                "budget": {"fund": 1},
                "approved_on": "2025-01-01",
            },
        ),
        "household_id",
    )
    invalid(
        post(
            client,
            "/houses",
            t,
            {
                "household_id": UNKNOWN,
                "kind": "repair",
                "budget": {"fund": 0},
                "approved_on": "2025-01-01",
            },
        ),
        "budget.fund",
    )
    problem(get(client, f"/houses/{UNKNOWN}", t), 404, "house-project-not-found")

    assert [h["id"] for h in overdue] == [slow]
    assert [h["id"] for h in started] == [slow]
    assert every_item(client, "/houses", viewer, cancelled["position"], overdue_days=30) == []
    assert (summary["cancelled"], summary["overdue"]) == (1, 0)
    assert summary["by_stage"]["completed"] == 1
