"""Controls a treasurer cannot step around, over HTTP on both stores: reversals under
maker-checker, payments split under the threshold held as one, a fund's plausibility
limit, and approver-is-recorder decided by the person behind each token."""

from __future__ import annotations

import re
import subprocess
from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.api.helpers import (
    API,
    Commune,
    MakeToken,
    auth,
    commune_with_fund,
    created,
    disburse,
    disbursement,
    fund,
    get,
    invalid,
    ledger,
    ok,
    open_fund,
    post,
    problem,
    receipt,
    receive,
    register_household,
    register_unit,
    send,
    transfer,
)
from tests.api.test_approvals import THRESHOLD, accepted, approve, pending, reject, set_threshold
from tests.e2e.cli import run, sovang_env

#: The receipt a treasurer alone once reversed.
HUGE = 10_000_000_000_000
COMMUNE_LIMIT = 5_000_000_000


def controlled(client: FlaskClient, make_token: MakeToken) -> tuple[Commune, str, dict[str, Any]]:
    """A commune under a threshold of 5.000.000 đ, its fund holding 20.000.000 đ in two
    receipts (12.000.000 đ and 8.000.000 đ); the head of its board's token beside it."""
    world = commune_with_fund(client, make_token)
    approver = make_token("approver", world.commune_id, name="Chủ tịch xã")
    ok(set_threshold(client, approver, world.commune_id, THRESHOLD))
    gift = receive(client, world.treasurer, world.fund_id, 12_000_000)
    receive(client, world.treasurer, world.fund_id, 8_000_000)
    return world, approver, gift


def ask_reversal(client: FlaskClient, world: Commune, entry_id: str, reason: str) -> TestResponse:
    return post(
        client,
        f"/funds/{world.fund_id}/entries/{entry_id}/reversal",
        world.treasurer,
        {"reason": reason},
    )


def waiting(client: FlaskClient, token: str, world: Commune, position: int) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = pending(client, token, world.fund_id, position, status="pending")[
        "items"
    ]
    return items


# Reversals under maker-checker ---------------------------------------------------------


