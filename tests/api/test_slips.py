"""Receipt slips (phiếu thu): numbered per fund and accounting year, shown everywhere."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.api.helpers import (
    MakeToken,
    commune_with_fund,
    created,
    disburse,
    get,
    ledger,
    ok,
    open_fund,
    post,
    problem,
    receipt,
    receive,
)


def test_each_receipt_answers_with_its_slip_number_and_reference(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)

    first = receive(client, world.treasurer, world.fund_id, occurred_on="2025-01-05")
    second = receive(client, world.treasurer, world.fund_id, occurred_on="2024-12-31")
    third = receive(client, world.treasurer, world.fund_id, occurred_on="2025-02-01")

    prefix = world.fund_id.replace("-", "")[:12].upper()
    assert [(a["slip_no"], a["slip_ref"]) for a in (first, second, third)] == [
        (1, f"PT-2025-000001-{prefix}"),
        (1, f"PT-2024-000001-{prefix}"),
        (2, f"PT-2025-000002-{prefix}"),
    ]
    entries = ledger(client, world.treasurer, world.fund_id, third["position"])
    assert [(e["slip_no"], e["slip_ref"]) for e in entries] == [
        (a["slip_no"], a["slip_ref"]) for a in (first, second, third)
    ]


def test_each_fund_numbers_its_own_slips(client: FlaskClient, make_token: MakeToken) -> None:
    world = commune_with_fund(client, make_token)
    other = open_fund(client, world.treasurer, world.commune_id, "Quỹ Cứu trợ", "relief")

    receive(client, world.treasurer, world.fund_id)
    answer = receive(client, world.treasurer, other["id"])

    assert answer["slip_no"] == 1


def test_a_retried_receipt_keeps_its_slip_number_and_leaves_no_gap(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    path = f"/funds/{world.fund_id}/receipts"

    first = created(post(client, path, world.treasurer, receipt(), key="phieu-1"))
    again = created(post(client, path, world.treasurer, receipt(), key="phieu-1"))
    refused = post(client, path, world.treasurer, receipt(amount=0), key="phieu-2")
    after = created(post(client, path, world.treasurer, receipt(), key="phieu-3"))

    problem(refused, 422)
    assert first["slip_no"] == again["slip_no"] == 1
    assert after["slip_no"] == 2


def test_disbursements_and_transfers_carry_no_slip_number(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    answer = receive(client, world.treasurer, world.fund_id, 500_000)
    paid = disburse(client, world.treasurer, world.fund_id, 100_000)

    entries = ledger(client, world.treasurer, world.fund_id, paid["position"])
    assert [e["slip_no"] for e in entries] == [answer["slip_no"], None]
    assert "slip_no" not in paid


def test_anyone_finds_a_receipt_by_its_slip_reference_in_any_case(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    receive(client, world.treasurer, world.fund_id, 300_000)
    answer = receive(client, world.treasurer, world.fund_id, 700_000)

    found = ok(
        get(
            client,
            f"/public/receipts/{answer['slip_ref'].lower()}",
            None,
            min_position=answer["position"],
        )
    )

    [shown] = found["receipts"]
    assert (shown["entry_id"], shown["amount"], shown["slip_no"], shown["slip_ref"]) == (
        answer["entry_id"],
        700_000,
        2,
        answer["slip_ref"],
    )
    assert shown["donor_name"] == "Nguyễn V. A."
    problem(get(client, "/public/receipts/PT-2025-000009-000000000000", None), 404)
