"""The double-entry books: every money event posts one balanced line on the fund's chart
of accounts; the journal, the ledgers, the trial balance and the settlement report are
read from those postings and agree with the unit report and the cash and bank books."""

from __future__ import annotations

import io
from typing import Any

from flask.testing import FlaskClient
from openpyxl import load_workbook

from service.api.postings_exports import MISA_COLUMNS
from tests.api.helpers import (
    MakeToken,
    commune_with_fund,
    created,
    disburse,
    get,
    invalid,
    ok,
    open_fund,
    post,
    receive,
    reverse,
    send,
)
from tests.api.test_reorganisation import _merge, _province

YEAR = {"from_": "2025-01-01", "to": "2025-12-31"}
#: The end of a period that holds today, when the reversals are made.
AHEAD = "2100-12-31"


def _read(client: FlaskClient, token: str, path: str, position: int, **params: Any) -> Any:
    return ok(get(client, path, token, min_position=position, **{**YEAR, **params}))


def _line(balance: dict[str, Any], account: str) -> dict[str, Any]:
    return next(line for line in balance["lines"] if line["account"] == account)


def test_every_money_event_posts_a_balanced_line_and_the_books_agree(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    fund, token = world.fund_id, world.treasurer
    other = open_fund(client, token, world.commune_id, "Quỹ cứu trợ", "relief")["id"]
    receive(client, token, fund, 5_000_000, occurred_on="2025-02-01", channel="cash")
    gift = receive(client, token, fund, 3_000_000, occurred_on="2025-02-02", channel="bank")
    receive(client, token, fund, 800_000, occurred_on="2025-02-03", channel="in_kind")
    disburse(client, token, fund, 1_000_000, occurred_on="2025-03-01", category="medical")
    send(client, token, fund, other, 500_000, occurred_on="2025-03-02")
    last = reverse(client, token, fund, gift["entry_id"])

    journal = _read(client, token, f"/funds/{fund}/journal", last["position"], to=AHEAD)
    postings = [(p["kind"], p["debit"], p["credit"], p["amount"]) for p in journal["items"]]
    assert postings[:5] == [
        ("receipt", "111", "35331", 5_000_000),
        ("receipt", "112", "35332", 3_000_000),
        ("receipt", "156", "35338", 800_000),
        ("disbursement", "35346", "111", 1_000_000),
        ("transfer_out", "3532", "112", 500_000),
    ]
    # The reversal posts the reversed legs again, negative, on the day it was made.
    assert postings[5] == ("reversal", "112", "35332", -3_000_000)
    assert journal["items"][5]["reverses_entry_id"] == gift["entry_id"]

    balance = _read(client, token, f"/funds/{fund}/trial-balance", last["position"], to=AHEAD)
    assert balance["balanced"] is True
    assert (
        balance["totals"]["period_debit"]
        == balance["totals"]["period_credit"]
        == sum(amount for *_, amount in postings)
    )
    assert _line(balance, "111")["closing_debit"] == 4_000_000
    assert _line(balance, "112")["closing_credit"] == 500_000  # the bank below zero, the fund not
    assert _line(balance, "156")["closing_debit"] == 800_000

    settlement = _read(client, token, f"/funds/{fund}/settlement", last["position"], to=AHEAD)
    assert settlement["receipts"]["total"] == 5_000_000  # the bank gift taken back
    assert settlement["payments"]["by_account"]["35346"] == 1_000_000
    assert settlement["transfers"] == {"in": 0, "out": 500_000}
    assert settlement["goods"]["closing"] == 800_000
    fund_now = ok(get(client, f"/funds/{fund}", token, min_position=last["position"]))
    assert settlement["closing_balance"] == fund_now["balance"] == 3_500_000

    # The cash and bank books from the postings close where today's books close.
    for code, book in (("111", "cash"), ("112", "bank")):
        ledger = _read(client, token, f"/funds/{fund}/ledgers/{code}", last["position"])
        today = ok(get(client, f"/funds/{fund}/books/{book}", token, year=2025))
        assert ledger["closing_balance"] == today["closing_balance"]
        assert ledger["items"][-1]["balance"] == ledger["closing_balance"]

    # The receiving fund posts the transfer in on the bank account.
    received = _read(client, token, f"/funds/{other}/journal", last["position"])
    assert [(p["debit"], p["credit"]) for p in received["items"]] == [("112", "3532")]


def test_the_books_come_as_vietnamese_files_and_as_vouchers_for_misa(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    fund, token = world.fund_id, world.treasurer
    receive(client, token, fund, 2_000_000, occurred_on="2025-04-01")
    last = disburse(client, token, fund, 700_000, occurred_on="2025-04-02", category="tet_gift")
    at = {"min_position": last["position"], **YEAR}

    csv = get(client, f"/funds/{fund}/trial-balance", token, format="csv-vi", **at)
    assert csv.status_code == 200
    assert 'filename="bang-can-doi-so-phat-sinh-2025-01-01-2025-12-31-' in str(
        csv.headers["Content-Disposition"]
    )
    text = csv.get_data().decode("utf-8-sig")
    assert "Bảng cân đối số phát sinh" in text
    assert "1.300.000 đ" in text
    assert "Điểm kiểm tra" in text

    for path in ("journal", "ledgers/111", "settlement"):
        answer = get(client, f"/funds/{fund}/{path}", token, format="xlsx", **at)
        assert answer.status_code == 200, path
        load_workbook(io.BytesIO(answer.get_data()))

    misa = get(client, f"/funds/{fund}/journal", token, format="misa", **at)
    sheet = load_workbook(io.BytesIO(misa.get_data())).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == MISA_COLUMNS
    assert [(r[3], r[5], r[6], r[7]) for r in rows[1:]] == [
        ("Phiếu thu", "111", "35331", 2_000_000),
        ("Phiếu chi", "35345", "111", 700_000),
    ]
    assert str(rows[1][2]).startswith("PT-2025-")
    assert str(rows[2][2]).startswith("PC-2025-")


def test_a_pledge_posts_what_is_owed_until_it_is_paid_or_closed(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    fund, token = world.fund_id, world.treasurer
    body = {"donor": {"name": "Công ty Bình Minh", "kind": "organisation"}, "amount": 9_000_000}
    pledge = created(post(client, f"/funds/{fund}/pledges", token, body))
    paid = receive(client, token, fund, 4_000_000, pledge_id=pledge["pledge_id"])
    owed = _read(client, token, f"/funds/{fund}/ledgers/1388", paid["position"], to=AHEAD)
    assert owed["closing_balance"] == 5_000_000
    closed = created(
        post(client, f"/pledges/{pledge['pledge_id']}/cancellation", token, {"reason": "Đổi ý"})
    )
    balance = _read(client, token, f"/funds/{fund}/trial-balance", closed["position"], to=AHEAD)
    assert balance["balanced"] is True
    assert _line(balance, "1388")["closing_debit"] == _line(balance, "3388")["closing_credit"] == 0


def test_an_unknown_account_or_a_period_out_of_order_is_refused_by_name(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    fund = world.fund_id
    refused = invalid(get(client, f"/funds/{fund}/ledgers/999", world.treasurer, **YEAR), "account")
    assert "111" in refused["detail"]
    backwards = {"from_": "2025-12-31", "to": "2025-01-01"}
    invalid(get(client, f"/funds/{fund}/trial-balance", world.treasurer, **backwards), "to")


def test_the_readmes_worked_example_reads_as_it_says(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    fund, token = world.fund_id, world.treasurer
    receive(client, token, fund, 5_000_000, occurred_on="2026-01-10", channel="cash")
    receive(client, token, fund, 2_000_000, occurred_on="2026-01-12", channel="bank")
    last = disburse(client, token, fund, 1_200_000, occurred_on="2026-01-20", category="medical")
    quarter = {"from_": "2026-01-01", "to": "2026-03-31"}
    balance = _read(client, token, f"/funds/{fund}/trial-balance", last["position"], **quarter)
    moved = {
        line["account"]: (line["period_debit"], line["period_credit"], line["closing_debit"])
        for line in balance["lines"]
        if line["period_debit"] or line["period_credit"]
    }
    assert moved == {
        "111": (5_000_000, 1_200_000, 3_800_000),
        "112": (2_000_000, 0, 2_000_000),
        "35331": (0, 5_000_000, 0),
        "35332": (0, 2_000_000, 0),
        "35346": (1_200_000, 0, 1_200_000),
    }
    assert balance["totals"] == {
        "opening_debit": 0,
        "opening_credit": 0,
        "period_debit": 8_200_000,
        "period_credit": 8_200_000,
        "closing_debit": 7_000_000,
        "closing_credit": 7_000_000,
    }
    following = {"from_": "2026-04-01", "to": "2026-06-30"}
    next_quarter = _read(client, token, f"/funds/{fund}/trial-balance", 0, **following)
    assert _line(next_quarter, "3531")["opening_credit"] == 5_800_000
    assert _line(next_quarter, "35331")["opening_credit"] == 0


def test_a_correction_of_a_closed_year_posts_in_the_open_period_and_leaves_the_year_alone(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    fund, token = world.fund_id, world.treasurer
    gift = receive(client, token, fund, 2_500_000, occurred_on="2025-06-01", channel="bank")
    close = created(post(client, f"/funds/{fund}/period-closes", token, {"through": "2025-12-31"}))
    journal = f"/funds/{fund}/journal"
    before = get(client, journal, token, min_position=close["position"], format="xlsx", **YEAR)
    closed_json = _read(client, token, journal, close["position"])

    reversal = reverse(client, token, fund, gift["entry_id"])

    after = get(client, journal, token, min_position=reversal["position"], format="xlsx", **YEAR)
    assert after.get_data() == before.get_data()
    assert {**_read(client, token, journal, reversal["position"]), "position": 0} == {
        **closed_json,
        "position": 0,
    }
    later = _read(client, token, journal, reversal["position"], from_="2026-01-01", to=AHEAD)
    [correction] = later["items"]
    assert correction["posted_on"] > "2025-12-31"
    assert (correction["debit"], correction["credit"], correction["amount"]) == (
        "112",
        "35332",
        -2_500_000,
    )


def test_an_open_pledge_moved_by_a_merger_is_owed_to_the_successors_fund(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = _province(client, make_token)
    donor = {"name": "Công ty CP Xi măng Sông Lam", "kind": "organisation"}
    body = {"donor": donor, "amount": 8_000_000}
    old_fund, treasurer = world.funds[1], world.treasurers[1]
    pledge = created(post(client, f"/funds/{old_fund}/pledges", treasurer, body))
    receive(client, treasurer, old_fund, 3_000_000, pledge_id=pledge["pledge_id"])
    merged = [_merge(client, world.approver, unit, world.successor_id) for unit in world.communes]
    new_fund = merged[1]["funds"][old_fund]
    at = merged[-1]["position"]

    def owed(fund: str) -> int:
        ledger = _read(client, world.admin, f"/funds/{fund}/ledgers/1388", at, to=AHEAD)
        return int(ledger["closing_balance"])

    assert (owed(old_fund), owed(new_fund)) == (0, 5_000_000)
    for fund in (old_fund, new_fund):
        balance = _read(client, world.admin, f"/funds/{fund}/trial-balance", at, to=AHEAD)
        assert balance["balanced"] is True
