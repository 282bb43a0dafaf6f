"""Foreign currency on the treasurers' pages: a fund's list shows what may be paid in đồng
(its currency left out, as ``GET /funds/{id}`` does), a receipt in USD is recorded from
its form with the bank's đồng or a rate and its source, refused in Vietnamese beside the
field that is wrong, and currency is sold from the fund's page."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.api.helpers import MakeToken, created, fund, post, receipt
from tests.api.treasurer_pages import caught_up, desk, shown, text_of

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
