"""Maker-checker over HTTP: a unit's approval threshold, payments above it awaiting an
approver with their money reserved, approvals, rejections, and who may decide."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.api.helpers import (
    API,
    DAY,
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
    receive,
    register_unit,
    report,
    transfer,
)

THRESHOLD = 5_000_000


def set_threshold(client: FlaskClient, token: str, unit_id: str, amount: Any) -> TestResponse:
    return client.put(
        f"{API}/units/{unit_id}/approval-threshold", json={"amount": amount}, headers=auth(token)
    )


def accepted(response: TestResponse) -> dict[str, Any]:
    """The body of a 202 answer: a payment left awaiting approval."""
    assert response.status_code == 202, response.get_data(as_text=True)
    body: dict[str, Any] = response.get_json()
    assert body["status"] == "pending", body
    assert body["position"] > 0, body
    return body


def approve(client: FlaskClient, token: str, fund_id: str, pending_id: str, **body: Any) -> Any:
    return post(client, f"/funds/{fund_id}/pending/{pending_id}/approval", token, body)


def reject(client: FlaskClient, token: str, fund_id: str, pending_id: str, reason: str) -> Any:
    return post(
        client, f"/funds/{fund_id}/pending/{pending_id}/rejection", token, {"reason": reason}
    )


def pending(client: FlaskClient, token: str, fund_id: str, position: int, **params: Any) -> Any:
    return ok(get(client, f"/funds/{fund_id}/pending", token, min_position=position, **params))


def controlled(client: FlaskClient, make_token: MakeToken) -> tuple[Commune, str]:
    """A commune whose fund holds 10.000.000 đ, under a threshold of 5.000.000 đ set by
    the head of the commune's board, whose token is returned beside the world."""
    world = commune_with_fund(client, make_token)
    approver = make_token("approver", world.commune_id, name="Chủ tịch xã")
    ok(set_threshold(client, approver, world.commune_id, THRESHOLD))
    receive(client, world.treasurer, world.fund_id, 10_000_000)
    return world, approver


def request_payment(client: FlaskClient, world: Commune, amount: int = 6_000_000) -> Any:
    return accepted(
        post(
            client,
            f"/funds/{world.fund_id}/disbursements",
            world.treasurer,
            disbursement(amount, category="house_new_build", voucher_no="PC-07"),
        )
    )


# The threshold ----------------------------------------------------------------------


