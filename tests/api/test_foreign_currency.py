"""Gifts in foreign currency: recorded in their currency and minor units with their đồng
value on the day, held per currency at their carrying value, sold for đồng with the
exchange difference posted to 413; overdraft, reversal, idempotency and period close
work per currency as for đồng."""

from __future__ import annotations

import csv
import io
from typing import Any

from flask.testing import FlaskClient
from openpyxl import load_workbook

from tests.api.helpers import (
    API,
    MakeToken,
    auth,
    commune_with_fund,
    created,
    disburse,
    fund,
    get,
    invalid,
    ok,
    post,
    problem,
    receipt,
    reverse,
)
from tests.api.test_reorganisation import _province as _province_of_communes

DAY = "2025-03-03"
YEAR = {"from_": "2025-01-01", "to": "2100-12-31"}


def _usd(
    client: FlaskClient, token: str, fund_id: str, cents: int, channel: str = "bank", **extra: Any
) -> Any:
    body = receipt(cents, occurred_on=DAY, channel=channel, currency="USD", **extra)
    return post(client, f"/funds/{fund_id}/receipts", token, body)


def _sell(
    client: FlaskClient, token: str, fund_id: str, cents: int, dong: int, **extra: Any
) -> Any:
    body = {"currency": "USD", "amount": cents, "vnd_amount": dong, "occurred_on": DAY, **extra}
    return post(client, f"/funds/{fund_id}/currency-sales", token, body)


def _lines(client: FlaskClient, token: str, fund_id: str, position: int) -> dict[str, Any]:
    balance = ok(
        get(client, f"/funds/{fund_id}/trial-balance", token, min_position=position, **YEAR)
    )
    assert balance["balanced"] is True, balance["totals"]
    return {line["account"]: line for line in balance["lines"]}


