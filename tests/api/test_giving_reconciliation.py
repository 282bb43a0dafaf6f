"""A simulated notification service and the month's statement: whatever the service
does (sends a credit twice, retries while the first delivery is still in flight, delivers
out of order, is forged, goes silent for a day), each gift is recorded once, and the
reconciliation's groups add up to the statement."""

from __future__ import annotations

import io
import random
import threading
import time
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api.giving_helpers import Credit, connect, make_keys, send_casso, send_sepay
from tests.api.helpers import API, Commune, MakeToken, auth, commune_with_fund, get, ok, problem

#: A month's gifts into the account: date (dd/mm/yyyy), document number, amount, memo.
GIFTS = [
    Credit(101, 500_000, "2025-09-10", "15:30:12", "5219.1317", "NGUYEN VAN AN ung ho"),
    Credit(102, 2_000_000, "2025-09-10", "16:01:02", "5219.1318", "TRAN THI BINH ung ho"),
    Credit(103, 2_000_000, "2025-09-10", "16:01:09", "5219.1318", "LE VAN CUONG ung ho"),
    Credit(104, 10_000_000, "2025-09-10", "17:20:00", "5219.1319", "CONG TY HONG PHAT ung ho"),
    Credit(105, 150_000, "2025-09-11", "09:11:15", "5220.0002", "LE MINH CUONG ung ho"),
    Credit(106, 300_000, "2025-09-11", "10:00:00", "5220.0003", "PHAM THU HA ung ho"),
    Credit(107, 1_000_000, "2025-09-12", "08:45:00", "5221.0101", "HOANG DUC LONG ung ho"),
]
#: A credit the service reported that the bank never booked.
PHANTOM = Credit(108, 700_000, "2025-09-12", "11:00:00", "5221.0199", "NGO VAN TAM ung ho")


def statement(gifts: list[Credit]) -> bytes:
    """The bank's statement of the gifts, as Vietcombank prints it (its memos wrapped in
    the bank's own tokens), with a bank fee among them."""
    rows = [
        "SAO KÊ TÀI KHOẢN / ACCOUNT STATEMENT,,,,",
        "Ngày GD/ TNX Date/ Số CT/ Doc No,Số tiền ghi nợ/ Debit,Số tiền ghi có/ Credit,"
        "Số dư/ Balance,Nội dung chi tiết/ Transactions in detail",
        "11/09/2025 5220.0001,2.200,,,Phi SMS Banking thang 08/2025",
    ]
    for gift in gifts:
        year, month, day = gift.on.split("-")
        amount = f"{gift.amount:,}".replace(",", ".")
        rows.append(
            f"{day}/{month}/{year} {gift.reference},,{amount},,MBVCB.{gift.txid}.{gift.memo}"
        )
    return ("\n".join(rows) + "\n").encode()


def import_statement(client: FlaskClient, world: Commune, data: bytes) -> dict[str, Any]:
    started = client.post(
        f"{API}/funds/{world.fund_id}/imports",
        data={"file": (io.BytesIO(data), "sao-ke.csv")},
        query_string={"preset": "vietcombank"},
        headers=auth(world.treasurer),
        content_type="multipart/form-data",
    )
    assert started.status_code == 202, started.get_data(as_text=True)
    for _ in range(400):
        job = ok(get(client, f"/imports/{started.get_json()['job_id']}", world.treasurer))
        if job["status"] != "running":
            assert job["status"] == "done", job
            return job
        time.sleep(0.05)
    raise AssertionError("the import did not finish")


def gifts_recorded(client: FlaskClient, world: Commune, position: int) -> list[int]:
    entries = ok(
        get(client, f"/funds/{world.fund_id}/entries", world.treasurer, min_position=position)
    )
    return sorted(item["amount"] for item in entries["items"] if item["kind"] == "receipt")


def check_adds_up(found: dict[str, Any], statement_gifts: list[Credit]) -> None:
    groups = ("matched_notifications", "recorded_from_statement", "recorded_before", "not_recorded")
    total = found["statement_credits"]
    assert total == {
        "count": len(statement_gifts),
        "amount": sum(g.amount for g in statement_gifts),
    }
    assert sum(found[g]["count"] for g in groups) == total["count"]
    assert sum(found[g]["amount"] for g in groups) == total["amount"]


