"""Idempotency-Key: a repeated write records nothing new and gets the first answer."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.api.helpers import (
    MakeToken,
    commune_with_fund,
    created,
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
    transfer,
)


def test_a_receipt_sent_twice_with_the_same_key_is_recorded_once_with_the_same_answer(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    path = f"/funds/{world.fund_id}/receipts"

    first = created(post(client, path, world.treasurer, receipt(500_000), key="thu-0001"))
    again = created(post(client, path, world.treasurer, receipt(500_000), key="thu-0001"))

    assert again == first
    entries = ledger(client, world.treasurer, world.fund_id, again["position"])
    assert [e["entry_id"] for e in entries] == [first["entry_id"]]
    assert fund(client, world.treasurer, world.fund_id, again["position"])["balance"] == 500_000


def test_a_replayed_answer_keeps_its_first_position_after_later_writes(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    path = f"/funds/{world.fund_id}/receipts"
    first = created(post(client, path, world.treasurer, receipt(500_000), key="thu-0002"))
    later = receive(client, world.treasurer, world.fund_id, 100_000)

    again = created(post(client, path, world.treasurer, receipt(500_000), key="thu-0002"))

    assert later["position"] > first["position"]
    assert (again["entry_id"], again["position"], again["balance"]) == (
        first["entry_id"],
        first["position"],
        500_000,
    )


def test_the_same_body_with_keys_reordered_or_respaced_is_the_same_request(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    path = f"/funds/{world.fund_id}/receipts"
    body = receipt(500_000)
    first = created(post(client, path, world.treasurer, body, key="thu-0003"))

    reordered = dict(reversed(list(body.items())))
    again = created(post(client, path, world.treasurer, reordered, key="thu-0003"))

    assert again["entry_id"] == first["entry_id"]
    assert len(ledger(client, world.treasurer, world.fund_id, again["position"])) == 1


def test_the_same_key_with_a_different_body_is_refused_and_records_nothing(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    path = f"/funds/{world.fund_id}/receipts"
    first = created(post(client, path, world.treasurer, receipt(500_000), key="thu-0004"))

    problem(
        post(client, path, world.treasurer, receipt(5_000_000), key="thu-0004"),
        422,
        "idempotency-key-reused",
    )
    problem(
        post(
            client,
            f"/funds/{world.fund_id}/disbursements",
            world.treasurer,
            disbursement(1_000),
            key="thu-0004",
        ),
        422,
        "idempotency-key-reused",
    )

    entries = ledger(client, world.treasurer, world.fund_id, first["position"])
    assert [(e["kind"], e["amount"]) for e in entries] == [("receipt", 500_000)]


def test_a_refused_overdraft_retried_with_its_key_after_money_arrived_is_refused_again(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    path = f"/funds/{world.fund_id}/disbursements"
    overdraft = disbursement(1_000_000, category="emergency")

    problem(
        post(client, path, world.treasurer, overdraft, key="chi-0001"), 409, "insufficient-funds"
    )
    arrived = receive(client, world.treasurer, world.fund_id, 5_000_000)
    problem(
        post(client, path, world.treasurer, overdraft, key="chi-0001"), 409, "insufficient-funds"
    )

    entries = ledger(client, world.treasurer, world.fund_id, arrived["position"])
    assert [e["kind"] for e in entries] == ["receipt"]
    assert fund(client, world.treasurer, world.fund_id, arrived["position"])["balance"] == (
        5_000_000
    )
    fresh = created(post(client, path, world.treasurer, overdraft, key="chi-0002"))
    assert fresh["balance"] == 4_000_000


def test_a_transfer_retried_with_its_key_moves_the_money_once(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    relief = open_fund(client, world.treasurer, world.commune_id, "Quỹ cứu trợ", "relief")
    receive(client, world.treasurer, world.fund_id, 1_000_000)
    path = f"/funds/{world.fund_id}/transfers"

    first = created(
        post(client, path, world.treasurer, transfer(relief["id"], 300_000), key="dc-01")
    )
    again = created(
        post(client, path, world.treasurer, transfer(relief["id"], 300_000), key="dc-01")
    )

    assert again == first
    assert fund(client, world.treasurer, relief["id"], again["position"])["balance"] == 300_000
    assert fund(client, world.treasurer, world.fund_id, again["position"])["balance"] == 700_000


def test_registering_a_unit_and_opening_a_fund_are_idempotent_too(
    client: FlaskClient, make_token: MakeToken
) -> None:
    admin = make_token("admin")
    body = {"name": "Tỉnh Quảng Trị", "level": "province"}

    unit = created(post(client, "/units", admin, body, key="unit-qt"))
    unit_again = created(post(client, "/units", admin, body, key="unit-qt"))
    fund_body = {"unit_id": unit["id"], "name": "Quỹ", "kind": "relief"}
    opened = created(post(client, "/funds", admin, fund_body, key="fund-qt"))
    opened_again = created(post(client, "/funds", admin, fund_body, key="fund-qt"))

    assert unit_again == unit
    assert opened_again == opened
    tops = ok(get(client, "/units", admin, min_position=opened_again["position"]))
    assert [u["id"] for u in tops["items"]] == [unit["id"]]


def test_a_key_belongs_to_its_token_so_another_token_may_use_the_same_key(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    colleague = make_token("treasurer", world.commune_id, name="Kế toán xã")
    path = f"/funds/{world.fund_id}/receipts"

    mine = created(post(client, path, world.treasurer, receipt(100_000), key="thu-0001"))
    theirs = created(post(client, path, colleague, receipt(100_000), key="thu-0001"))

    assert theirs["entry_id"] != mine["entry_id"]
    assert theirs["balance"] == 200_000


def test_a_refused_invalid_value_retried_with_its_key_is_refused_again_naming_the_field(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    path = f"/funds/{world.fund_id}/receipts"
    future = receipt(100_000, occurred_on="2099-01-01")

    first = invalid(post(client, path, world.treasurer, future, key="thu-future"), "occurred_on")
    again = invalid(post(client, path, world.treasurer, future, key="thu-future"), "occurred_on")

    assert again["errors"] == first["errors"]
    assert again["type"] == first["type"]