def test_a_reversal_above_the_threshold_waits_with_its_money_reserved_and_nothing_reversed(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world, approver, gift = controlled(client, make_token)

    asked = accepted(ask_reversal(client, world, gift["entry_id"], "Ghi nhầm quỹ"))

    assert (asked["kind"], asked["held_because"], asked["reversed_entry_id"]) == (
        "reversal",
        "threshold",
        gift["entry_id"],
    )
    assert (asked["balance"], asked["available"]) == (20_000_000, 8_000_000)
    assert [
        e["kind"] for e in ledger(client, world.treasurer, world.fund_id, asked["position"])
    ] == [
        "receipt",
        "receipt",
    ]
    [held] = waiting(client, approver, world, asked["position"])
    assert (held["pending_id"], held["kind"], held["amount"], held["reversed_entry_id"]) == (
        asked["pending_id"],
        "reversal",
        12_000_000,
        gift["entry_id"],
    )
    assert (held["note"], held["held_because"], held["requested_by"]) == (
        "Ghi nhầm quỹ",
        "threshold",
        "Thủ quỹ xã",
    )
    assert fund(client, world.treasurer, world.fund_id, asked["position"])["reserved"] == 12_000_000


def test_the_entry_is_reversed_only_when_another_person_approves(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world, approver, gift = controlled(client, make_token)
    asked = accepted(ask_reversal(client, world, gift["entry_id"], "Ghi nhầm quỹ"))
    own = make_token(
        "approver", world.commune_id, name="Quyền chủ tịch", same_person_as=world.treasurer
    )

    problem(approve(client, own, world.fund_id, asked["pending_id"]), 403, "approver-is-recorder")
    answer = created(approve(client, approver, world.fund_id, asked["pending_id"], note="Đúng"))

    assert (answer["status"], answer["reversed_entry_id"]) == ("approved", gift["entry_id"])
    assert (answer["balance"], answer["available"]) == (8_000_000, 8_000_000)
    entries = ledger(client, world.treasurer, world.fund_id, answer["position"])
    assert [e["kind"] for e in entries] == ["receipt", "receipt", "reversal"]
    assert (entries[-1]["entry_id"], entries[-1]["amount"], entries[-1]["actor"]) == (
        answer["entry_id"],
        12_000_000,
        "Thủ quỹ xã",
    )
    assert waiting(client, approver, world, answer["position"]) == []
    problem(ask_reversal(client, world, gift["entry_id"], "Lần nữa"), 409, "already-reversed")


def test_a_second_reversal_of_an_entry_awaiting_one_is_refused_with_409(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world, approver, gift = controlled(client, make_token)
    asked = accepted(ask_reversal(client, world, gift["entry_id"], "Ghi nhầm quỹ"))

    body = problem(
        ask_reversal(client, world, gift["entry_id"], "Lần hai"), 409, "reversal-pending"
    )

    assert body["pending_id"] == asked["pending_id"]
    assert len(waiting(client, approver, world, asked["position"])) == 1


def test_a_rejected_reversal_reverses_nothing_and_may_be_asked_for_again(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world, approver, gift = controlled(client, make_token)
    asked = accepted(ask_reversal(client, world, gift["entry_id"], "Ghi nhầm quỹ"))

    answer = created(reject(client, approver, world.fund_id, asked["pending_id"], "Không nhầm"))

    assert (answer["balance"], answer["available"]) == (20_000_000, 20_000_000)
    entries = ledger(client, world.treasurer, world.fund_id, answer["position"])
    assert [e["kind"] for e in entries] == ["receipt", "receipt"]
    accepted(ask_reversal(client, world, gift["entry_id"], "Nhầm thật"))


def test_a_reversal_at_or_under_the_threshold_is_recorded_at_once(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world, _, _ = controlled(client, make_token)
    small = receive(client, world.treasurer, world.fund_id, THRESHOLD)

    answer = created(ask_reversal(client, world, small["entry_id"], "Trùng"))

    assert (answer["reversed_entry_id"], answer["balance"]) == (small["entry_id"], 20_000_000)


def test_reversing_a_payment_above_the_threshold_waits_and_reserves_nothing(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world, approver, _ = controlled(client, make_token)
    paid = disburse(client, world.treasurer, world.fund_id, 4_000_000, category="medical")
    household_id = register_household(client, world.treasurer, world.commune_id)
    asked = accepted(
        post(
            client,
            f"/funds/{world.fund_id}/disbursements",
            world.treasurer,
            disbursement(6_000_000, category="house_repair", household_id=household_id),
        )
    )
    big = created(approve(client, approver, world.fund_id, asked["pending_id"]))

    held = accepted(ask_reversal(client, world, big["entry_id"], "Chi nhầm hộ"))
    created(ask_reversal(client, world, paid["entry_id"], "Chi trùng"))

    assert (held["kind"], held["available"]) == ("reversal", 10_000_000)
    answer = created(approve(client, approver, world.fund_id, held["pending_id"]))
    assert answer["balance"] == 20_000_000


def test_reversing_a_transfer_above_the_threshold_reverses_both_sides_once_approved(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world, approver, _ = controlled(client, make_token)
    relief = open_fund(client, world.treasurer, world.commune_id, "Quỹ cứu trợ", "relief")
    moved = send(client, world.treasurer, world.fund_id, relief["id"], 4_000_000)
    ok(set_threshold(client, approver, world.commune_id, 3_000_000))

    asked = accepted(ask_reversal(client, world, moved["entry_id"], "Điều tiết nhầm"))
    before = fund(client, world.treasurer, relief["id"], asked["position"])
    answer = created(approve(client, approver, world.fund_id, asked["pending_id"]))

    assert before["balance"] == 4_000_000
    assert fund(client, world.treasurer, relief["id"], answer["position"])["balance"] == 0
    assert fund(client, world.treasurer, world.fund_id, answer["position"])["balance"] == 20_000_000


# The receipt a treasurer alone once reversed ------------------------------------------------


def test_ten_thousand_billion_dong_is_neither_recorded_nor_reversed_by_a_treasurer_alone(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    approver = make_token("approver", world.commune_id, name="Chủ tịch xã")

    held = accepted(
        post(client, f"/funds/{world.fund_id}/receipts", world.treasurer, receipt(HUGE))
    )
    assert (held["kind"], held["held_because"], held["balance"]) == ("receipt", "plausibility", 0)
    assert ledger(client, world.treasurer, world.fund_id, held["position"]) == []
    [row] = waiting(client, approver, world, held["position"])
    assert (row["kind"], row["amount"], row["donor_name"]) == ("receipt", HUGE, "Nguyễn Văn An")

    recorded = created(approve(client, approver, world.fund_id, held["pending_id"]))
    assert (recorded["balance"], recorded["slip_no"]) == (HUGE, 1)
    reversal = accepted(ask_reversal(client, world, recorded["entry_id"], "Gõ thừa số 0"))
    assert (reversal["held_because"], reversal["available"]) == ("plausibility", 0)
    done = created(approve(client, approver, world.fund_id, reversal["pending_id"]))
    assert done["balance"] == 0


# Payments split under the threshold ------------------------------------------------------


def test_the_payment_that_takes_a_days_purpose_above_the_threshold_waits(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world, approver, _ = controlled(client, make_token)
    disburse(client, world.treasurer, world.fund_id, 2_000_000, category="tet_gift")
    disburse(client, world.treasurer, world.fund_id, 3_000_000, category="tet_gift")

    held = accepted(
        post(
            client,
            f"/funds/{world.fund_id}/disbursements",
            world.treasurer,
            disbursement(1_000_000, category="tet_gift"),
        )
    )

    assert (held["held_because"], held["amount"], held["available"]) == (
        "split",
        1_000_000,
        14_000_000,
    )
    [row] = waiting(client, approver, world, held["position"])
    assert (row["held_because"], row["category"]) == ("split", "tet_gift")
    # Another day or another purpose is another group.
    disburse(
        client,
        world.treasurer,
        world.fund_id,
        1_000_000,
        category="tet_gift",
        occurred_on="2025-03-02",
    )
    disburse(client, world.treasurer, world.fund_id, 1_000_000, category="medical")


def test_payments_to_one_household_for_different_purposes_add_up_as_one_payee(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world, _, _ = controlled(client, make_token)
    to_it = {"household_id": register_household(client, world.treasurer, world.commune_id)}
    disburse(client, world.treasurer, world.fund_id, 3_000_000, category="medical", **to_it)

    held = accepted(
        post(
            client,
            f"/funds/{world.fund_id}/disbursements",
            world.treasurer,
            disbursement(2_500_000, category="emergency", **to_it),
        )
    )

    assert held["held_because"] == "split"


def test_transfers_to_one_fund_on_one_day_add_up(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world, _, _ = controlled(client, make_token)
    relief = open_fund(client, world.treasurer, world.commune_id, "Quỹ cứu trợ", "relief")
    send(client, world.treasurer, world.fund_id, relief["id"], 4_000_000)

    held = accepted(
        post(
            client,
            f"/funds/{world.fund_id}/transfers",
            world.treasurer,
            transfer(relief["id"], 2_000_000),
        )
    )

    assert (held["kind"], held["held_because"]) == ("transfer_out", "split")


def test_what_an_approver_approved_no_longer_counts_toward_the_days_group(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world, approver, _ = controlled(client, make_token)
    disburse(client, world.treasurer, world.fund_id, 4_000_000)
    held = accepted(
        post(
            client,
            f"/funds/{world.fund_id}/disbursements",
            world.treasurer,
            disbursement(2_000_000),
        )
    )
    created(approve(client, approver, world.fund_id, held["pending_id"]))

    at_threshold = disburse(client, world.treasurer, world.fund_id, 1_000_000)

    assert at_threshold["balance"] == 13_000_000


# The plausibility limit -------------------------------------------------------------------


def test_a_communes_fund_holds_an_amount_above_five_billion_for_an_approver_without_threshold(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    approver = make_token("approver", world.commune_id, name="Chủ tịch xã")

    controls = ok(
        get(
            client, f"/funds/{world.fund_id}/controls", world.treasurer, min_position=world.position
        )
    )
    created(
        post(client, f"/funds/{world.fund_id}/receipts", world.treasurer, receipt(COMMUNE_LIMIT))
    )
    held = accepted(
        post(
            client, f"/funds/{world.fund_id}/receipts", world.treasurer, receipt(COMMUNE_LIMIT + 1)
        )
    )

    assert controls == {
        "fund_id": world.fund_id,
        "approval_threshold": None,
        "plausibility_limit": COMMUNE_LIMIT,
        "plausibility_limit_default": COMMUNE_LIMIT,
        "plausibility_limit_own": None,
    }
    assert (held["held_because"], held["balance"]) == ("plausibility", COMMUNE_LIMIT)
    approved = created(approve(client, approver, world.fund_id, held["pending_id"]))
    assert (approved["balance"], approved["slip_no"]) == (2 * COMMUNE_LIMIT + 1, 2)
    out = accepted(
        post(
            client,
            f"/funds/{world.fund_id}/disbursements",
            world.treasurer,
            disbursement(COMMUNE_LIMIT + 1),
        )
    )
    assert out["held_because"] == "plausibility"


def test_a_province_fund_has_a_larger_default(client: FlaskClient, make_token: MakeToken) -> None:
    world = commune_with_fund(client, make_token)
    treasurer = make_token("treasurer", world.province_id, name="Thủ quỹ tỉnh")
    province_fund = open_fund(client, treasurer, world.province_id)

    answer = created(
        post(client, f"/funds/{province_fund['id']}/receipts", treasurer, receipt(50_000_000_000))
    )

    assert answer["balance"] == 50_000_000_000
    controls = ok(
        get(
            client,
            f"/funds/{province_fund['id']}/controls",
            treasurer,
            min_position=answer["position"],
        )
    )
    assert controls["plausibility_limit"] == 100_000_000_000


def test_an_approver_sets_a_funds_limit_and_a_treasurer_may_not(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    approver = make_token("approver", world.commune_id, name="Chủ tịch xã")
    path = f"{API}/funds/{world.fund_id}/plausibility-limit"

    problem(client.put(path, json={"amount": 1}, headers=auth(world.treasurer)), 403, "forbidden")
    for amount in ("1.000", 0, -5, 1.5, True):
        invalid(client.put(path, json={"amount": amount}, headers=auth(approver)), "amount")
    set_to = ok(client.put(path, json={"amount": 50_000_000}, headers=auth(approver)))
    held = accepted(
        post(client, f"/funds/{world.fund_id}/receipts", world.treasurer, receipt(60_000_000))
    )
    reset = ok(client.put(path, json={"amount": None}, headers=auth(world.admin)))

    assert (set_to["plausibility_limit"], set_to["plausibility_limit_own"]) == (
        50_000_000,
        50_000_000,
    )
    assert held["held_because"] == "plausibility"
    assert (reset["plausibility_limit"], reset["plausibility_limit_own"]) == (COMMUNE_LIMIT, None)
    created(post(client, f"/funds/{world.fund_id}/receipts", world.treasurer, receipt(60_000_000)))


# Approver-is-recorder: people, not names -----------------------------------------------------


def test_a_look_alike_name_makes_no_one_the_recorder(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world, _, _ = controlled(client, make_token)
    asked = accepted(
        post(
            client,
            f"/funds/{world.fund_id}/disbursements",
            world.treasurer,
            disbursement(6_000_000),
        )
    )
    twins = {
        "a zero-width space": "Thủ quỹ\u200b xã",
        "another case": "THỦ QUỸ XÃ",
        "the very same name": "Thủ quỹ xã",
    }
    own = {
        name: make_token("approver", world.commune_id, name=name, same_person_as=world.treasurer)
        for name in twins.values()
    }
    for name in twins.values():
        problem(
            approve(client, own[name], world.fund_id, asked["pending_id"]),
            403,
            "approver-is-recorder",
        )

    other = make_token("approver", world.commune_id, name="Thủ quỹ\u200b xã")
    created(approve(client, other, world.fund_id, asked["pending_id"]))


def test_token_create_links_a_token_to_its_holder_and_points_out_look_alike_names(
    client: FlaskClient, make_token: MakeToken, database_url: str
) -> None:
    world, _, _ = controlled(client, make_token)
    env = sovang_env(database_url)

    def create(*args: str) -> subprocess.CompletedProcess[str]:
        made = run(env, "token", "create", "--unit", world.commune_id, *args)
        assert made.returncode == 0, made.stdout + made.stderr
        return made

    made = create("--role", "treasurer", "--name", "Lê Thị Hoa")
    hoa_id = re.search(r"token mã (\S+)", made.stdout)
    assert hoa_id is not None
    hoa = made.stdout.strip().splitlines()[-1]
    acting = (
        create(
            "--role",
            "approver",
            "--name",
            "Lê Thị Hoa (quyền chủ tịch)",
            "--same-person-as",
            hoa_id[1],
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    look_alike = create("--role", "approver", "--name", "LÊ THỊ\u200b HOA")
    stranger = look_alike.stdout.strip().splitlines()[-1]

    assert hoa_id[1] in look_alike.stderr
    asked = accepted(
        post(client, f"/funds/{world.fund_id}/disbursements", hoa, disbursement(6_000_000))
    )
    problem(
        approve(client, acting, world.fund_id, asked["pending_id"]), 403, "approver-is-recorder"
    )
    created(approve(client, stranger, world.fund_id, asked["pending_id"]))


def test_the_plausibility_limit_is_set_and_shown_at_the_command_line(
    client: FlaskClient, make_token: MakeToken, database_url: str
) -> None:
    world = commune_with_fund(client, make_token)
    env = sovang_env(database_url)

    def limit(*args: str) -> str:
        said = run(env, "fund", "plausibility-limit", world.fund_id, *args)
        assert said.returncode == 0, said.stdout + said.stderr
        return said.stdout

    shown = limit()
    changed = limit("2000000000")
    held = accepted(
        post(client, f"/funds/{world.fund_id}/receipts", world.treasurer, receipt(2_000_000_001))
    )

    assert "5.000.000.000 đ" in shown
    assert "mặc định" in shown
    assert "2.000.000.000 đ" in changed
    assert "riêng" in changed
    assert held["held_because"] == "plausibility"
    assert "5.000.000.000 đ" in limit("default")


def test_a_province_approver_reaches_a_communes_fund_limit(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    neighbour = register_unit(client, world.admin, "Xã Gio Linh", "commune", world.province_id)
    path = f"{API}/funds/{world.fund_id}/plausibility-limit"

    refused = client.put(
        path, json={"amount": 1_000}, headers=auth(make_token("approver", neighbour["id"]))
    )
    allowed = client.put(
        path, json={"amount": 1_000}, headers=auth(make_token("approver", world.province_id))
    )

    problem(refused, 403, "forbidden")
    assert ok(allowed)["plausibility_limit"] == 1_000