def test_a_usd_gift_is_held_in_usd_and_sold_with_its_exchange_difference(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    fund_id, token = world.fund_id, world.treasurer
    # 100,00 USD credited as 2.450.000 đ by the bank; 50,00 USD at a rate entered by hand.
    created(_usd(client, token, fund_id, 10_000, vnd_amount=2_450_000))
    second = created(
        _usd(client, token, fund_id, 5_000, rate="25100.5", rate_source="Vietcombank, mua CK")
    )
    shown = fund(client, token, fund_id, second["position"])
    assert shown["balance"] == 2_450_000 + 1_255_025
    assert shown["dong"] == 0
    assert shown["holdings"] == [
        {
            "currency": "USD",
            "held_in": "bank",
            "amount": 15_000,
            "carrying_value": 3_705_025,
            "shown": "150,00 USD",
        }
    ]
    entries = ok(get(client, f"/funds/{fund_id}/entries", token, min_position=second["position"]))
    rates = [(e["currency"], e["foreign_amount"], e["rate"]) for e in entries["items"]]
    assert rates == [("USD", 10_000, None), ("USD", 5_000, "25100.5")]

    # No đồng to pay with yet: the USD is not spent as đồng.
    problem(disburse_response(client, token, fund_id), 409, "insufficient-funds")
    # Nor can more USD be sold than held.
    problem(_sell(client, token, fund_id, 15_001, 4_000_000), 409, "insufficient-funds")

    # Sell 120,00 USD for 3.000.000 đ: out at average cost 2.964.020 đ, a gain of 35.980 đ.
    sold = created(_sell(client, token, fund_id, 12_000, 3_000_000))
    assert sold["carrying_value"] == 2_964_020
    assert sold["exchange_difference"] == 35_980
    assert sold["dong"] == 3_000_000
    lines = _lines(client, token, fund_id, sold["position"])
    assert lines["1122"]["closing_debit"] == 3_705_025 - 2_964_020
    assert lines["112"]["closing_debit"] == 3_000_000
    assert lines["413"]["period_credit"] == 35_980
    assert lines["35332"]["period_credit"] == 3_705_025

    # Sell the rest at a loss: 30,00 USD carried at 741.005 đ for 700.000 đ.
    rest = created(_sell(client, token, fund_id, 3_000, 700_000))
    assert rest["exchange_difference"] == -41_005
    assert rest["holdings"] == []
    lines = _lines(client, token, fund_id, rest["position"])
    assert lines["1122"]["closing_debit"] == lines["1122"]["closing_credit"] == 0
    assert lines["413"]["period_debit"] == 41_005
    assert lines["112"]["closing_debit"] == 3_700_000

    journal = ok(
        get(client, f"/funds/{fund_id}/journal", token, min_position=rest["position"], **YEAR)
    )
    kinds = [(p["kind"], p["debit"], p["credit"], p["amount"]) for p in journal["items"]]
    assert kinds[2:] == [
        ("currency_sale", "112", "1122", 2_964_020),
        ("currency_sale", "112", "413", 35_980),
        ("currency_sale", "112", "1122", 700_000),
        ("currency_sale", "413", "1122", 41_005),
    ]
    assert [(p["currency"], p["foreign_amount"]) for p in journal["items"]][:3] == [
        ("USD", 10_000),
        ("USD", 5_000),
        ("USD", 12_000),
    ]

    # The postings for MISA carry the currency, the rate booked and the original amount.
    misa = get(
        client,
        f"/funds/{fund_id}/journal",
        token,
        min_position=rest["position"],
        format="misa",
        **YEAR,
    )
    sheet = load_workbook(io.BytesIO(misa.get_data())).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][8:] == (
        "Loại tiền",
        "Đối tượng",
        "Mục đích, nguồn",
        "Tỷ giá",
        "Số tiền nguyên tệ",
    )
    assert [(r[3], r[5], r[6], r[7], r[8], r[11], r[12]) for r in rows[1:4]] == [
        ("Giấy báo Có", "1122", "35332", 2_450_000, "USD", "24500.00", "100.00"),
        ("Giấy báo Có", "1122", "35332", 1_255_025, "USD", "25100.50", "50.00"),
        ("Giấy báo Có", "112", "1122", 2_964_020, "USD", "24700.17", "120.00"),
    ]
    assert rows[4][8] == "VND"
    assert "(100,00 USD)" in str(rows[1][4])

    # The report counts the exchange difference; its balance equals the books'.
    report = ok(
        get(
            client,
            f"/units/{world.commune_id}/report",
            token,
            min_position=rest["position"],
            **YEAR,
        )
    )
    assert report["exchange_difference"] == 35_980 - 41_005
    assert report["closing_balance"] == 3_700_000
    assert report["receipts"]["by_channel"]["bank"] == 3_705_025
    assert report["foreign_currency"] == [
        {
            "currency": "USD",
            "received": 15_000,
            "received_dong": 3_705_025,
            "sold": 15_000,
            "sold_dong": 3_700_000,
            "shown": "150,00 USD",
        }
    ]
    exported = get(
        client,
        f"/units/{world.commune_id}/report",
        token,
        min_position=rest["position"],
        format="csv-vi",
        **YEAR,
    ).get_data(as_text=True)
    assert "Trong đó ngoại tệ: 150,00 USD" in exported
    assert "Chênh lệch tỷ giá khi bán ngoại tệ" in exported

    # Reversing the first sale puts its USD back at its carrying value and takes its đồng.
    back = created(
        post(
            client,
            f"/funds/{fund_id}/entries/{sold['entry_id']}/reversal",
            token,
            {"reason": "Ngân hàng hủy giao dịch"},
        )
    )
    shown = fund(client, token, fund_id, back["position"])
    assert shown["holdings"][0]["amount"] == 12_000
    assert shown["holdings"][0]["carrying_value"] == 2_964_020
    assert shown["dong"] == 700_000
    lines = _lines(client, token, fund_id, back["position"])
    assert lines["1122"]["closing_debit"] == 2_964_020
    assert lines["413"]["period_credit"] - lines["413"]["period_debit"] == -41_005


def disburse_response(client: FlaskClient, token: str, fund_id: str) -> Any:
    body = {"amount": 100_000, "occurred_on": DAY, "category": "tet_gift"}
    return post(client, f"/funds/{fund_id}/disbursements", token, body)


