"""The books as an accountant reads them: sổ thu, sổ chi, sổ quỹ tiền mặt and sổ tiền gửi
ngân hàng, each with its running figure, goods in columns of their own, every column
adding up to its total line; a reversal counted where and when it was made."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask.testing import FlaskClient
from openpyxl import load_workbook

from tests.api.helpers import (
    MakeToken,
    commune_with_fund,
    disburse,
    fund,
    get,
    ok,
    open_fund,
    receive,
    report,
    reverse,
    send,
)

GOODS = {"description": "Gạo", "quantity": 4, "unit": "bao"}


def today() -> str:
    return datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date().isoformat()


def _book(client: FlaskClient, token: str, fund_id: str, name: str, position: int) -> Any:
    return ok(
        get(
            client,
            f"/funds/{fund_id}/books/{name}",
            token,
            year=int(today()[:4]),
            min_position=position,
        )
    )


def _file(client: FlaskClient, token: str, fund_id: str, name: str, fmt: str) -> Any:
    response = get(
        client, f"/funds/{fund_id}/books/{name}", token, year=int(today()[:4]), format=fmt
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_data()


def test_every_column_of_the_payments_book_adds_up_to_its_total_line(
    client: FlaskClient, make_token: MakeToken
) -> None:
    """Goods given out and a payment reversed in the year once made the money column add
    up to more than the book's total; goods now have their own columns, and the reversal
    is a line of its own, its amount negative."""
    world = commune_with_fund(client, make_token)
    t, f, day = world.treasurer, world.fund_id, today()
    receive(client, t, f, 50_000_000, occurred_on=day)
    receive(client, t, f, 3_000_000, occurred_on=day, channel="in_kind", in_kind=GOODS)
    disburse(client, t, f, 26_800_000, occurred_on=day, category="house_new_build")
    disburse(client, t, f, 3_000_000, occurred_on=day, in_kind=GOODS)
    wrong = disburse(client, t, f, 3_000_000, occurred_on=day, category="medical")
    done = reverse(client, t, f, wrong["entry_id"])

    book = _book(client, t, f, "payments", done["position"])
    rows = list(
        csv.reader(io.StringIO(_file(client, t, f, "payments", "csv-vi").decode("utf-8-sig")))
    )
    sheet = load_workbook(io.BytesIO(_file(client, t, f, "payments", "xlsx"))).active
    assert sheet is not None
    cells = [list(row) for row in sheet.iter_rows(values_only=True)]

    assert [
        (i["money"], i["goods_value"], i["reversed"], i["reversal"]) for i in book["items"]
    ] == [
        (26_800_000, 0, False, False),
        (0, 3_000_000, False, False),
        (3_000_000, 0, True, False),
        (-3_000_000, 0, False, True),
    ]
    assert [i["running_total"] for i in book["items"]] == [
        26_800_000,
        26_800_000,
        29_800_000,
        26_800_000,
    ]
    assert book["total"] == sum(i["money"] for i in book["items"]) == 26_800_000
    assert book["totals"]["goods_value"] == 3_000_000
    header = next(i for i, row in enumerate(cells) if row[0] == "Ngày")
    lines, total = cells[header + 1 : -1], cells[-1]
    assert total[0] == "Cộng"
    for column in (6, 8):
        assert sum(line[column] or 0 for line in lines) == total[column]
    assert (total[6], total[8], total[9]) == (26_800_000, 3_000_000, 26_800_000)
    assert lines[3][10] == "Bút toán đảo: Ghi nhầm số tiền"
    assert rows[-1][0] == "Cộng"
    assert rows[-1][6] == "26.800.000 đ"


def test_the_cash_book_and_the_bank_book_each_keep_their_accounts_running_balance(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    t, f, day = world.treasurer, world.fund_id, today()
    other = open_fund(client, t, world.commune_id, "Quỹ cứu trợ", "relief")["id"]
    receive(client, t, f, 5_000_000, occurred_on=day)
    receive(client, t, f, 3_000_000, occurred_on=day, channel="bank", bank_ref="FT26001")
    receive(client, t, f, 2_000_000, occurred_on=day, channel="in_kind")
    disburse(client, t, f, 1_000_000, occurred_on=day)
    disburse(client, t, f, 500_000, occurred_on=day, channel="bank", bank_ref="UNC-01")
    last = send(client, t, f, other, 700_000, occurred_on=day)

    cash = _book(client, t, f, "cash", last["position"])
    bank = _book(client, t, f, "bank", last["position"])

    assert [(i["money_in"], i["money_out"], i["running_balance"]) for i in cash["items"]] == [
        (5_000_000, 0, 5_000_000),
        (0, 1_000_000, 4_000_000),
    ]
    assert [i["slip_ref"][:2] for i in cash["items"]] == ["PT", "PC"]
    assert [(i["bank_ref"], i["running_balance"]) for i in bank["items"]] == [
        ("FT26001", 3_000_000),
        ("UNC-01", 2_500_000),
        (None, 1_800_000),
    ]
    assert all(i["slip_ref"] is None for i in bank["items"])
    assert (cash["closing_balance"], bank["closing_balance"]) == (4_000_000, 1_800_000)
    balance = fund(client, t, f, last["position"])["balance"]
    assert cash["closing_balance"] + bank["closing_balance"] == balance
    rows = list(csv.reader(io.StringIO(_file(client, t, f, "cash", "csv-vi").decode("utf-8-sig"))))
    assert rows[-1] == ["Cộng", "", "", "", "5.000.000 đ", "1.000.000 đ", "4.000.000 đ", ""]


def test_reversing_an_entry_of_a_closed_period_counts_in_the_open_period_only(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    t, f, unit = world.treasurer, world.fund_id, world.commune_id
    receive(client, t, f, 4_000_000, occurred_on="2025-03-01")
    wrong = receive(client, t, f, 700_000, occurred_on="2025-03-02", channel="bank")
    ok_close = client.post(
        f"/api/v1/funds/{f}/period-closes",
        json={"through": "2025-12-31"},
        headers={"Authorization": f"Bearer {t}"},
    )
    assert ok_close.status_code == 201, ok_close.get_data(as_text=True)
    closed = report(client, t, unit, ok_close.get_json()["position"], "2025-01-01", "2025-12-31")

    done = reverse(client, t, f, wrong["entry_id"])
    again = report(client, t, unit, done["position"], "2025-01-01", "2025-12-31")
    now = report(client, t, unit, done["position"], f"{today()[:4]}-01-01", today())
    entries = ok(get(client, f"/funds/{f}/entries", t, min_position=done["position"]))["items"]

    assert {**again, "position": 0} == {**closed, "position": 0}
    assert closed["receipts"]["by_channel"]["bank"] == 700_000
    assert entries[-1]["occurred_on"] == today(), "the correction is dated in the open period"
    assert now["opening_balance"] == 4_700_000
    assert now["receipts"]["by_channel"]["bank"] == -700_000
    assert now["closing_balance"] == fund(client, t, f, done["position"])["balance"] == 4_000_000
