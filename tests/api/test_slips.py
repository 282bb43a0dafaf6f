"""Cash slips: receipt slips (phiếu thu, PT) for cash receipts and payment slips (phiếu
chi, PC) for cash payments, numbered per fund and accounting year in the order issued;
bank movements carry the bank's document instead."""

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
    send,
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


def test_cash_payments_take_payment_slips_and_bank_payments_and_transfers_take_none(
    client: FlaskClient, make_token: MakeToken
) -> None:
    """The rule changed: a cash payment now takes a phiếu chi number (PC), gapless per
    fund and year; a payment by bank carries the bank's payment order instead."""
    world = commune_with_fund(client, make_token)
    t, f = world.treasurer, world.fund_id
    other = open_fund(client, t, world.commune_id, "Quỹ Cứu trợ", "relief")
    answer = receive(client, t, f, 5_000_000)
    first = disburse(client, t, f, 100_000)
    by_bank = disburse(client, t, f, 200_000, channel="bank", bank_ref="UNC-2025-17")
    sent = send(client, t, f, other["id"], 300_000)
    second = disburse(client, t, f, 400_000)
    next_year = disburse(client, t, f, 500_000, occurred_on="2026-01-02")

    prefix = f.replace("-", "")[:12].upper()
    assert (first["slip_no"], first["slip_ref"]) == (1, f"PC-2025-000001-{prefix}")
    assert (second["slip_no"], second["slip_ref"]) == (2, f"PC-2025-000002-{prefix}")
    assert next_year["slip_ref"] == f"PC-2026-000001-{prefix}"
    assert "slip_no" not in by_bank
    assert "slip_no" not in sent
    entries = ledger(client, t, f, next_year["position"])
    assert [(e["kind"], e["slip_no"], e["bank_ref"]) for e in entries] == [
        ("receipt", answer["slip_no"], None),
        ("disbursement", 1, None),
        ("disbursement", None, "UNC-2025-17"),
        ("transfer_out", None, None),
        ("disbursement", 2, None),
        ("disbursement", 1, None),
    ]


def test_bank_receipts_and_goods_carry_no_receipt_slip_and_leave_no_gap(
    client: FlaskClient, make_token: MakeToken
) -> None:
    """The rule changed: a bank credit carries the bank's document (giấy báo Có), not a
    phiếu thu; so a bank statement imported for past months takes no cash slip numbers."""
    world = commune_with_fund(client, make_token)
    t, f = world.treasurer, world.fund_id

    cash = receive(client, t, f, 300_000, occurred_on="2025-01-05")
    bank = receive(client, t, f, 700_000, occurred_on="2025-01-06", channel="bank", bank_ref="FT1")
    goods = receive(client, t, f, 900_000, occurred_on="2025-01-07", channel="in_kind")
    payroll = receive(client, t, f, 100_000, occurred_on="2025-01-08", channel="payroll")

    assert [a["slip_no"] for a in (cash, bank, goods, payroll)] == [1, None, None, 2]
    assert bank["slip_ref"] is None
    entries = ledger(client, t, f, payroll["position"])
    assert [(e["slip_no"], e["bank_ref"]) for e in entries] == [
        (1, None),
        (None, "FT1"),
        (None, None),
        (2, None),
    ]


def test_a_payment_awaiting_approval_takes_its_slip_when_it_is_paid(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    t, f = world.treasurer, world.fund_id
    approver = make_token("approver", world.commune_id, name="Chủ tịch xã")
    receive(client, t, f, 20_000_000)
    ok(
        client.put(
            f"/api/v1/units/{world.commune_id}/approval-threshold",
            json={"amount": 5_000_000},
            headers={"Authorization": f"Bearer {approver}"},
        )
    )
    held = post(client, f"/funds/{f}/disbursements", t, {**_payment(), "amount": 6_000_000})
    assert held.status_code == 202, held.get_data(as_text=True)
    small = disburse(client, t, f, 100_000)
    paid = created(
        post(client, f"/funds/{f}/pending/{held.get_json()['pending_id']}/approval", approver, {})
    )

    entries = ledger(client, t, f, paid["position"])
    assert small["slip_no"] == 1
    assert [(e["amount"], e["slip_no"]) for e in entries if e["kind"] == "disbursement"] == [
        (100_000, 1),
        (6_000_000, 2),
    ]


def _payment() -> dict[str, object]:
    return {"amount": 100_000, "occurred_on": "2025-03-01", "category": "tet_gift"}


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
