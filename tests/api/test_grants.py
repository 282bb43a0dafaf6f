"""/grants: a livelihood grant approved, delivered by a disbursement naming it (atomically)
or in kind, followed up at 3, 6 and 12 months with the overdue ones listed, and closed;
grant_id on a disbursement checked like household_id and house_project_id."""

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
    grant,
    invalid,
    ledger,
    ok,
    post,
    problem,
    receipt,
    receive,
    register_household,
    register_unit,
    with_meeting,
)

UNKNOWN = "7d1f0a52-3c4e-4b6a-9f0e-2a1b3c4d5e6f"
COW = {"giống": "Bò lai Sind", "tuổi": "18 tháng"}


def approve(
    client: FlaskClient, token: str, household_id: str, value: int = 15_000_000, **extra: Any
) -> dict[str, Any]:
    body = {
        "household_id": household_id,
        "item": "Bò cái sinh sản",
        "attributes": COW,
        "value": value,
        "approved_on": "2025-01-05",
        **extra,
    }
    return created(post(client, "/grants", token, with_meeting(client, token, body, "grant")))


def _deliver(client: FlaskClient, token: str, fund_id: str, grant_id: str, amount: int) -> Any:
    body = disbursement(amount, "2025-01-10", "livelihood", grant_id=grant_id)
    return post(client, f"/funds/{fund_id}/disbursements", token, body)


def _follow(client: FlaskClient, token: str, grant_id: str, months: int, on: str) -> Any:
    body = {"months": months, "on": on, "status": "multiplied", "note": "Bò đã đẻ một bê"}
    return post(client, f"/grants/{grant_id}/follow-ups", token, body)


