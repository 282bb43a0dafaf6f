"""GET /households/{id}/history: everything a household received, from every fund, its
house and grant with their stages and follow-ups, totals by category and year; masked
per token, and after erasure shown as erased with its money unchanged."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.api.helpers import (
    MakeToken,
    commune_with_fund,
    created,
    disburse,
    disbursement,
    get,
    grant,
    house_under_way,
    ok,
    open_fund,
    post,
    problem,
    receive,
    register_household,
    register_unit,
    reverse,
)

STUDENT = {"name": "Phạm Minh Khôi", "school": "Trường THCS Vĩnh Linh", "school_year": "2024-2025"}


def test_the_history_holds_all_a_household_received_and_survives_its_erasure(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    t, fund = world.treasurer, world.fund_id
    province_treasurer = make_token("treasurer", world.province_id, name="Thủ quỹ tỉnh")
    above = open_fund(client, province_treasurer, world.province_id)["id"]
    receive(client, t, fund, 100_000_000)
    receive(client, province_treasurer, above, 5_000_000)
    household = register_household(client, t, world.commune_id)
    other = register_household(client, t, world.commune_id, "Đỗ Văn Khác", "Thôn Khác")
    house = house_under_way(client, t, household, 20_000_000, kind="repair")
    disburse(
        client,
        t,
        fund,
        20_000_000,
        occurred_on="2025-02-01",
        category="house_repair",
        house_project_id=house,
    )
    cow = grant(client, t, household, 10_000_000)
    disburse(
        client, t, fund, 10_000_000, occurred_on="2025-02-05", category="livelihood", grant_id=cow
    )
    created(
        post(
            client,
            f"/grants/{cow}/follow-ups",
            t,
            {"months": 3, "on": "2025-05-06", "status": "in_use"},
        )
    )
    disburse(
        client,
        t,
        fund,
        1_000_000,
        occurred_on="2025-03-01",
        category="scholarship",
        household_id=household,
        student=STUDENT,
    )
    disburse(
        client, province_treasurer, above, 500_000, occurred_on="2024-01-20", household_id=household
    )
    mistake = disburse(
        client,
        t,
        fund,
        700_000,
        occurred_on="2025-03-02",
        category="medical",
        household_id=household,
    )
    reverse(client, t, fund, mistake["entry_id"])
    disburse(client, t, fund, 300_000, household_id=other)
    escaped = created(
        post(client, f"/households/{household}/escaped-poverty", t, {"on": "2025-06-01"})
    )
    path = f"/households/{household}/history"

    masked = ok(get(client, path, t, min_position=escaped["position"]))
    full = ok(get(client, path, world.admin, min_position=escaped["position"]))

    assert masked["household"]["head_name"] == "Phạm T. L."
    assert full["household"]["head_name"] == "Phạm Thị Lan"
    assert full["household"]["escaped_poverty_on"] == "2025-06-01"
    assert full["household"]["categories"] == [
        {"category": "near_poor", "since": "2024-01-01", "until": "2025-06-01"}
    ]
    support = [
        (d["occurred_on"], d["category"], d["amount"], d["reversed"]) for d in full["disbursements"]
    ]
    assert support == [
        ("2024-01-20", "tet_gift", 500_000, False),
        ("2025-02-01", "house_repair", 20_000_000, False),
        ("2025-02-05", "livelihood", 10_000_000, False),
        ("2025-03-01", "scholarship", 1_000_000, False),
        ("2025-03-02", "medical", 700_000, True),
    ]
    assert full["disbursements"][0]["fund_id"] == above
    assert full["disbursements"][3]["student"] == STUDENT
    assert masked["disbursements"][3]["student"] == {**STUDENT, "name": "Phạm M. K."}
    assert [h["id"] for h in full["houses"]] == [house]
    assert full["houses"][0]["paid"] == 20_000_000
    assert [(g["id"], g["status"]) for g in full["grants"]] == [(cow, "delivered")]
    assert full["grants"][0]["follow_ups"][0]["status"] == "in_use"
    totals = full["totals"]
    assert totals["total"] == 31_500_000
    assert totals["by_category"]["medical"] == 0
    assert totals["by_year"]["2024"]["total"] == 500_000
    assert totals["by_year"]["2025"]["by_category"]["livelihood"] == 10_000_000
    assert masked["totals"] == totals

    approver = make_token("approver", world.commune_id, name="Chủ tịch xã")
    erased = created(
        post(client, f"/households/{household}/erasure", approver, {"reason": "Đơn yêu cầu xoá"})
    )
    after = ok(get(client, path, world.admin, min_position=erased["position"]))

    assert after["household"]["personal_data"] == "erased"
    assert after["household"]["head_name"] == "(đã xoá theo yêu cầu)"
    assert after["disbursements"][3]["student"]["name"] == "(đã xoá theo yêu cầu)"
    assert after["totals"] == totals
    assert [d["entry_id"] for d in after["disbursements"]] == [
        d["entry_id"] for d in full["disbursements"]
    ]
    neighbour = register_unit(client, world.admin, "Xã Gio Linh", "commune", world.province_id)
    outsider = make_token("treasurer", neighbour["id"], name="Thủ quỹ Gio Linh")
    problem(get(client, path, outsider), 403, "forbidden")
    problem(
        get(client, "/households/7d1f0a52-3c4e-4b6a-9f0e-2a1b3c4d5e6f/history", world.admin),
        404,
        "household-not-found",
    )
    problem(
        post(
            client,
            f"/funds/{fund}/disbursements",
            t,
            disbursement(category="medical", student=STUDENT, household_id=other),
        ),
        422,
    )
