"""Live giving: a fund's giving account and VietQR code, bank notifications recorded
once each, matched to pledges by their memo code, the rest queued for the treasurer."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service.domain import vietqr
from service.domain.memo_codes import Names, code_for
from tests.api.giving_helpers import (
    ACCOUNT,
    BIN,
    Credit,
    connect,
    make_keys,
    send_casso,
    send_sepay,
)
from tests.api.helpers import (
    MakeToken,
    commune_with_fund,
    created,
    get,
    invalid,
    ok,
    open_fund,
    post,
    problem,
)


def _balance(client: FlaskClient, token: str, fund_id: str, position: int) -> dict[str, Any]:
    return ok(get(client, f"/funds/{fund_id}", token, min_position=position))


def test_a_fund_with_a_giving_account_shows_a_vietqr_naming_its_account_and_memo_code(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    problem(get(client, f"/public/funds/{world.fund_id}/vietqr", None), 404, "no-giving-account")
    answer = connect(client, world)
    assert answer["memo_code"].startswith("SVQ")
    code = ok(
        get(client, f"/public/funds/{world.fund_id}/vietqr", None, min_position=answer["position"])
    )
    read = vietqr.decode(code["payload"])
    assert (read.bin, read.account, read.amount) == (BIN, ACCOUNT, None)
    assert read.memo == f"{answer['memo_code']} UNG HO"


def test_an_account_serves_one_fund_and_bad_accounts_are_named(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    connect(client, world)
    other = open_fund(client, world.treasurer, world.commune_id, "Quỹ cứu trợ", "relief")
    body = {"bank_bin": BIN, "account_number": ACCOUNT, "account_name": "UB MTTQ"}
    taken = client.put(
        f"/api/v1/funds/{other['id']}/giving-account",
        json=body,
        headers={"Authorization": f"Bearer {world.treasurer}"},
    )
    problem(taken, 409, "account-claimed")
    bad = client.put(
        f"/api/v1/funds/{other['id']}/giving-account",
        json={**body, "account_number": "0011-0019"},
        headers={"Authorization": f"Bearer {world.treasurer}"},
    )
    invalid(bad, "account_number")


def test_a_credit_sent_twice_by_sepay_and_once_by_casso_is_recorded_once_per_source(
    app: Flask, client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    connect(client, world)
    keys = make_keys(app)
    gift = Credit(
        9001, 500_000, "2025-03-01", "10:02:37", "FT25060000000001", "NGUYEN VAN A ung ho"
    )
    first = ok(send_sepay(client, keys["sepay"], gift.sepay()))
    again = ok(send_sepay(client, keys["sepay"], gift.sepay()))
    assert first["transactions"][0]["outcome"] == "recorded"
    assert again["transactions"][0]["outcome"] == "already_recorded"
    assert again["transactions"][0]["entry_id"] == first["transactions"][0]["entry_id"]
    fund = _balance(client, world.treasurer, world.fund_id, first["transactions"][0]["position"])
    assert fund["balance"] == 500_000
    casso = ok(send_casso(client, keys["casso"], [gift.casso(), {**gift.casso(), "id": 9002}]))
    assert [t["outcome"] for t in casso["transactions"]] == ["recorded", "recorded"]
    out = {**gift.casso(), "id": 9003, "amount": -20_000}
    assert ok(send_casso(client, keys["casso"], [out]))["transactions"][0]["outcome"] == (
        "not_a_credit"
    )


def test_unauthenticated_and_forged_notifications_record_nothing(
    app: Flask, client: FlaskClient, make_token: MakeToken, caplog: pytest.LogCaptureFixture
) -> None:
    world = commune_with_fund(client, make_token)
    gift = Credit(1, 100_000, "2025-03-01", "09:00:00", "FT1", "ung ho")
    problem(send_sepay(client, "x", gift.sepay()), 503, "bank-feed-key-unavailable")
    connect(client, world)
    keys = make_keys(app)
    problem(send_sepay(client, None, gift.sepay()), 401, "notification-unauthenticated")
    problem(send_sepay(client, keys["casso"], gift.sepay()), 403, "notification-forged")
    problem(send_casso(client, keys["sepay"], [gift.casso()]), 403, "notification-forged")
    problem(send_casso(client, None, [gift.casso()]), 401, "notification-unauthenticated")
    refusals = [r.getMessage() for r in caplog.records if r.name == "service.api.giving"]
    assert len([m for m in refusals if m.startswith("bank notification refused")]) == 4
    fund = _balance(client, world.treasurer, world.fund_id, world.position)
    assert fund["balance"] == 0
    listed = ok(
        get(client, f"/funds/{world.fund_id}/notified-credits", world.treasurer, state="all")
    )
    assert listed["items"] == []


def test_a_notification_for_an_unknown_account_or_unreadable_is_refused(
    app: Flask, client: FlaskClient, make_token: MakeToken
) -> None:
    commune_with_fund(client, make_token)
    keys = make_keys(app)
    gift = Credit(1, 100_000, "2025-03-01", "09:00:00", "FT1", "ung ho")
    problem(send_sepay(client, keys["sepay"], gift.sepay("999")), 404, "account-not-connected")
    broken = {**gift.sepay(), "transactionDate": "01/03/2025"}
    invalid(send_sepay(client, keys["sepay"], broken), "transactionDate")


def test_memo_codes_fulfil_their_pledge_and_the_rest_wait_for_the_treasurer(
    app: Flask, client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    connect(client, world)
    keys = make_keys(app)
    donor = {"name": "Công ty TNHH Hồng Phát", "kind": "organisation"}
    made = created(
        post(
            client,
            f"/funds/{world.fund_id}/pledges",
            world.treasurer,
            {"donor": donor, "amount": 3_000_000},
        )
    )
    pledge_id = made["pledge_id"]
    code = ok(
        get(client, f"/pledges/{pledge_id}/vietqr", world.treasurer, min_position=made["position"])
    )
    assert code["memo_code"] == code_for(Names.PLEDGE, __import__("uuid").UUID(pledge_id)).text
    assert vietqr.decode(code["payload"]).amount == 3_000_000
    spaced = code["memo_code"][:6].lower() + " " + code["memo_code"][6:].lower()
    named = Credit(
        11, 1_000_000, "2025-03-02", "08:00:00", "FT11", f"CTY HONG PHAT {spaced} ung ho"
    )
    plain = Credit(12, 2_000_000, "2025-03-02", "08:05:00", "FT12", "CTY HONG PHAT chuyen tien")
    answers = [
        ok(send_sepay(client, keys["sepay"], c.sepay()))["transactions"][0] for c in (named, plain)
    ]
    position = answers[-1]["position"]
    queue = ok(
        get(
            client,
            f"/funds/{world.fund_id}/notified-credits",
            world.treasurer,
            min_position=position,
        )
    )
    assert [item["transaction_id"] for item in queue["items"]] == ["12"]
    credit_id = queue["items"][0]["id"]
    assigned = created(
        post(
            client,
            f"/funds/{world.fund_id}/notified-credits/{credit_id}/assignment",
            world.treasurer,
            {"pledge_id": pledge_id},
        )
    )
    pledge = ok(
        get(client, f"/pledges/{pledge_id}", world.treasurer, min_position=assigned["position"])
    )
    assert pledge["fulfilled"] == 3_000_000
    assert pledge["status"] == "open" or pledge["outstanding"] == 0
    left = ok(
        get(
            client,
            f"/funds/{world.fund_id}/notified-credits",
            world.treasurer,
            min_position=assigned["position"],
        )
    )
    assert left["items"] == []
    again = post(
        client,
        f"/funds/{world.fund_id}/notified-credits/{credit_id}/assignment",
        world.treasurer,
        {"pledge_id": pledge_id},
    )
    problem(again, 409)


def test_the_public_page_shows_the_vietqr_and_offers_the_a4_poster(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    ok(get(client, f"/funds/{world.fund_id}", world.treasurer, min_position=world.position))
    page = client.get(f"/cong-khai/quy/{world.fund_id}")
    assert page.status_code == 200
    assert 'id="vietqr"' not in page.get_data(as_text=True)
    assert client.get(f"/cong-khai/quy/{world.fund_id}/ap-phich.pdf").status_code == 404
    answer = connect(client, world)
    ok(get(client, f"/funds/{world.fund_id}", world.treasurer, min_position=answer["position"]))
    html = client.get(f"/cong-khai/quy/{world.fund_id}").get_data(as_text=True)
    assert 'id="vietqr"' in html
    assert "<svg" in html
    assert f"{answer['memo_code']} UNG HO" in html
    assert ACCOUNT in html
    poster = client.get(f"/cong-khai/quy/{world.fund_id}/ap-phich.pdf")
    assert poster.status_code == 200
    assert poster.mimetype == "application/pdf"
    body = poster.get_data()
    assert body.startswith(b"%PDF-")
    assert b"/MediaBox [0 0 595.28 841.89]" in body
    assert body.count(b"/Subtype /Image") == 2
