"""The fund's public statement (sao kê công khai): every receipt, searchable, exported as
CSV, and shown to the public with people's names masked."""

from __future__ import annotations

import csv
import io

from flask.testing import FlaskClient

from tests.api.helpers import (
    MakeToken,
    commune_with_fund,
    disburse,
    every_item,
    get,
    invalid,
    ok,
    problem,
    receive,
    register_unit,
    reverse,
)


def gifts(client: FlaskClient, make_token: MakeToken) -> tuple[object, int]:
    world = commune_with_fund(client, make_token)
    t, f = world.treasurer, world.fund_id
    receive(
        client,
        t,
        f,
        500_000,
        occurred_on="2025-09-10",
        channel="bank",
        bank_ref="FT25253000000001",
        note="ung ho dong bao bi lu",
    )
    receive(
        client,
        t,
        f,
        2_000_000,
        occurred_on="2025-09-11",
        donor={"name": "Trần Thị Bình", "kind": "individual"},
    )
    receive(
        client,
        t,
        f,
        10_000_000,
        occurred_on="2025-09-12",
        donor={"name": "Công ty TNHH Hồng Phát", "kind": "organisation"},
    )
    receive(
        client, t, f, 200_000, occurred_on="2025-09-12", donor={"name": None, "kind": "anonymous"}
    )
    wrong = receive(client, t, f, 300_000, occurred_on="2025-09-13")
    receive(client, t, f, 7_000_000, occurred_on="2025-09-13", channel="in_kind")
    disburse(client, t, f, 100_000)
    last = reverse(client, t, f, wrong["entry_id"])
    return world, last["position"]


def test_the_statement_lists_every_receipt_with_its_slip_and_memo(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world, position = gifts(client, make_token)

    items = every_item(
        client, f"/funds/{world.fund_id}/statement", world.treasurer, position, limit=2
    )

    # a bank credit and goods take no cash receipt slip (phiếu thu)
    assert [(i["slip_no"], i["amount"], i["donor_name"], i["reversed"]) for i in items] == [
        (None, 500_000, "Nguyễn Văn An", False),
        (1, 2_000_000, "Trần Thị Bình", False),
        (2, 10_000_000, "Công ty TNHH Hồng Phát", False),
        (3, 200_000, None, False),
        (4, 300_000, "Nguyễn Văn An", True),
        (None, 7_000_000, "Nguyễn Văn An", False),
    ]
    assert items[0]["memo"] == "ung ho dong bao bi lu"
    assert items[0]["bank_ref"] == "FT25253000000001"
    assert items[5]["in_kind"] == {"description": "Gạo", "quantity": 10, "unit": "bao"}


def test_the_statement_is_searched_by_amount_dates_and_a_name_without_diacritics(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world, position = gifts(client, make_token)
    path = f"/funds/{world.fund_id}/statement"

    def amounts(**query: object) -> list[int]:
        return [i["amount"] for i in every_item(client, path, world.treasurer, position, **query)]

    assert amounts(amount=2_000_000) == [2_000_000]
    assert amounts(min_amount=500_000, max_amount=7_000_000) == [500_000, 2_000_000, 7_000_000]
    assert amounts(from_="2025-09-12", to="2025-09-12") == [10_000_000, 200_000]
    assert amounts(q="nguyen van a") == [500_000, 300_000, 7_000_000]
    assert amounts(q="TRAN THI") == [2_000_000]
    assert amounts(q="hong phat") == [10_000_000]
    assert amounts(q="FT2525300") == [500_000]
    assert amounts(q="100%") == []
    invalid(get(client, path, world.treasurer, amount="1.000"), "amount")


def test_the_public_statement_masks_people_and_names_organisations(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world, position = gifts(client, make_token)

    shown = ok(get(client, f"/public/funds/{world.fund_id}/statement", None, min_position=position))

    assert [i["donor_name"] for i in shown["items"]] == [
        "Nguyễn V. A.",
        "Trần T. B.",
        "Công ty TNHH Hồng Phát",
        None,
        "Nguyễn V. A.",
        "Nguyễn V. A.",
    ]
    problem(get(client, "/public/funds/00000000-0000-0000-0000-000000000001/statement", None), 404)


def test_the_statement_exports_as_csv_with_its_count_sum_and_cut_off(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world, position = gifts(client, make_token)

    response = client.get(
        f"/api/v1/public/funds/{world.fund_id}/statement",
        query_string={"format": "csv", "min_position": position, "q": "nguyen"},
    )

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    lines = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert lines[1] == ["cut_off_position", str(position)]
    # money only in the amount: the reversed receipt and the goods are counted apart
    assert lines[2] == [
        "receipts",
        "3",
        "amount",
        "500000",
        "in_kind_value",
        "7000000",
        "reversed",
        "1",
        "300000",
    ]
    assert lines[4][:4] == ["slip_ref", "slip_no", "occurred_on", "amount"]
    assert [(row[3], row[4]) for row in lines[5:]] == [
        ("500000", "Nguyễn V. A."),
        ("300000", "Nguyễn V. A."),
        ("7000000", "Nguyễn V. A."),
    ]


def test_a_fund_statement_is_read_only_within_reach(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    other = register_unit(client, world.admin, "Xã Khác", "commune", world.province_id)
    path = f"/funds/{world.fund_id}/statement"
    ok(get(client, path, world.treasurer, min_position=other["position"]))

    problem(
        get(client, f"/funds/{world.fund_id}/statement", make_token("viewer", other["id"])), 403
    )
    problem(get(client, f"/funds/{world.fund_id}/statement", None), 401)
    ok(get(client, f"/funds/{world.fund_id}/statement", make_token("viewer", world.province_id)))