def test_a_grant_is_delivered_once_by_a_disbursement_followed_up_and_closed(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    t, fund = world.treasurer, world.fund_id
    receive(client, t, fund, 50_000_000)
    household = register_household(client, t, world.commune_id)
    other = register_household(client, t, world.commune_id, "Đỗ Văn Khác", "Thôn Khác")
    grant = approve(client, t, household)
    g = grant["id"]

    problem(_follow(client, t, g, 3, "2025-01-09"), 409, "grant-not-delivered")
    invalid(_deliver(client, t, fund, g, 16_000_000), "amount")
    invalid(_deliver(client, t, fund, UNKNOWN, 1_000), "grant_id")
    wrong = disbursement(1_000, "2025-01-10", "medical", grant_id=g)
    invalid(post(client, f"/funds/{fund}/disbursements", t, wrong), "category")
    theirs = disbursement(1_000, "2025-01-10", "livelihood", grant_id=g, household_id=other)
    invalid(post(client, f"/funds/{fund}/disbursements", t, theirs), "household_id")
    paid = created(_deliver(client, t, fund, g, 14_500_000))
    twice = problem(_deliver(client, t, fund, g, 1_000), 409, "already-delivered")
    in_kind = post(client, f"/grants/{g}/delivery", t, {"on": "2025-01-11"})
    problem(in_kind, 409, "already-delivered")
    invalid(_follow(client, t, g, 4, "2025-04-10"), "months")
    invalid(_follow(client, t, g, 3, "2025-01-09"), "on")
    three = created(_follow(client, t, g, 3, "2025-04-12"))
    problem(_follow(client, t, g, 3, "2025-04-13"), 409, "follow-up-recorded")
    invalid(
        post(client, f"/grants/{g}/closure", t, {"outcome": "cancelled", "on": "2025-05-01"}),
        "outcome",
    )
    closed = created(
        post(
            client,
            f"/grants/{g}/closure",
            t,
            {"outcome": "escaped_poverty", "on": "2025-05-01", "note": "Đàn bò 3 con"},
        )
    )
    problem(_follow(client, t, g, 6, "2025-07-12"), 409, "grant-closed")

    assert (grant["status"], grant["value"], grant["delivered_on"]) == (
        "approved",
        15_000_000,
        None,
    )
    assert twice["entry_id"] == paid["entry_id"]
    assert three["followed_up_months"] == [3]
    assert (closed["status"], closed["outcome"]) == ("closed", "escaped_poverty")
    inspector = make_token("inspector", world.province_id, name="Ban Giám sát tỉnh")
    shown = ok(get(client, f"/grants/{g}", inspector, min_position=closed["position"]))
    assert (shown["status"], shown["delivery"], shown["delivered_on"]) == (
        "closed",
        "disbursement",
        "2025-01-10",
    )
    assert (shown["payment_id"], shown["fund_id"], shown["delivered_value"]) == (
        paid["entry_id"],
        fund,
        14_500_000,
    )
    assert shown["attributes"] == COW
    assert [
        (f["months"], f["due_on"], f["followed_on"], f["status"]) for f in shown["follow_ups"]
    ] == [
        (3, "2025-04-10", "2025-04-12", "multiplied"),
        (6, "2025-07-10", None, None),
        (12, "2026-01-10", None, None),
    ]
    entries = ledger(client, t, fund, closed["position"])
    assert [(e["grant_id"], e["household_id"]) for e in entries if e["kind"] == "disbursement"] == [
        (g, household)
    ]
    assert every_item(client, "/grants", inspector, closed["position"], status="closed") == [
        {**shown, "position": shown["position"]}
    ]


def test_a_grant_delivered_in_kind_moves_no_money_and_overdue_follow_ups_are_listed(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    t = world.treasurer
    receive(client, t, world.fund_id, 1_000_000)
    household = register_household(client, t, world.commune_id)
    late = approve(client, t, household, 8_000_000, item="Máy khâu công nghiệp")["id"]
    never = approve(client, t, household, 2_000_000)["id"]
    invalid(post(client, f"/grants/{late}/delivery", t, {"on": "2025-01-04"}), "on")
    given = created(
        post(
            client,
            f"/grants/{late}/delivery",
            t,
            {
                "on": "2025-01-06",
                "value": 7_500_000,
                "description": "Máy khâu do doanh nghiệp tặng",
            },
        )
    )
    created(_follow(client, t, late, 3, "2025-04-07"))
    cancelled = created(
        post(client, f"/grants/{never}/closure", t, {"outcome": "cancelled", "on": "2025-01-20"})
    )
    viewer = make_token("viewer", world.province_id)
    neighbour = register_unit(client, world.admin, "Xã Gio Linh", "commune", world.province_id)
    outsider = make_token("treasurer", neighbour["id"], name="Thủ quỹ Gio Linh")

    overdue = every_item(client, "/grants/follow-ups/overdue", viewer, cancelled["position"])
    shown = ok(get(client, f"/grants/{late}", viewer, min_position=cancelled["position"]))
    fund_after = ok(get(client, f"/funds/{world.fund_id}", t, min_position=given["position"]))

    assert given["status"] == "delivered"
    assert (shown["delivery"], shown["delivered_value"], shown["fund_id"]) == (
        "in_kind",
        7_500_000,
        None,
    )
    assert fund_after["balance"] == 1_000_000
    # the 3-month visit was made; the 6- and 12-month ones fell due before today
    assert [(o["grant_id"], o["months"], o["due_on"]) for o in overdue] == [
        (late, 6, "2025-07-06"),
        (late, 12, "2026-01-06"),
    ]
    assert every_item(client, "/grants/follow-ups/overdue", outsider, cancelled["position"]) == []
    problem(get(client, f"/grants/{late}", outsider), 403, "forbidden")
    problem(get(client, f"/grants/{UNKNOWN}", viewer), 404, "grant-not-found")
    problem(
        post(
            client,
            "/grants",
            viewer,
            {"household_id": household, "item": "Bò", "value": 1, "approved_on": "2025-01-01"},
        ),
        403,
        "forbidden",
    )
    invalid(
        post(
            client,
            "/grants",
            t,
            {"household_id": UNKNOWN, "item": "Bò", "value": 1, "approved_on": "2025-01-01"},
        ),
        "household_id",
    )
    invalid(
        post(
            client,
            "/grants",
            t,
            {
                "household_id": household,
                "item": "Bò",
                "value": "1.000",
                "approved_on": "2025-01-01",
            },
        ),
        "value",
    )


def test_a_grant_delivered_as_goods_from_the_funds_stock_moves_the_stock_not_the_money(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    t, fund = world.treasurer, world.fund_id
    cow = {"description": "Bò cái sinh sản", "quantity": 1, "unit": "con"}
    receive(client, t, fund, 2_000_000)
    created(
        post(
            client,
            f"/funds/{fund}/receipts",
            t,
            receipt(15_000_000, channel="in_kind", in_kind=cow),
        )
    )
    household = register_household(client, t, world.commune_id)
    approved = grant(client, t, household, 15_000_000)

    given = created(
        post(
            client,
            f"/funds/{fund}/disbursements",
            t,
            disbursement(15_000_000, "2025-02-01", "livelihood", grant_id=approved, in_kind=cow),
        )
    )
    again = post(
        client,
        f"/funds/{fund}/disbursements",
        t,
        disbursement(15_000_000, "2025-02-02", "livelihood", grant_id=approved, in_kind=cow),
    )

    shown = ok(get(client, f"/grants/{approved}", t, min_position=given["position"]))
    stock = ok(get(client, f"/funds/{fund}/stock", t, min_position=given["position"]))
    assert shown["status"] == "delivered"
    assert given["balance"] == 2_000_000  # goods out of stock move no money
    assert stock["items"][0]["quantity_held"] == 0
    assert stock["items"][0]["quantity_out"] == 1
    problem(again, 409)
