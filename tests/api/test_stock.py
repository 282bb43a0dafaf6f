"""Goods (hiện vật): received and given out by value, held in stock by quantity."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from tests.api.helpers import (
    MakeToken,
    commune_with_fund,
    created,
    disburse,
    disbursement,
    fund,
    get,
    ledger,
    ok,
    post,
    problem,
    receipt,
    receive,
    report,
    reverse,
)

COMPUTERS = {"description": "Máy tính", "quantity": 20, "unit": "chiếc"}
PHONES = {"description": "Điện thoại thông minh", "quantity": 124, "unit": "chiếc"}


def give(amount: int, goods: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return disbursement(amount, category="scholarship", in_kind=goods, **extra)


def test_the_stock_counts_goods_in_and_out_and_the_report_values_them_apart_from_money(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    receipts = f"/funds/{world.fund_id}/receipts"
    created(post(client, receipts, world.treasurer, receipt(2_000_000)))
    created(
        post(
            client,
            receipts,
            world.treasurer,
            receipt(300_000_000, "2025-02-01", "in_kind", in_kind=COMPUTERS),
        )
    )
    created(
        post(
            client,
            receipts,
            world.treasurer,
            receipt(477_000_000, "2025-02-01", "in_kind", in_kind=PHONES),
        )
    )
    given = created(
        post(
            client,
            f"/funds/{world.fund_id}/disbursements",
            world.treasurer,
            give(45_000_000, {"description": "máy tính", "quantity": 3, "unit": "Chiếc"}),
        )
    )

    assert given["balance"] == 2_000_000
    stock = ok(
        get(
            client, f"/funds/{world.fund_id}/stock", world.treasurer, min_position=given["position"]
        )
    )
    assert stock["items"] == [
        {
            "description": "Máy tính",
            "unit": "chiếc",
            "quantity_in": 20,
            "quantity_out": 3,
            "quantity_held": 17,
            "value_in": 300_000_000,
            "value_out": 45_000_000,
        },
        {
            "description": "Điện thoại thông minh",
            "unit": "chiếc",
            "quantity_in": 124,
            "quantity_out": 0,
            "quantity_held": 124,
            "value_in": 477_000_000,
            "value_out": 0,
        },
    ]
    shown = fund(client, world.treasurer, world.fund_id, given["position"])
    assert (shown["balance"], shown["total_in_kind"], shown["total_in_kind_out"]) == (
        2_000_000,
        777_000_000,
        45_000_000,
    )
    assert shown["total_disbursed"] == 0
    year = report(
        client, world.treasurer, world.commune_id, given["position"], "2025-01-01", "2025-12-31"
    )
    assert year["receipts"]["in_kind_value"] == 777_000_000
    assert year["receipts"]["total"] == 2_000_000
    assert year["disbursements"]["total"] == 0
    assert year["disbursements"]["in_kind_value"] == 45_000_000
    assert year["closing_balance"] == 2_000_000
    [*_, entry] = ledger(client, world.treasurer, world.fund_id, given["position"])
    assert entry["in_kind"] == {"description": "máy tính", "quantity": 3, "unit": "Chiếc"}
    assert (entry["effect"], entry["running_balance"]) == (0, 2_000_000)


def test_goods_cannot_be_given_out_beyond_what_the_fund_holds(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    receive(
        client, world.treasurer, world.fund_id, 300_000_000, channel="in_kind", in_kind=COMPUTERS
    )

    refused = post(
        client,
        f"/funds/{world.fund_id}/disbursements",
        world.treasurer,
        give(1, {**COMPUTERS, "quantity": 21}),
    )

    body = problem(refused, 409, "insufficient-stock")
    assert body["held"] == 20
    assert "20 chiếc" in body["detail"]


def test_reversing_goods_received_is_refused_once_some_were_given_out(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    received = receive(
        client, world.treasurer, world.fund_id, 300_000_000, channel="in_kind", in_kind=COMPUTERS
    )
    given = disburse(
        client,
        world.treasurer,
        world.fund_id,
        15_000_000,
        category="scholarship",
        in_kind={**COMPUTERS, "quantity": 1},
    )

    problem(
        post(
            client,
            f"/funds/{world.fund_id}/entries/{received['entry_id']}/reversal",
            world.treasurer,
            {"reason": "Ghi nhầm"},
        ),
        409,
        "insufficient-stock",
    )
    undone = reverse(client, world.treasurer, world.fund_id, given["entry_id"])
    stock = ok(
        get(
            client,
            f"/funds/{world.fund_id}/stock",
            world.treasurer,
            min_position=undone["position"],
        )
    )
    assert [
        (i["quantity_in"], i["quantity_out"], i["quantity_held"], i["value_out"])
        for i in stock["items"]
    ] == [(20, 0, 20, 0)]
