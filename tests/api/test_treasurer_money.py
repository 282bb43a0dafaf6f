"""The treasurers' pages for money (/thu-quy/quy/...): a receipt sent twice records once and
links its phiếu thu, a payment for a house links its phiếu chi, a transfer, a reversal and
a period close; each refused form comes back with what was typed and the reason beside
the field it names."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.api.helpers import (
    API,
    MakeToken,
    auth,
    house_under_way,
    login,
    open_fund,
    register_household,
    register_unit,
)
from tests.api.treasurer_pages import (
    PAGES,
    caught_up,
    desk,
    fill,
    hidden,
    refused_beside,
    shown,
    text_of,
    typed,
)

DAY = "2025-03-01"


def _ledger(client: FlaskClient, token: str, fund_id: str) -> list[dict[str, object]]:
    caught_up(client)
    answer = client.get(f"{API}/funds/{fund_id}/entries", headers=auth(token))
    assert answer.status_code == 200, answer.get_data(as_text=True)
    items: list[dict[str, object]] = answer.get_json()["items"]
    return items


def test_a_page_of_the_treasurers_asks_for_the_login_first(client: FlaskClient) -> None:
    answer = client.get(f"{PAGES}/")

    assert answer.status_code == 303
    assert answer.headers["Location"].endswith("/thanh-tra/dang-nhap?ly_do=can-dang-nhap")


def test_today_shows_my_funds_with_their_balances(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = desk(client, make_token, money=5_000_000)
    caught_up(client)

    page = text_of(shown(client, "/"))

    assert "Quỹ Vì người nghèo" in page
    assert "5.000.000 đ" in page
    assert "Không có khoản nào chờ duyệt" in page
    assert world.fund_id in shown(client, "/")


def test_a_cash_receipt_sent_twice_is_recorded_once_and_links_its_receipt_slip(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = desk(client, make_token)
    gift = {
        "amount": "1.500.000",
        "occurred_on": DAY,
        "channel": "cash",
        "donor.kind": "individual",
        "donor.name": "Nguyễn Văn An",
    }

    first, sent = fill(client, f"/quy/{world.fund_id}/thu", gift)
    again = client.post(f"{PAGES}/quy/{world.fund_id}/thu", data=sent)

    assert first.status_code == 200, first.get_data(as_text=True)
    assert again.status_code == 200
    receipts = [
        e for e in _ledger(client, world.treasurer, world.fund_id) if e["amount"] == 1_500_000
    ]
    assert len(receipts) == 1
    entry = receipts[0]
    markup = first.get_data(as_text=True)
    assert f'<a id="in-phieu" href="/thu-quy/phieu/{entry["entry_id"]}">In phiếu thu</a>' in markup
    assert f'href="/thu-quy/phieu/{entry["entry_id"]}"' in again.get_data(as_text=True)
    assert entry["donor"] == {"name": "Nguyễn Văn An", "kind": "individual"}
    assert "Đã ghi vào sổ" in text_of(markup)


def test_a_receipt_by_bank_keeps_the_banks_reference_and_goods_their_quantity(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = desk(client, make_token)
    bank = {
        "amount": "200000",
        "occurred_on": DAY,
        "channel": "bank",
        "donor.kind": "organisation",
        "donor.name": "Công ty Hòa Bình",
        "bank_ref": "FT25060123",
    }
    goods = {
        "amount": "3.000.000",
        "occurred_on": DAY,
        "channel": "in_kind",
        "donor.kind": "anonymous",
        "in_kind.description": "Gạo",
        "in_kind.quantity": "200",
        "in_kind.unit": "kg",
    }

    by_bank, _ = fill(client, f"/quy/{world.fund_id}/thu", bank)
    in_kind, _ = fill(client, f"/quy/{world.fund_id}/thu", goods)

    assert by_bank.status_code == 200, by_bank.get_data(as_text=True)
    assert in_kind.status_code == 200, in_kind.get_data(as_text=True)
    assert "In phiếu thu" not in by_bank.get_data(as_text=True)
    entries = {e["channel"]: e for e in _ledger(client, world.treasurer, world.fund_id)}
    assert entries["bank"]["bank_ref"] == "FT25060123"
    assert entries["in_kind"]["in_kind"] == {"description": "Gạo", "quantity": 200, "unit": "kg"}


def test_a_refused_receipt_keeps_what_was_typed_and_names_the_field(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = desk(client, make_token)
    before = len(_ledger(client, world.treasurer, world.fund_id))

    not_money, _ = fill(
        client,
        f"/quy/{world.fund_id}/thu",
        {
            "amount": "một triệu",
            "occurred_on": DAY,
            "channel": "cash",
            "donor.kind": "individual",
            "donor.name": "Trần Thị Bình",
        },
    )
    no_name, _ = fill(
        client,
        f"/quy/{world.fund_id}/thu",
        {"amount": "100000", "occurred_on": DAY, "channel": "cash", "donor.kind": "individual"},
    )

    assert "số đồng" in refused_beside(not_money, "amount")
    assert typed(not_money, "amount") == "một triệu"
    assert typed(not_money, "donor.name") == "Trần Thị Bình"
    assert "tên người ủng hộ" in refused_beside(no_name, "donor.name").lower()
    assert len(_ledger(client, world.treasurer, world.fund_id)) == before


def test_a_payment_for_a_house_links_its_payment_slip_and_an_overdraft_is_refused(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = desk(client, make_token, money=2_000_000)
    household = register_household(client, world.treasurer, world.commune_id)
    house = house_under_way(client, world.treasurer, household, 1_000_000)
    caught_up(client)
    tranche = {
        "amount": "800.000",
        "occurred_on": DAY,
        "category": "house_new_build",
        "house_project_id": house,
        "channel": "cash",
    }

    form = shown(client, f"/quy/{world.fund_id}/chi?house_project_id={house}")
    paid, _ = fill(client, f"/quy/{world.fund_id}/chi?house_project_id={house}", tranche)
    too_much, _ = fill(
        client,
        f"/quy/{world.fund_id}/chi",
        {**tranche, "amount": "5.000.000", "category": "tet_gift", "house_project_id": ""},
    )

    assert paid.status_code == 200, paid.get_data(as_text=True)
    payment = next(
        e for e in _ledger(client, world.treasurer, world.fund_id) if e["kind"] == "disbursement"
    )
    assert payment["house_project_id"] == house
    assert '<option value="house_new_build" selected>' in form
    assert f'<option value="{house}" selected>' in form
    assert f'href="/thu-quy/phieu/{payment["entry_id"]}">In phiếu chi</a>' in paid.get_data(
        as_text=True
    )
    assert "1.200.000" in refused_beside(too_much, "amount", 409)
    assert typed(too_much, "amount") == "5.000.000"


def test_a_transfer_moves_money_and_one_to_no_fund_is_refused(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = desk(client, make_token, money=1_000_000)
    other = open_fund(client, world.treasurer, world.commune_id, "Quỹ cứu trợ", "relief")["id"]
    caught_up(client)

    moved, _ = fill(
        client,
        f"/quy/{world.fund_id}/chuyen",
        {"to_fund_id": other, "amount": "300000", "occurred_on": DAY},
    )
    nowhere, _ = fill(
        client, f"/quy/{world.fund_id}/chuyen", {"amount": "300000", "occurred_on": DAY}
    )

    assert moved.status_code == 200, moved.get_data(as_text=True)
    assert "700.000 đ" in text_of(moved.get_data(as_text=True))
    assert refused_beside(nowhere, "to_fund_id")


def test_a_reversal_needs_its_reason_and_cancels_the_entry(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = desk(client, make_token, money=1_000_000)
    entry = _ledger(client, world.treasurer, world.fund_id)[0]["entry_id"]
    path = f"/quy/{world.fund_id}/dao/{entry}"

    no_reason, _ = fill(client, path, {"reason": ""})
    reversed_, _ = fill(client, path, {"reason": "Ghi nhầm số tiền"})
    twice, _ = fill(client, path, {"reason": "Ghi nhầm lần nữa"})

    assert refused_beside(no_reason, "reason")
    assert reversed_.status_code == 200, reversed_.get_data(as_text=True)
    assert [
        e["reversed"]
        for e in _ledger(client, world.treasurer, world.fund_id)
        if e["entry_id"] == entry
    ] == [True]
    assert twice.status_code == 409
    assert 'id="loi-chung"' in twice.get_data(as_text=True)


def test_closing_a_period_refuses_a_receipt_dated_in_it(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = desk(client, make_token)

    closed, _ = fill(client, f"/quy/{world.fund_id}/khoa-so", {"through": "2025-03-31"})
    late, _ = fill(
        client,
        f"/quy/{world.fund_id}/thu",
        {
            "amount": "100000",
            "occurred_on": "2025-03-15",
            "channel": "cash",
            "donor.kind": "individual",
            "donor.name": "Lê Văn Cường",
        },
    )
    no_day, _ = fill(client, f"/quy/{world.fund_id}/khoa-so", {"through": ""})

    assert closed.status_code == 200, closed.get_data(as_text=True)
    assert "31/03/2025" in refused_beside(late, "occurred_on", 409)
    assert refused_beside(no_day, "through")


def test_a_form_without_its_csrf_token_or_outside_my_reach_is_refused(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = desk(client, make_token)
    elsewhere = register_unit(client, world.admin, "Xã Hải Lăng", "commune", world.province_id)
    stranger = make_token("treasurer", elsewhere["id"], name="Thủ quỹ xã Hải Lăng")
    browser = client.application.test_client()
    assert login(browser, stranger).status_code == 303
    gift = {"amount": "100000", "occurred_on": DAY, "channel": "cash", "donor.kind": "anonymous"}

    no_token = client.post(f"{PAGES}/quy/{world.fund_id}/thu", data=gift)
    foreign_page = browser.get(f"{PAGES}/quy/{world.fund_id}/thu")
    csrf = hidden(browser.get(f"{PAGES}/").get_data(as_text=True), "csrf_token")
    sent = {**gift, "csrf_token": csrf, "idempotency_key": "lan-1"}
    foreign = browser.post(f"{PAGES}/quy/{world.fund_id}/thu", data=sent)

    assert no_token.status_code == 400
    assert foreign_page.status_code == 403
    assert foreign.status_code == 403
    assert len(_ledger(client, world.treasurer, world.fund_id)) == 1
