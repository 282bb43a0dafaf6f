"""Foreign currency on the treasurers' pages: a fund's list shows what may be paid in đồng
(its currency left out, as ``GET /funds/{id}`` does), a receipt in USD is recorded from
its form with the bank's đồng or a rate and its source, refused in Vietnamese beside the
field that is wrong, and currency is sold from the fund's page."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from tests.api.helpers import API, MakeToken, auth, created, fund, post, receipt
from tests.api.treasurer_pages import (
    PAGES,
    caught_up,
    desk,
    fill,
    refused_beside,
    shown,
    text_of,
    typed,
)

DAY = "2025-03-03"


def test_my_funds_show_what_may_be_paid_in_dong_as_the_fund_does(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = desk(client, make_token, money=5_000_000)
    body = receipt(10_000, occurred_on=DAY, channel="bank", currency="USD", vnd_amount=2_450_000)
    gift = created(post(client, f"/funds/{world.fund_id}/receipts", world.treasurer, body))
    read = fund(client, world.treasurer, world.fund_id, gift["position"])
    assert (read["balance"], read["dong"], read["available"]) == (7_450_000, 5_000_000, 5_000_000)
    caught_up(client)

    page = text_of(shown(client, "/"))

    assert "7.450.000 đ" in page
    assert "Còn dùng được 5.000.000 đ" in page
    assert "Còn dùng được 7.450.000 đ" not in page


def _entries(client: FlaskClient, token: str, fund_id: str) -> list[dict[str, Any]]:
    caught_up(client)
    answer = client.get(f"{API}/funds/{fund_id}/entries", headers=auth(token))
    assert answer.status_code == 200, answer.get_data(as_text=True)
    items: list[dict[str, Any]] = answer.get_json()["items"]
    return items


def test_a_usd_receipt_is_recorded_from_its_form_with_the_banks_dong_or_a_rate(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = desk(client, make_token)
    path = f"/quy/{world.fund_id}/thu"
    form = shown(client, path)
    assert 'name="currency"' in form
    assert 'name="rate_source"' in form
    gift = {"occurred_on": DAY, "donor.kind": "individual", "donor.name": "John Nguyen"}

    by_bank, _ = fill(
        client,
        path,
        {
            **gift,
            "amount": "100,00",
            "currency": "USD",
            "channel": "bank",
            "vnd_amount": "2.450.000",
            "bank_ref": "FT25062001",
        },
    )
    in_cash, _ = fill(
        client,
        path,
        {
            **gift,
            "amount": "50",
            "currency": "USD",
            "channel": "cash",
            "rate": "25.100,5",
            "rate_source": "Vietcombank, tỷ giá mua tiền mặt",
        },
    )

    assert by_bank.status_code == 200, by_bank.get_data(as_text=True)
    assert in_cash.status_code == 200, in_cash.get_data(as_text=True)
    assert "In phiếu thu" in in_cash.get_data(as_text=True)
    foreign = [
        (e["currency"], e["foreign_amount"], e["amount"], e["rate"], e["channel"])
        for e in _entries(client, world.treasurer, world.fund_id)
        if e["currency"]
    ]
    assert foreign == [
        ("USD", 10_000, 2_450_000, None, "bank"),
        ("USD", 5_000, 1_255_025, "25100.5", "cash"),
    ]
    page = text_of(shown(client, f"/quy/{world.fund_id}"))
    assert "100,00 USD" in page
    assert "50,00 USD" in page
    assert "Bán ngoại tệ" in page


def test_a_usd_receipt_refused_says_why_beside_the_field_in_vietnamese(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = desk(client, make_token)
    path = f"/quy/{world.fund_id}/thu"
    gift = {"occurred_on": DAY, "donor.kind": "anonymous", "channel": "bank", "currency": "USD"}
    cases = [
        ({"amount": "10,5555", "vnd_amount": "250.000"}, "amount", "USD"),
        ({"amount": "100"}, "vnd_amount", "Hãy"),
        ({"amount": "100", "vnd_amount": "2.450.000", "rate": "24500"}, "vnd_amount", "Hãy"),
        ({"amount": "100", "rate": "24500"}, "rate_source", "nguồn"),
        ({"amount": "100", "rate": "hai mươi", "rate_source": "VCB"}, "rate", "Hãy"),
    ]
    for typed_in, field, said in cases:
        answer, _ = fill(client, path, {**gift, **typed_in})
        reason = refused_beside(answer, field)
        assert said in reason, (typed_in, reason)
        assert typed(answer, "amount") == typed_in["amount"]
    assert [e for e in _entries(client, world.treasurer, world.fund_id) if e["currency"]] == []


def test_currency_is_sold_from_the_funds_page_and_not_more_than_is_held(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = desk(client, make_token)
    body = receipt(10_000, occurred_on=DAY, channel="bank", currency="USD", vnd_amount=2_450_000)
    created(post(client, f"/funds/{world.fund_id}/receipts", world.treasurer, body))
    caught_up(client)
    path = f"/quy/{world.fund_id}/ban-ngoai-te"
    sale = {"currency": "USD", "occurred_on": DAY, "channel": "bank", "vnd_amount": "1.000.000"}

    too_much, _ = fill(client, path, {**sale, "amount": "100,01"})
    assert "100,00 USD" in refused_beside(too_much, "amount", 409)
    sold, sent = fill(client, path, {**sale, "amount": "40,00"})
    again = client.post(PAGES + path, data=sent)

    assert sold.status_code == 200, sold.get_data(as_text=True)
    assert again.status_code == 200, again.get_data(as_text=True)
    sales = [
        (e["kind"], e["amount"])
        for e in _entries(client, world.treasurer, world.fund_id)
        if e["kind"] == "currency_sale"
    ]
    assert sales == [("currency_sale", 1_000_000)]
    read = fund(client, world.treasurer, world.fund_id, 0)
    assert [(h["amount"], h["carrying_value"]) for h in read["holdings"]] == [(6_000, 1_470_000)]
    assert read["dong"] == 5_000_000 + 1_000_000