def test_duplicates_retries_disorder_forgery_and_a_silent_day_record_each_gift_once(
    app: Flask, client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    connect(client, world)
    keys = make_keys(app)
    a, b, c, d, e, f, g = GIFTS
    ok(send_sepay(client, keys["sepay"], a.sepay()))
    assert ok(send_sepay(client, keys["sepay"], a.sepay()))["transactions"][0]["outcome"] == (
        "already_recorded"
    )
    # Out of order: the later transfer first.
    ok(send_sepay(client, keys["sepay"], c.sepay()))
    # A retry sent while the first delivery is still being answered.
    answers: list[Any] = []
    threads = [
        threading.Thread(
            target=lambda: answers.append(send_sepay(client, keys["sepay"], b.sepay()))
        )
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    outcomes = sorted(ok(answer)["transactions"][0]["outcome"] for answer in answers)
    assert outcomes == ["already_recorded", "recorded"]
    # A forged post of a real transfer: refused, and the statement brings it.
    problem(send_sepay(client, "not-the-key", d.sepay()), 403, "notification-forged")
    # The 11th is silent; the 12th comes through Casso, with a credit the bank never booked.
    last = ok(send_casso(client, keys["casso"], [g.casso(), PHANTOM.casso()]))
    position = last["transactions"][-1]["position"]
    notified = [a, b, c, g, PHANTOM]
    assert gifts_recorded(client, world, position) == sorted(x.amount for x in notified)

    job = import_statement(client, world, statement(GIFTS))
    found = job["reconciliation"]
    check_adds_up(found, GIFTS)
    assert found["matched_notifications"] == {
        "count": 4,
        "amount": sum(x.amount for x in (a, b, c, g)),
    }
    assert found["recorded_from_statement"] == {
        "count": 3,
        "amount": sum(x.amount for x in (d, e, f)),
    }
    assert found["missing_from_statement"]["count"] == 1
    assert found["missing_from_statement"]["credits"][0]["amount"] == PHANTOM.amount
    everything = sorted(x.amount for x in [*GIFTS, PHANTOM])
    assert gifts_recorded(client, world, job["position"]) == everything
    missing = ok(
        get(
            client,
            f"/funds/{world.fund_id}/notified-credits",
            world.treasurer,
            state="missing",
            min_position=job["position"],
        )
    )
    assert [item["transaction_id"] for item in missing["items"]] == ["108"]

    again = import_statement(client, world, statement(GIFTS))
    check_adds_up(again["reconciliation"], GIFTS)
    assert again["recorded"] == 0
    assert again["reconciliation"]["recorded_before"]["count"] == len(GIFTS)
    # A late notification of a gift the statement already brought records nothing new.
    late = ok(send_sepay(client, keys["sepay"], e.sepay()))["transactions"][0]
    assert (late["outcome"], late["through"]) == ("covered_by_statement", "2025-09-12")
    assert gifts_recorded(client, world, again["position"] or job["position"]) == everything


@settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.data())
def test_any_order_of_deliveries_and_duplicates_records_each_gift_once(
    app: Flask, client: FlaskClient, make_token: MakeToken, data: st.DataObject
) -> None:
    world = commune_with_fund(client, make_token)
    number = str(data.draw(st.integers(min_value=10**9, max_value=10**10)))
    connect(client, world, number)
    keys = app.extensions.get("giving-test-keys") or make_keys(app)
    app.extensions["giving-test-keys"] = keys
    told = data.draw(st.lists(st.sampled_from(GIFTS), max_size=10), label="deliveries")
    seed = data.draw(st.integers(0, 2**32))
    random.Random(seed).shuffle(told)
    position = world.position
    for gift in told:
        answer = ok(send_sepay(client, keys["sepay"], gift.sepay(number)))["transactions"][0]
        position = max(position, answer.get("position", position))
    job = import_statement(client, world, statement(GIFTS))
    check_adds_up(job["reconciliation"], GIFTS)
    assert job["reconciliation"]["matched_notifications"]["count"] == len(set(told))
    assert gifts_recorded(client, world, job["position"] or position) == sorted(
        x.amount for x in GIFTS
    )
