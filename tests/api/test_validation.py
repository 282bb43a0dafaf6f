"""Strict bodies: every write route refuses what it cannot read exactly, naming the field,
and records nothing."""

from __future__ import annotations

import json
from typing import Any

from flask.testing import FlaskClient

from tests.api.helpers import (
    API,
    Commune,
    MakeToken,
    auth,
    commune_with_fund,
    disbursement,
    invalid,
    ledger,
    open_fund,
    post,
    problem,
    receipt,
    receive,
    transfer,
)

Route = tuple[str, str, dict[str, Any]]  # (path, token, a valid body)


def _world(client: FlaskClient, make_token: MakeToken) -> tuple[Commune, dict[str, Route], int]:
    """A fund holding one receipt, a second fund, and a valid request for every write route."""
    world = commune_with_fund(client, make_token)
    other = open_fund(client, world.treasurer, world.commune_id, "Quỹ cứu trợ", "relief")
    gift = receive(client, world.treasurer, world.fund_id, 1_000_000)
    f, t = world.fund_id, world.treasurer
    routes: dict[str, Route] = {
        "units": (
            "/units",
            world.admin,
            {"name": "Xã Mới", "level": "commune", "parent_id": world.province_id},
        ),
        "funds": ("/funds", t, {"unit_id": world.commune_id, "name": "Quỹ", "kind": "other"}),
        "receipts": (f"/funds/{f}/receipts", t, receipt(100_000)),
        "disbursements": (f"/funds/{f}/disbursements", t, disbursement(100_000)),
        "transfers": (f"/funds/{f}/transfers", t, transfer(other["id"], 100_000)),
        "reversal": (f"/funds/{f}/entries/{gift['entry_id']}/reversal", t, {"reason": "Nhầm"}),
        "period-closes": (f"/funds/{f}/period-closes", t, {"through": "2025-01-31"}),
    }
    return world, routes, gift["position"]


def _nothing_recorded(client: FlaskClient, world: Commune, position: int) -> None:
    entries = ledger(client, world.treasurer, world.fund_id, position)
    assert [(e["kind"], e["amount"]) for e in entries] == [("receipt", 1_000_000)]


MONEY_ROUTES = ("receipts", "disbursements", "transfers")


#: Amounts that are not a whole positive number of đồng within the limit, by what is wrong.
BAD_AMOUNTS = {
    "a string with dots": "100.000",
    "digits in a string": "100000",
    "a fraction": 100.5,
    "a float that is whole": 100.0,
    "a boolean": True,
    "zero": 0,
    "negative": -100_000,
    "above the maximum": 10_000_000_000_001,
    "null": None,
}


