"""A foreign-currency account's statement imported: its credits are read in the currency
(a currency column, or the account's currency given on import) with the đồng the bank
credited, and recorded as receipts in that currency, once."""

from __future__ import annotations

from flask.testing import FlaskClient

from service.application.bank_import import ImportReport
from service.application.import_jobs import summary
from tests.api.helpers import MakeToken, commune_with_fund, fund, get, ok
from tests.api.test_bank_imports import finished, send

WITH_COLUMN = """Ngày,Mã giao dịch,Loại tiền,Số tiền,Số tiền quy đổi,Nội dung,Người chuyển
05/03/2025,FT25064000101,USD,"200,00",5.060.000,UNG HO QUY VI NGUOI NGHEO,JOHN NGUYEN
05/03/2025,FT25064000102,EUR,"50,50",1.390.000,UNG HO BAO LU,ANNA TRAN
06/03/2025,FT25065000103,VND,500.000,,UNG HO,NGUYEN VAN AN
06/03/2025,FT25065000104,USD,"10,00",,UNG HO,PETER LE
06/03/2025,FT25065000105,USD,"10,0055",250.000,UNG HO,PETER LE
"""

ACCOUNT_IN_USD = """Ngày,Mã giao dịch,Số tiền,Số tiền quy đổi,Nội dung,Người chuyển
07/03/2025,FT25066000201,"1.250,50",31.637.650,DONATION FOR FLOOD RELIEF,VIET ASSOCIATION MELBOURNE
"""


def test_a_statement_with_a_currency_column_records_each_credit_in_its_currency(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    token, fund_id = world.treasurer, world.fund_id
    data = WITH_COLUMN.encode()
    done = finished(client, token, send(client, token, fund_id, data, preset="sovang"))
    assert (done["recorded"], done["amount"], done["bad"]) == (
        3,
        5_060_000 + 1_390_000 + 500_000,
        2,
    )
    again = finished(client, token, send(client, token, fund_id, data, preset="sovang"))
    assert (again["recorded"], again["duplicates"]) == (0, 3)

    read = fund(client, token, fund_id, again["position"] or done["position"])
    assert {(h["currency"], h["amount"], h["carrying_value"]) for h in read["holdings"]} == {
        ("USD", 20_000, 5_060_000),
        ("EUR", 5_050, 1_390_000),
    }
    assert read["dong"] == 500_000
    entries = ok(get(client, f"/funds/{fund_id}/entries", token, min_position=done["position"]))
    assert [(e["currency"], e["foreign_amount"], e["amount"]) for e in entries["items"]] == [
        ("USD", 20_000, 5_060_000),
        ("EUR", 5_050, 1_390_000),
        (None, None, 500_000),
    ]


def test_the_accounts_currency_given_on_import_reads_a_statement_without_the_column(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    token, fund_id = world.treasurer, world.fund_id
    data = ACCOUNT_IN_USD.encode()
    done = finished(
        client, token, send(client, token, fund_id, data, preset="sovang", currency="USD")
    )
    assert (done["recorded"], done["amount"]) == (1, 31_637_650)
    read = fund(client, token, fund_id, done["position"])
    assert [(h["currency"], h["amount"], h["shown"]) for h in read["holdings"]] == [
        ("USD", 125_050, "1.250,50 USD")
    ]


WITH_DEBITS = """Ngày,Mã giao dịch,Loại tiền,Số tiền,Số tiền quy đổi,Nội dung,Người chuyển
05/03/2025,FT25064000301,USD,"100,00",2.530.000,UNG HO,JOHN NGUYEN
06/03/2025,FT25065000302,USD,"-20,00",-506.000,BAN NGOAI TE,
06/03/2025,FT25065000303,USD,"-1,50",,PHI NGAN HANG,
06/03/2025,FT25065000304,EUR,"-3,00",,PHI NGAN HANG,
07/03/2025,FT25066000305,VND,-11.000,,PHI SMS,
"""


def test_the_debits_of_a_foreign_currency_statement_are_totalled_in_dong_and_by_currency(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    token, fund_id = world.treasurer, world.fund_id
    data = WITH_DEBITS.encode()
    done = finished(client, token, send(client, token, fund_id, data, preset="sovang"))
    # The đồng lines and the bank's đồng for a converted line, never cents as đồng.
    assert (done["debits"], done["debits_amount"]) == (4, 506_000 + 11_000)
    assert done["debits_foreign"] == [
        {"currency": "EUR", "debits": 1, "amount": 300, "shown": "3,00 EUR"},
        {"currency": "USD", "debits": 2, "amount": 2_150, "shown": "21,50 USD"},
    ]
    debits = [line for line in done["not_recorded"] if line["outcome"] == "debit"]
    assert [line["amount"] for line in debits] == [506_000, None, None, 11_000]
    assert "1,50 USD" in debits[1]["reason"]
    assert "3,00 EUR" in debits[2]["reason"]


def test_the_command_line_summary_gives_the_foreign_debits_beside_the_dong() -> None:
    report = ImportReport(dry_run=False, lines=2, debits=2, debits_amount=11_000)
    report.debits_foreign["USD"] = {"debits": 1, "amount": 150}
    line = next(text for text in summary(report) if text.startswith("ghi nợ"))
    assert line == "ghi nợ (tiền ra, phí ngân hàng): 2 dòng, 11.000 đ; bằng ngoại tệ: 1,50 USD"
