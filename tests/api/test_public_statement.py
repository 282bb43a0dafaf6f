"""The public statement (sao kê) hides what the donor column hides in the memo too, finds
only what it shows, and totals money only: the whole statement's amount is the fund's
``total_received``."""

from __future__ import annotations

import csv
import io
from typing import Any

from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api.helpers import (
    MakeToken,
    created,
    every_item,
    fund,
    get,
    ok,
    open_fund,
    post,
    receipt,
    register_unit,
    reverse,
)

MEMO = "123456.100925.153012.CT tu 0123456789 TRAN THI BINH toi 0011001932418 ung ho"


def _gifts(client: FlaskClient, make_token: MakeToken) -> tuple[str, str, int]:
    admin = make_token("admin", name="Quản trị viên")
    commune = register_unit(client, admin, "Xã Cẩm Bình", "commune")["id"]
    treasurer = make_token("treasurer", commune, name="Thủ quỹ xã")
    fund_id = open_fund(client, treasurer, commune)["id"]
    path = f"/funds/{fund_id}/receipts"
    gifts = [
        receipt(
            500_000,
            channel="bank",
            bank_ref="5219.1317",
            note=MEMO,
            donor={"name": "Trần Thị Bình", "kind": "individual"},
        ),
        receipt(
            200_000,
            channel="bank",
            bank_ref="5219.1318",
            note="MBVCB.99887766 NGUYEN VAN HUNG chuyen tien ung ho",
            donor={"name": None, "kind": "anonymous"},
        ),
        receipt(
            9_000_000,
            channel="bank",
            bank_ref="5219.1319",
            note="CONG TY HONG PHAT TK 1903456789012 ung ho",
            donor={"name": "Công ty Hồng Phát", "kind": "organisation"},
        ),
    ]
    last = 0
    for body in gifts:
        last = created(post(client, path, treasurer, body))["position"]
    return fund_id, treasurer, last


def test_account_numbers_are_shown_by_their_last_three_digits_in_memos_too(
    client: FlaskClient, make_token: MakeToken
) -> None:
    fund_id, _, position = _gifts(client, make_token)

    shown = ok(get(client, f"/public/funds/{fund_id}/statement", None, min_position=position))
    page = client.get(f"/cong-khai/quy/{fund_id}").get_data(as_text=True)
    export = client.get(
        f"/api/v1/public/funds/{fund_id}/statement", query_string={"format": "csv"}
    ).get_data(as_text=True)

    memos = [item["memo"] for item in shown["items"]]
    assert memos[0] == ("***456.***925.***012.CT tu *******789 Trần T. B. toi **********418 ung ho")
    assert memos[2] == "CONG TY HONG PHAT TK **********012 ung ho"
    for text in (repr(shown), page, export):
        assert "0123456789" not in text
        assert "0011001932418" not in text
        assert "1903456789012" not in text
        assert "TRAN THI BINH" not in text
        assert "*******789" in text


def test_an_anonymous_gifts_memo_is_not_shown_and_a_full_name_confirms_no_donor(
    client: FlaskClient, make_token: MakeToken
) -> None:
    fund_id, treasurer, position = _gifts(client, make_token)
    path = f"/public/funds/{fund_id}/statement"

    shown = ok(get(client, path, None, min_position=position))

    def found(text: str) -> list[int]:
        return [i["amount"] for i in every_item(client, path, None, position, q=text)]

    assert [(i["donor_name"], i["memo"]) for i in shown["items"][:2]] == [
        ("Trần T. B.", shown["items"][0]["memo"]),
        (None, None),
    ]
    assert "NGUYEN VAN HUNG" not in repr(shown)
    assert found("nguyen van hung") == []
    assert found("tran thi binh") == []
    assert found("0123456789") == []
    assert found("tran t. b") == [500_000]
    assert found("hong phat") == [9_000_000]
    assert found("5219.1318") == [200_000]
    page = client.get(f"/cong-khai/quy/{fund_id}", query_string={"q": "tran thi binh"})
    assert "0 khoản" in page.get_data(as_text=True)
    # the fund's own readers still search and read the memo as written
    inside = every_item(client, f"/funds/{fund_id}/statement", treasurer, position, q="hung")
    assert [i["memo"] for i in inside] == ["MBVCB.99887766 NGUYEN VAN HUNG chuyen tien ung ho"]


channels = st.sampled_from(["cash", "bank", "in_kind", "payroll", "other"])
gifts = st.lists(
    st.tuples(st.integers(1, 5_000).map(lambda n: n * 1_000), channels, st.booleans()),
    min_size=1,
    max_size=12,
)


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(script=gifts)
def test_the_statements_total_is_the_funds_total_received_on_random_gifts(
    client: FlaskClient, make_token: MakeToken, script: list[tuple[int, str, bool]]
) -> None:
    admin = make_token("admin", name="Quản trị viên")
    commune = register_unit(client, admin, "Xã Mẫu", "commune")["id"]
    treasurer = make_token("treasurer", commune, name="Thủ quỹ xã")
    fund_id = open_fund(client, treasurer, commune)["id"]
    position = 0
    money = goods = cancelled = 0
    for amount, channel, cancel in script:
        body = receipt(amount, channel=channel)
        answer = created(post(client, f"/funds/{fund_id}/receipts", treasurer, body))
        position = answer["position"]
        if cancel:
            position = reverse(client, treasurer, fund_id, answer["entry_id"])["position"]
            cancelled += amount
        elif channel == "in_kind":
            goods += amount
        else:
            money += amount

    for path, token in (
        (f"/funds/{fund_id}/statement", treasurer),
        (f"/public/funds/{fund_id}/statement", None),
    ):
        totals: dict[str, Any] = ok(get(client, path, token, min_position=position))["totals"]
        lines = list(
            csv.reader(
                io.StringIO(
                    get(client, path, token, format="csv", min_position=position).get_data(
                        as_text=True
                    )
                )
            )
        )
        held = fund(client, treasurer, fund_id, position)
        assert totals["amount"] == held["total_received"] == money
        assert totals["in_kind_value"] == held["total_in_kind"] == goods
        assert (totals["count"], totals["reversed_amount"]) == (len(script), cancelled)
        assert lines[2][:6] == [
            "receipts",
            str(len(script)),
            "amount",
            str(money),
            "in_kind_value",
            str(goods),
        ]