def test_an_approver_sets_the_threshold_which_the_unit_shows_and_can_lift_it(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    approver = make_token("approver", world.commune_id)

    answer = ok(set_threshold(client, approver, world.commune_id, THRESHOLD))

    assert (answer["id"], answer["approval_threshold"]) == (world.commune_id, THRESHOLD)
    unit = ok(get(client, f"/units/{world.commune_id}", approver, min_position=answer["position"]))
    assert unit["approval_threshold"] == THRESHOLD
    lifted = ok(set_threshold(client, world.admin, world.commune_id, None))
    unit = ok(get(client, f"/units/{world.commune_id}", approver, min_position=lifted["position"]))
    assert unit["approval_threshold"] is None


def test_only_administrators_and_approvers_reaching_the_unit_set_its_threshold(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    neighbour = register_unit(client, world.admin, "Xã Gio Linh", "commune", world.province_id)
    refused = {
        "the unit's treasurer": world.treasurer,
        "an inspector": make_token("inspector", world.commune_id),
        "an approver of another commune": make_token("approver", neighbour["id"]),
    }

    for who, token in refused.items():
        response = set_threshold(client, token, world.commune_id, 0)
        assert response.status_code == 403, who
        problem(response, 403, "forbidden")

    ok(set_threshold(client, make_token("approver", world.province_id), world.commune_id, 0))


def test_a_threshold_that_is_not_a_whole_number_of_dong_is_refused_naming_amount(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)

    for amount in ("5.000.000", -1, 1.5, True):
        invalid(set_threshold(client, world.admin, world.commune_id, amount), "amount")
    problem(set_threshold(client, world.admin, str(uuid4()), 1), 404, "unit-not-found")


# Payments above it ------------------------------------------------------------------


def test_without_a_threshold_or_at_it_a_disbursement_is_recorded_at_once(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    receive(client, world.treasurer, world.fund_id, 20_000_000)

    disburse(client, world.treasurer, world.fund_id, 9_000_000)
    ok(set_threshold(client, world.admin, world.commune_id, THRESHOLD))
    # Another purpose: the day's 9.000.000 đ of Tết gifts would hold it as a split payment.
    at = disburse(client, world.treasurer, world.fund_id, THRESHOLD, category="medical")

    assert (at["balance"], at["available"]) == (6_000_000, 6_000_000)
    assert pending(client, world.treasurer, world.fund_id, at["position"])["items"] == []


def test_a_disbursement_above_the_threshold_awaits_approval_with_its_money_reserved(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world, _ = controlled(client, make_token)

    answer = request_payment(client, world)

    assert (answer["fund_id"], answer["amount"]) == (world.fund_id, 6_000_000)
    assert (answer["balance"], answer["available"]) == (10_000_000, 4_000_000)
    read = fund(client, world.treasurer, world.fund_id, answer["position"])
    assert (read["balance"], read["reserved"], read["available"]) == (
        10_000_000,
        6_000_000,
        4_000_000,
    )
    assert [e["kind"] for e in ledger(client, world.treasurer, world.fund_id, 0)] == ["receipt"]
    [waiting] = pending(client, world.treasurer, world.fund_id, 0, status="pending")["items"]
    assert (waiting["pending_id"], waiting["kind"], waiting["amount"]) == (
        answer["pending_id"],
        "disbursement",
        6_000_000,
    )
    assert (waiting["category"], waiting["voucher_no"], waiting["requested_by"]) == (
        "house_new_build",
        "PC-07",
        "Thủ quỹ xã",
    )
    assert waiting["decided_at"] is None


def test_reserved_money_refuses_a_second_payment_that_would_overdraw(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world, _ = controlled(client, make_token)
    request_payment(client, world, 6_000_000)

    body = problem(
        post(
            client,
            f"/funds/{world.fund_id}/disbursements",
            world.treasurer,
            disbursement(4_500_000),
        ),
        409,
        "insufficient-funds",
    )

    assert "đang giữ cho các khoản chi chờ duyệt" in body["detail"]
    assert (body["balance"], body["available"]) == (10_000_000, 4_000_000)
    disburse(client, world.treasurer, world.fund_id, 4_000_000)


def test_an_approval_records_the_entry_with_its_running_balance_and_releases_the_money(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world, approver = controlled(client, make_token)
    asked = request_payment(client, world)

    answer = created(approve(client, approver, world.fund_id, asked["pending_id"], note="Đủ hồ sơ"))

    assert (answer["pending_id"], answer["status"]) == (asked["pending_id"], "approved")
    assert (answer["balance"], answer["available"]) == (4_000_000, 4_000_000)
    entry = ledger(client, world.treasurer, world.fund_id, answer["position"])[-1]
    assert entry["entry_id"] == answer["entry_id"]
    assert (entry["kind"], entry["amount"], entry["running_balance"], entry["voucher_no"]) == (
        "disbursement",
        6_000_000,
        4_000_000,
        "PC-07",
    )
    assert entry["actor"] == "Thủ quỹ xã"
    read = fund(client, world.treasurer, world.fund_id, answer["position"])
    assert (read["reserved"], read["total_disbursed"]) == (0, 6_000_000)
    [decided] = pending(client, approver, world.fund_id, answer["position"], status="approved")[
        "items"
    ]
    assert (decided["entry_id"], decided["decided_by"], decided["decision_note"]) == (
        answer["entry_id"],
        "Chủ tịch xã",
        "Đủ hồ sơ",
    )


def test_a_rejection_makes_the_money_available_again_and_pays_nothing(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world, approver = controlled(client, make_token)
    asked = request_payment(client, world)
    invalid(reject(client, approver, world.fund_id, asked["pending_id"], "  "), "reason")

    answer = created(reject(client, approver, world.fund_id, asked["pending_id"], "Thiếu hồ sơ"))

    assert (answer["status"], answer["balance"], answer["available"]) == (
        "rejected",
        10_000_000,
        10_000_000,
    )
    entries = ledger(client, world.treasurer, world.fund_id, answer["position"])
    assert [e["kind"] for e in entries] == ["receipt"]
    [decided] = pending(client, world.treasurer, world.fund_id, answer["position"])["items"]
    assert (decided["status"], decided["decision_note"], decided["entry_id"]) == (
        "rejected",
        "Thiếu hồ sơ",
        None,
    )
    assert disburse(client, world.treasurer, world.fund_id, 5_000_000)["available"] == 5_000_000


def test_pending_payments_count_in_no_report_until_approved(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world, approver = controlled(client, make_token)
    asked = request_payment(client, world)

    before = report(client, approver, world.commune_id, asked["position"], DAY, DAY)
    approved = created(approve(client, approver, world.fund_id, asked["pending_id"]))
    after = report(client, approver, world.commune_id, approved["position"], DAY, DAY)

    assert (before["disbursements"]["total"], before["closing_balance"]) == (0, 10_000_000)
    assert (after["disbursements"]["total"], after["closing_balance"]) == (6_000_000, 4_000_000)


def test_a_transfer_above_the_threshold_moves_money_only_when_approved(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world, approver = controlled(client, make_token)
    relief = open_fund(client, world.treasurer, world.commune_id, "Quỹ cứu trợ", "relief")

    asked = accepted(
        post(
            client,
            f"/funds/{world.fund_id}/transfers",
            world.treasurer,
            transfer(relief["id"], 7_000_000),
        )
    )
    assert (asked["to_fund_id"], asked["available"]) == (relief["id"], 3_000_000)
    assert fund(client, world.treasurer, relief["id"], asked["position"])["balance"] == 0

    answer = created(approve(client, approver, world.fund_id, asked["pending_id"]))

    [received] = ledger(client, world.treasurer, relief["id"], answer["position"])
    assert (answer["to_fund_id"], answer["counterpart_entry_id"]) == (
        relief["id"],
        received["entry_id"],
    )
    assert (received["kind"], received["amount"]) == ("transfer_in", 7_000_000)
    assert fund(client, world.treasurer, relief["id"], answer["position"])["balance"] == 7_000_000


# Who decides ------------------------------------------------------------------------


def test_the_recorder_may_not_approve_their_own_payment_even_with_an_approvers_token(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world, _ = controlled(client, make_token)
    own = make_token(
        "approver", world.commune_id, name="Quyền chủ tịch xã", same_person_as=world.treasurer
    )
    asked = request_payment(client, world)

    body = problem(approve(client, own, world.fund_id, asked["pending_id"]), 403)

    assert body["type"].endswith("approver-is-recorder")
    assert "người duyệt khác" in body["detail"]
    problem(reject(client, own, world.fund_id, asked["pending_id"], "Tự hủy"), 403)
    read = fund(client, world.treasurer, world.fund_id, asked["position"])
    assert read["reserved"] == 6_000_000


def test_treasurers_and_approvers_of_other_units_may_not_decide(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world, _ = controlled(client, make_token)
    neighbour = register_unit(client, world.admin, "Xã Gio Linh", "commune", world.province_id)
    asked = request_payment(client, world)
    refused = {
        "the treasurer who recorded it": world.treasurer,
        "another treasurer of the commune": make_token(
            "treasurer", world.commune_id, name="Kế toán"
        ),
        "an approver of another commune": make_token("approver", neighbour["id"]),
        "an administrator": world.admin,
    }

    for who, token in refused.items():
        for response in (
            approve(client, token, world.fund_id, asked["pending_id"]),
            reject(client, token, world.fund_id, asked["pending_id"], "Không"),
        ):
            assert response.status_code == 403, who
            problem(response, 403, "forbidden")

    province_approver = make_token("approver", world.province_id, name="Chủ tịch tỉnh")
    created(approve(client, province_approver, world.fund_id, asked["pending_id"]))


def test_a_payment_is_decided_only_once(client: FlaskClient, make_token: MakeToken) -> None:
    world, approver = controlled(client, make_token)
    other = make_token("approver", world.province_id, name="Chủ tịch tỉnh")
    asked = request_payment(client, world)
    first = created(approve(client, approver, world.fund_id, asked["pending_id"]))

    for response in (
        approve(client, other, world.fund_id, asked["pending_id"]),
        reject(client, other, world.fund_id, asked["pending_id"], "Muộn"),
    ):
        problem(response, 409, "already-decided")

    entries = ledger(client, world.treasurer, world.fund_id, first["position"])
    assert [e["kind"] for e in entries] == ["receipt", "disbursement"]


def test_an_unknown_payment_or_an_entry_id_answers_404(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world, approver = controlled(client, make_token)
    gift = receive(client, world.treasurer, world.fund_id, 1_000)

    for pending_id in (str(uuid4()), gift["entry_id"]):
        problem(
            approve(client, approver, world.fund_id, pending_id), 404, "pending-payment-not-found"
        )


def test_an_approval_sent_again_with_its_key_gives_the_first_answer_and_records_once(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world, approver = controlled(client, make_token)
    asked = request_payment(client, world)
    path = f"/funds/{world.fund_id}/pending/{asked['pending_id']}/approval"

    first = created(post(client, path, approver, {}, key="duyet-PC-07"))
    again = created(post(client, path, approver, {}, key="duyet-PC-07"))

    assert again == first
    entries = ledger(client, world.treasurer, world.fund_id, again["position"])
    assert [e["kind"] for e in entries] == ["receipt", "disbursement"]
    problem(post(client, path, approver, {"note": "khác"}, key="duyet-PC-07"), 422)


def test_a_payment_sent_again_with_its_key_is_not_reserved_twice(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world, _ = controlled(client, make_token)
    path = f"/funds/{world.fund_id}/disbursements"

    first = accepted(post(client, path, world.treasurer, disbursement(6_000_000), key="PC-08"))
    again = accepted(post(client, path, world.treasurer, disbursement(6_000_000), key="PC-08"))

    assert again == first
    assert fund(client, world.treasurer, world.fund_id, again["position"])["reserved"] == 6_000_000


def test_requests_and_decisions_appear_in_the_audit_trail_with_who_made_them(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world, approver = controlled(client, make_token)
    receive(client, world.treasurer, world.fund_id, 2_000_000)
    approved = request_payment(client, world)
    rejected = request_payment(client, world, 5_500_000)
    created(approve(client, approver, world.fund_id, approved["pending_id"]))
    last = created(reject(client, approver, world.fund_id, rejected["pending_id"], "Trùng"))

    trail = ok(
        get(
            client,
            "/audit/events",
            world.admin,
            aggregate_id=world.fund_id,
            min_position=last["position"],
        )
    )["items"]

    assert [(e["event_type"], e["actor"], e["role"]) for e in trail[-5:]] == [
        ("DisbursementRequested", "Thủ quỹ xã", "treasurer"),
        ("DisbursementRequested", "Thủ quỹ xã", "treasurer"),
        ("PaymentApproved", "Chủ tịch xã", "approver"),
        ("DisbursementRecorded", "Thủ quỹ xã", "treasurer"),
        ("PaymentRejected", "Chủ tịch xã", "approver"),
    ]
    rejection = trail[-1]
    assert rejection["data"]["pending_id"] == rejected["pending_id"]
    assert rejection["data"]["reason"] == "Trùng"
    units = ok(get(client, "/audit/events", world.admin, aggregate_id=world.commune_id))["items"]
    assert units[-1]["event_type"] == "ApprovalThresholdSet"
    assert units[-1]["data"]["amount"] == THRESHOLD
