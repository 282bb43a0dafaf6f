"""The answers to refused requests read in Vietnamese: the title, the detail and every
field message, while ``type`` keeps its stable English code."""

from __future__ import annotations

import html
import uuid
from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.api.helpers import (
    API,
    MakeToken,
    auth,
    commune_with_fund,
    created,
    disbursement,
    get,
    login,
    post,
    problem,
    receipt,
    receive,
)
from tests.unit.test_vietnamese_messages import english_in, is_vietnamese


def vietnamese(response: TestResponse, status: int, code: str) -> dict[str, Any]:
    """Checks a problem of ``status`` and ``code`` whose title, detail and field messages
    are Vietnamese; returns its body."""
    body = problem(response, status, code)
    assert body["type"] == "https://sovang.vn/problems/" + code, body
    assert is_vietnamese(body["title"]), body
    assert is_vietnamese(body["detail"]), body
    for field, messages in body.get("errors", {}).items():
        assert all(is_vietnamese(m) for m in messages), (field, messages)
    return body


def test_validation_errors_read_in_vietnamese_and_keep_the_api_field_names(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    path = f"/funds/{world.fund_id}/receipts"

    unknown = post(client, path, world.treasurer, receipt(colour="vàng"))
    assert vietnamese(unknown, 422, "validation-error")["errors"].keys() == {"colour"}

    as_text = post(client, path, world.treasurer, receipt(amount="100.000"))
    assert vietnamese(as_text, 422, "validation-error")["errors"].keys() == {"amount"}

    undated = {k: v for k, v in receipt().items() if k != "occurred_on"}
    missing = vietnamese(post(client, path, world.treasurer, undated), 422, "validation-error")
    assert missing["errors"].keys() == {"occurred_on"}

    no_name = receipt(donor={"name": " ", "kind": "individual"})
    refused = vietnamese(post(client, path, world.treasurer, no_name), 422, "invalid-input")
    assert refused["errors"].keys() == {"donor.name"}


def test_refusals_of_who_may_do_what_read_in_vietnamese(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    path = f"/funds/{world.fund_id}/receipts"

    vietnamese(post(client, path, None, receipt()), 401, "unauthorized")
    vietnamese(post(client, path, "not-a-token", receipt()), 401, "unauthorized")
    viewer = make_token("viewer", world.commune_id)
    refused = vietnamese(post(client, path, viewer, receipt()), 403, "forbidden")
    assert "chỉ xem" in refused["detail"], refused
    vietnamese(get(client, f"/funds/{uuid.uuid4()}", world.admin), 404, "fund-not-found")


def test_errors_of_the_web_framework_read_in_vietnamese(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)

    vietnamese(client.get(API + "/no-such-route", headers=auth(world.admin)), 404, "not-found")
    put = client.put(API + "/units", headers=auth(world.admin), json={})
    vietnamese(put, 405, "method-not-allowed")
    too_large = receipt(note="x" * 70_000)
    path = f"/funds/{world.fund_id}/receipts"
    vietnamese(post(client, path, world.treasurer, too_large), 413, "body-too-large")
    not_json = client.post(API + path, data=b"{", headers=auth(world.treasurer))
    vietnamese(not_json, 415, "unsupported-media-type")


def test_a_fund_short_of_money_says_how_much_it_holds_in_vietnamese_money(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    receive(client, world.treasurer, world.fund_id, 1_000_000)

    short = post(
        client, f"/funds/{world.fund_id}/disbursements", world.treasurer, disbursement(1_000_001)
    )

    detail = vietnamese(short, 409, "insufficient-funds")["detail"]
    assert "1.000.001 đ" in detail, detail
    assert "1.000.000 đ" in detail, detail


def test_a_closed_period_says_through_which_day_in_vietnamese(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    path = f"/funds/{world.fund_id}"
    created(post(client, f"{path}/period-closes", world.treasurer, {"through": "2025-06-30"}))

    late = post(client, f"{path}/receipts", world.treasurer, receipt(occurred_on="2025-06-01"))

    assert "30/06/2025" in vietnamese(late, 409, "period-closed")["detail"]


def test_pages_not_found_say_so_in_vietnamese_with_no_english_sentence(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    login(client, world.treasurer)
    unknown = "00000000-0000-4000-8000-000000000000"
    for path in (
        "/cong-khai/khong-co",
        "/cong-khai/bien-lai/PT-2026-000999-ABCDEF",
        f"/cong-khai/don-vi/{unknown}",
        f"/cong-khai/quy/{unknown}",
        "/thanh-tra/khong-co",
        f"/thanh-tra/quy/{unknown}",
        f"/thu-quy/phieu/{unknown}",
    ):
        answer = client.get(path)
        text = html.unescape(answer.get_data(as_text=True))
        assert answer.status_code == 404, path
        assert answer.mimetype == "text/html", path
        assert english_in(text) == [], (path, english_in(text))
        assert "Hãy" in text, path