def test_an_amount_that_is_not_a_whole_positive_number_of_dong_is_refused_naming_amount(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world, routes, position = _world(client, make_token)

    for what, amount in BAD_AMOUNTS.items():
        for name in MONEY_ROUTES:
            path, token, body = routes[name]
            response = post(client, path, token, {**body, "amount": amount})
            assert response.status_code == 422, (what, name, response.get_json())
            invalid(response, "amount")

    _nothing_recorded(client, world, position)


def test_the_largest_allowed_amount_is_accepted(client: FlaskClient, make_token: MakeToken) -> None:
    world, routes, _ = _world(client, make_token)
    path, token, body = routes["receipts"]
    # Above a commune's default plausibility limit: the fund's own limit lets it through.
    limit = client.put(
        f"/api/v1/funds/{world.fund_id}/plausibility-limit",
        json={"amount": 10_000_000_000_000},
        headers={"Authorization": f"Bearer {world.admin}"},
    )
    assert limit.status_code == 200, limit.get_json()

    response = post(client, path, token, {**body, "amount": 10_000_000_000_000})

    assert response.status_code == 201, response.get_json()
    assert response.get_json()["balance"] == 10_000_000_000_000 + 1_000_000


def test_an_unknown_field_is_refused_naming_it_on_every_write_route(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world, routes, position = _world(client, make_token)

    for name, (path, token, body) in routes.items():
        response = post(client, path, token, {**body, "amout": 100_000})
        assert response.status_code == 422, (name, response.get_json())
        invalid(response, "amout")

    path, token, body = routes["receipts"]
    nested = {**body, "donor": {"name": "Nguyễn Văn An", "kind": "individual", "phone": "09"}}
    invalid(post(client, path, token, nested), "donor.phone")
    _nothing_recorded(client, world, position)


def test_a_missing_required_field_is_refused_naming_it(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world, routes, position = _world(client, make_token)
    required = {
        "units": ("name", "level"),
        "funds": ("unit_id", "name", "kind"),
        "receipts": ("amount", "occurred_on", "donor", "channel"),
        "disbursements": ("amount", "occurred_on", "category"),
        "transfers": ("to_fund_id", "amount", "occurred_on"),
        "reversal": ("reason",),
        "period-closes": ("through",),
    }

    for name, fields in required.items():
        path, token, _ = routes[name]
        body = invalid(post(client, path, token, {}), fields[0])
        assert set(fields) <= body["errors"].keys(), (name, body)

    _nothing_recorded(client, world, position)


#: Voucher dates the service cannot read, or out of its range, by what is wrong.
BAD_DAYS = {
    "no such day": "2025-02-30",
    "day first": "01/03/2025",
    "a time": "2025-03-01T10:00:00",
    "empty": "",
    "a number": 20250301,
    "too early": "1989-12-31",
    "too late": "2101-01-01",
}


def test_a_bad_voucher_date_is_refused_naming_the_date_field(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world, routes, position = _world(client, make_token)

    for what, day in BAD_DAYS.items():
        for name in (*MONEY_ROUTES, "period-closes"):
            path, token, body = routes[name]
            field = "through" if name == "period-closes" else "occurred_on"
            response = post(client, path, token, {**body, field: day})
            assert response.status_code == 422, (what, name, response.get_json())
            invalid(response, field)

    _nothing_recorded(client, world, position)


def test_a_value_outside_a_closed_vocabulary_is_refused_naming_the_field(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world, routes, position = _world(client, make_token)
    cases = [
        ("units", "level", {"level": "hamlet"}),
        ("funds", "kind", {"kind": "pension"}),
        ("receipts", "channel", {"channel": "crypto"}),
        ("receipts", "channel", {"channel": "Cash"}),
        ("receipts", "donor.kind", {"donor": {"name": "An", "kind": "company"}}),
        ("disbursements", "category", {"category": "party"}),
    ]

    for name, field, change in cases:
        path, token, body = routes[name]
        response = post(client, path, token, {**body, **change})
        assert response.status_code == 422, (name, change, response.get_json())
        invalid(response, field)

    _nothing_recorded(client, world, position)


def test_a_nul_byte_or_other_control_character_in_text_is_refused_naming_the_field(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world, routes, position = _world(client, make_token)
    cases = [
        ("units", "name", {"name": "Xã\x00Mới"}),
        ("units", "code", {"code": "VL\x00"}),
        ("funds", "name", {"name": "Quỹ\x00"}),
        ("receipts", "note", {"note": "Ủng hộ\x00"}),
        ("receipts", "donor.name", {"donor": {"name": "An\x00", "kind": "individual"}}),
        ("receipts", "voucher_no", {"voucher_no": "PT\x1b[31m"}),
        ("disbursements", "note", {"note": "\x00"}),
        ("transfers", "note", {"note": "a\x7fb"}),
        ("reversal", "reason", {"reason": "Nhầm\x00"}),
        ("period-closes", "through", {"through": "2025-01-31\x00"}),
    ]

    for name, field, change in cases:
        path, token, body = routes[name]
        response = post(client, path, token, {**body, **change})
        assert response.status_code == 422, (name, change, response.get_json())
        invalid(response, field)

    _nothing_recorded(client, world, position)


def test_an_id_that_is_not_a_uuid_is_refused_naming_the_field(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world, routes, position = _world(client, make_token)
    cases = [
        ("units", "parent_id", {"parent_id": "tỉnh-quảng-trị"}),
        ("funds", "unit_id", {"unit_id": 42}),
        ("receipts", "pledge_id", {"pledge_id": "P-1"}),
        ("disbursements", "household_id", {"household_id": "HH-1"}),
        ("transfers", "to_fund_id", {"to_fund_id": ""}),
    ]

    for name, field, change in cases:
        path, token, body = routes[name]
        response = post(client, path, token, {**body, **change})
        assert response.status_code == 422, (name, change, response.get_json())
        invalid(response, field)

    _nothing_recorded(client, world, position)


def test_text_longer_than_its_limit_is_refused_naming_the_field(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world, routes, position = _world(client, make_token)
    cases = [
        ("units", "name", {"name": "X" * 201}),
        ("receipts", "voucher_no", {"voucher_no": "9" * 51}),
        ("disbursements", "note", {"note": "n" * 1001}),
        ("reversal", "reason", {"reason": "r" * 501}),
    ]

    for name, field, change in cases:
        path, token, body = routes[name]
        response = post(client, path, token, {**body, **change})
        assert response.status_code == 422, (name, change, response.get_json())
        invalid(response, field)

    _nothing_recorded(client, world, position)


def test_goods_given_a_quantity_that_is_not_a_whole_positive_number_are_refused(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world, routes, position = _world(client, make_token)
    path, token, body = routes["receipts"]

    for quantity in ("3", 2.5, True, 0, -1):
        goods = {"description": "Gạo", "quantity": quantity, "unit": "bao"}
        invalid(
            post(client, path, token, {**body, "channel": "in_kind", "in_kind": goods}),
            "in_kind.quantity",
        )

    _nothing_recorded(client, world, position)


def test_a_body_that_is_not_a_json_object_is_refused_with_422(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world, routes, position = _world(client, make_token)

    for payload in ([], ["amount", 1], "receipt", 100_000, None):
        for name, (path, token, _) in routes.items():
            response = client.post(
                API + path,
                data=json.dumps(payload),
                content_type="application/json",
                headers=auth(token),
            )
            assert response.status_code == 422, (payload, name, response.get_json())
            invalid(response, "_body")

    _nothing_recorded(client, world, position)


def test_a_body_that_is_not_valid_json_is_refused_with_400(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world, routes, position = _world(client, make_token)
    bodies = [b'{"amount": 100000,', b"{'amount': 1}", b"", b"\xff\xfe{}", b"[" * 10_000]

    for name, (path, token, _) in routes.items():
        for raw in bodies:
            response = client.post(
                API + path, data=raw, content_type="application/json", headers=auth(token)
            )
            assert response.status_code == 400, (name, raw[:20], response.get_json())
            problem(response, 400, "malformed-body")

    _nothing_recorded(client, world, position)


def test_a_body_sent_with_another_content_type_is_refused_with_415(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world, routes, position = _world(client, make_token)

    for name, (path, token, body) in routes.items():
        for content_type in ("text/plain", "application/x-www-form-urlencoded", None):
            response = client.post(
                API + path, data=str(body).encode(), content_type=content_type, headers=auth(token)
            )
            assert response.status_code == 415, (name, content_type, response.get_json())
            problem(response, 415, "unsupported-media-type")

    _nothing_recorded(client, world, position)


def test_a_body_over_the_size_limit_is_refused_with_413(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world, routes, position = _world(client, make_token)

    for name, (path, token, body) in routes.items():
        response = post(client, path, token, {**body, "note": "x" * 70_000})
        assert response.status_code == 413, (name, response.get_json())
        problem(response, 413, "body-too-large")

    _nothing_recorded(client, world, position)


def test_a_body_just_under_the_size_limit_is_read_and_judged_on_its_fields(
    client: FlaskClient, make_token: MakeToken
) -> None:
    _, routes, _ = _world(client, make_token)
    path, token, body = routes["receipts"]

    invalid(post(client, path, token, {**body, "note": "x" * 60_000}), "note")


def test_an_idempotency_key_that_is_too_long_or_not_printable_is_refused(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world, routes, position = _world(client, make_token)
    path, token, body = routes["receipts"]

    for key in ("k" * 256, "thu\x01001"):
        response = client.post(
            API + path, json=body, headers={**auth(token), "Idempotency-Key": key}
        )
        invalid(response, "Idempotency-Key")

    _nothing_recorded(client, world, position)


def test_a_lone_surrogate_escape_is_refused_as_malformed_while_a_proper_pair_is_text(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world, routes, position = _world(client, make_token)
    path, token, body = routes["receipts"]
    lone_in_value = json.dumps({**body, "note": "x"}).replace('"x"', '"\\ud800"')
    lone_in_key = json.dumps({**body, "x": 1}).replace('"x"', '"\\udfff"')

    for raw in (lone_in_value, lone_in_key):
        response = client.post(
            API + path, data=raw, content_type="application/json", headers=auth(token)
        )
        problem(response, 400, "malformed-body")
    _nothing_recorded(client, world, position)

    escaped = '"Ch\\u00fac m\\u1eebng \\ud83c\\udf89"'  # "Chúc mừng 🎉", as ASCII escapes
    paired = json.dumps({**body, "note": "x"}).replace('"x"', escaped)
    response = client.post(
        API + path, data=paired, content_type="application/json", headers=auth(token)
    )
    assert response.status_code == 201, response.get_json()
    entry = ledger(client, world.treasurer, world.fund_id, response.get_json()["position"])[-1]
    assert entry["note"] == "Chúc mừng 🎉"