def test_a_usd_receipt_reversed_takes_its_usd_back_and_not_more_than_is_held(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    fund_id, token = world.fund_id, world.treasurer
    gift = created(_usd(client, token, fund_id, 10_000, vnd_amount=2_450_000))
    created(_sell(client, token, fund_id, 6_000, 1_500_000))
    # Only 40,00 USD are left: the gift of 100,00 USD cannot be reversed.
    refused = post(
        client, f"/funds/{fund_id}/entries/{gift['entry_id']}/reversal", token, {"reason": "Nhầm"}
    )
    assert "40,00 USD" in problem(refused, 409, "insufficient-funds")["detail"]

    other = created(_usd(client, token, fund_id, 2_000, vnd_amount=500_000, channel="cash"))
    # The 20,00 USD in the cash box are not on the bank account: 50,00 USD cannot be sold
    # from it, though the fund holds 60,00 USD in all.
    problem(_sell(client, token, fund_id, 5_000, 1_250_000), 409, "insufficient-funds")
    back = reverse(client, token, fund_id, other["entry_id"])
    shown = fund(client, token, fund_id, back["position"])
    assert [h["amount"] for h in shown["holdings"]] == [4_000]
    assert shown["dong"] == 1_500_000
    disburse(client, token, fund_id, 1_500_000, occurred_on=DAY)


def test_foreign_receipts_name_the_field_that_is_wrong(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    fund_id, token = world.fund_id, world.treasurer
    cases = [
        ({"currency": "XYZ", "vnd_amount": 1}, "currency"),
        ({"currency": "USD"}, "vnd_amount"),
        ({"currency": "USD", "vnd_amount": 2_450_000, "rate": "24500"}, "vnd_amount"),
        ({"currency": "USD", "rate": 24500.5, "rate_source": "VCB"}, "rate"),
        ({"currency": "USD", "rate": "24,500", "rate_source": "VCB"}, "rate"),
        ({"currency": "USD", "rate": "24500"}, "rate_source"),
    ]
    for extra, field in cases:
        body = receipt(10_000, occurred_on=DAY, channel="bank", **extra)
        answer = invalid(post(client, f"/funds/{fund_id}/receipts", token, body), field)
        assert "Hãy" in answer["detail"] + " ".join(answer["errors"][field]), answer
    goods = receipt(10_000, occurred_on=DAY, channel="in_kind", currency="USD", vnd_amount=1)
    invalid(post(client, f"/funds/{fund_id}/receipts", token, goods), "currency")
    body = {"currency": "USD", "amount": 1, "vnd_amount": 1.5, "occurred_on": DAY}
    invalid(post(client, f"/funds/{fund_id}/currency-sales", token, body), "vnd_amount")


def test_a_sale_is_idempotent_and_refused_in_a_closed_period(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    fund_id, token = world.fund_id, world.treasurer
    created(_usd(client, token, fund_id, 10_000, vnd_amount=2_450_000))
    body = {"currency": "USD", "amount": 4_000, "vnd_amount": 1_000_000, "occurred_on": DAY}
    path = f"/funds/{fund_id}/currency-sales"
    first = created(post(client, path, token, body, key="ban-usd-1"))
    again = created(post(client, path, token, body, key="ban-usd-1"))
    assert again["entry_id"] == first["entry_id"]
    shown = fund(client, token, fund_id, again["position"])
    assert shown["holdings"][0]["amount"] == 6_000
    closed = post(client, f"/funds/{fund_id}/period-closes", token, {"through": "2025-06-30"})
    created_or_ok = closed.status_code in (200, 201)
    assert created_or_ok, closed.get_data(as_text=True)
    problem(_sell(client, token, fund_id, 1_000, 250_000), 409, "period-closed")


def _public(client: FlaskClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_data(as_text=True)


def test_the_public_pages_show_the_dong_with_the_original_currency_beside_it(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    fund_id, token = world.fund_id, world.treasurer
    gift = created(_usd(client, token, fund_id, 10_000, vnd_amount=2_450_000))
    created(post(client, f"/funds/{fund_id}/receipts", token, receipt(500_000, occurred_on=DAY)))
    fund(client, token, fund_id, gift["position"] + 1)

    statement = _public(client, f"/cong-khai/quy/{fund_id}")
    assert "2.450.000 đ (100,00 USD)" in statement
    assert "tổng 2.950.000 đ (trong đó 100,00 USD = 2.450.000 đ)" in statement
    slip = _public(client, f"/cong-khai/bien-lai/{gift['entry_id']}")
    assert "2.450.000 đ (100,00 USD)" in slip
    shown = ok(get(client, f"/public/funds/{fund_id}/statement", None))
    first = shown["items"][0]
    assert (first["amount"], first["currency"], first["foreign_amount"]) == (
        2_450_000,
        "USD",
        10_000,
    )
    # The CSV export carries the currency and the original amount beside the đồng.
    exported = _public(client, f"/api/v1/public/funds/{fund_id}/statement?format=csv")
    lines = list(csv.reader(io.StringIO(exported)))
    assert lines[2][1:4] == ["2", "amount", "2950000"]
    assert lines[2][9:] == ["foreign", "USD", "10000", "2450000"]
    header = lines[4]
    rows = [dict(zip(header, line, strict=True)) for line in lines[5:]]
    assert [(r["amount"], r["currency"], r["foreign_amount"]) for r in rows] == [
        ("2450000", "USD", "10000"),
        ("500000", "", ""),
    ]


def test_the_bank_book_counts_the_currency_at_its_dong_value_and_a_sales_difference(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    fund_id, token = world.fund_id, world.treasurer
    created(_usd(client, token, fund_id, 10_000, vnd_amount=2_450_000))
    sold = created(_sell(client, token, fund_id, 4_000, 1_000_000))
    book = ok(
        get(client, f"/funds/{fund_id}/books/bank", token, min_position=sold["position"], year=2025)
    )
    assert [(line["kind"], line["money_in"]) for line in book["items"]] == [
        ("receipt", 2_450_000),
        ("currency_sale", 1_000_000 - 980_000),
    ]
    assert book["items"][-1]["running_balance"] == 2_470_000
    lines = _lines(client, token, fund_id, sold["position"])
    at_the_bank = sum(lines[code]["closing_debit"] for code in ("112", "1122"))
    assert at_the_bank == 2_470_000


def test_a_usd_gift_above_the_limit_waits_for_an_approver_and_a_held_reversal_reserves_dong(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    fund_id, token = world.fund_id, world.treasurer
    approver = make_token("approver", world.commune_id, name="Chủ tịch xã")
    limit = client.put(
        f"{API}/funds/{fund_id}/plausibility-limit",
        json={"amount": 2_000_000},
        headers=auth(approver),
    )
    assert limit.status_code == 200, limit.get_data(as_text=True)
    held = _usd(client, token, fund_id, 10_000, vnd_amount=2_450_000)
    assert held.status_code == 202, held.get_data(as_text=True)
    pending = held.get_json()["pending_id"]
    approved = created(
        post(client, f"/funds/{fund_id}/pending/{pending}/approval", approver, {"note": "Đủ"})
    )
    shown = fund(client, token, fund_id, approved["position"])
    assert [(h["currency"], h["amount"]) for h in shown["holdings"]] == [("USD", 10_000)]

    sold = created(_sell(client, token, fund_id, 10_000, 2_500_000))
    # The sale's reversal (above the limit) waits; meanwhile the đồng it would take back
    # is reserved: none of it may be paid.
    asked = post(
        client, f"/funds/{fund_id}/entries/{sold['entry_id']}/reversal", token, {"reason": "Hủy"}
    )
    assert asked.status_code == 202, asked.get_data(as_text=True)
    assert asked.get_json()["available"] == 0
    problem(disburse_response(client, token, fund_id), 409, "insufficient-funds")
    done = created(
        post(
            client,
            f"/funds/{fund_id}/pending/{asked.get_json()['pending_id']}/approval",
            approver,
            {"note": "Đủ"},
        )
    )
    shown = fund(client, token, fund_id, done["position"])
    assert [(h["amount"], h["carrying_value"]) for h in shown["holdings"]] == [(10_000, 2_450_000)]
    assert (shown["dong"], shown["available"]) == (0, 0)


def test_a_fund_holding_currency_is_not_merged_until_it_is_sold(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = _province_of_communes(client, make_token)
    fund_id, token = world.funds[0], world.treasurers[0]
    body = receipt(10_000, occurred_on="2025-03-03", channel="bank", currency="USD")
    created(post(client, f"/funds/{fund_id}/receipts", token, {**body, "vnd_amount": 2_450_000}))
    merge = {"successor_id": world.successor_id, "merged_on": "2025-07-01"}
    refused = post(client, f"/units/{world.communes[0]}/merge", world.approver, merge)
    assert "ngoại tệ" in problem(refused, 409, "merge-refused")["detail"]
    sale = {"currency": "USD", "amount": 10_000, "vnd_amount": 2_500_000, "occurred_on": DAY}
    created(post(client, f"/funds/{fund_id}/currency-sales", token, sale))
    created(post(client, f"/units/{world.communes[0]}/merge", world.approver, merge))
