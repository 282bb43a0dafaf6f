"""Helpers shared by the HTTP API tests: requests with a token, answers checked,
and a small world (a province, one of its communes and a fund) to write into."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

API = "/api/v1"
#: The voucher date used when a test does not care which day it is.
DAY = "2025-03-01"
PROBLEM_KEYS = {"type", "title", "status", "detail"}

MakeToken = Callable[..., str]


def auth(token: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"} if token is not None else {}


def post(
    client: FlaskClient,
    path: str,
    token: str | None,
    body: Any,
    *,
    key: str | None = None,
    headers: dict[str, str] | None = None,
) -> TestResponse:
    """POSTs ``body`` as JSON to ``/api/v1{path}``."""
    sent = auth(token)
    if key is not None:
        sent["Idempotency-Key"] = key
    sent.update(headers or {})
    return client.post(API + path, json=body, headers=sent)


def get(client: FlaskClient, path: str, token: str | None, **params: Any) -> TestResponse:
    """GETs ``/api/v1{path}``; ``from_`` is sent as ``from``."""
    if "from_" in params:
        params["from"] = params.pop("from_")
    query = {k: v for k, v in params.items() if v is not None}
    return client.get(API + path, query_string=query, headers=auth(token))


def created(response: TestResponse) -> dict[str, Any]:
    """The body of a 201 answer to a write, which always carries its log position."""
    assert response.status_code == 201, response.get_data(as_text=True)
    body: dict[str, Any] = response.get_json()
    assert isinstance(body["position"], int), body
    assert body["position"] > 0, body
    return body


def ok(response: TestResponse) -> dict[str, Any]:
    assert response.status_code == 200, response.get_data(as_text=True)
    body: dict[str, Any] = response.get_json()
    return body


def problem(response: TestResponse, status: int, type_suffix: str | None = None) -> dict[str, Any]:
    """Checks that ``response`` is an RFC 9457 problem with ``status``; returns its body."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json", response.mimetype
    body: dict[str, Any] = response.get_json()
    assert body.keys() >= PROBLEM_KEYS, body
    assert body["status"] == status
    assert all(isinstance(body[k], str) and body[k] for k in ("type", "title", "detail")), body
    if type_suffix is not None:
        assert body["type"].endswith(type_suffix), body["type"]
    return body


def invalid(response: TestResponse, field: str) -> dict[str, Any]:
    """Checks a 422 validation problem whose ``errors`` names ``field``."""
    body = problem(response, 422)
    assert field in body.get("errors", {}), body
    assert all(isinstance(m, str) and m for m in body["errors"][field]), body
    return body


# The world a test writes into ------------------------------------------------


@dataclass(frozen=True)
class Commune:
    """A province, one commune below it, the commune's fund and who may act on them."""

    admin: str
    province_id: str
    commune_id: str
    fund_id: str
    treasurer: str
    position: int


def register_unit(
    client: FlaskClient,
    admin: str,
    name: str,
    level: str,
    parent_id: str | None = None,
    code: str | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {"name": name, "level": level}
    if parent_id is not None:
        body["parent_id"] = parent_id
    if code is not None:
        body["code"] = code
    return created(post(client, "/units", admin, body))


def open_fund(
    client: FlaskClient,
    token: str,
    unit_id: str,
    name: str = "Quỹ Vì người nghèo",
    kind: str = "for_the_poor",
) -> dict[str, Any]:
    return created(post(client, "/funds", token, {"unit_id": unit_id, "name": name, "kind": kind}))


def commune_with_fund(client: FlaskClient, make_token: MakeToken) -> Commune:
    """With an admin token, registers a province and a commune below it; the commune's
    treasurer opens a fund."""
    admin = make_token("admin", name="Quản trị viên")
    province = register_unit(client, admin, "Tỉnh Quảng Trị", "province", code="QT")
    commune = register_unit(client, admin, "Xã Vĩnh Linh", "commune", province["id"])
    treasurer = make_token("treasurer", commune["id"], name="Thủ quỹ xã")
    fund = open_fund(client, treasurer, commune["id"])
    return Commune(admin, province["id"], commune["id"], fund["id"], treasurer, fund["position"])


def register_household(
    client: FlaskClient,
    token: str,
    unit_id: str,
    head_name: str = "Phạm Thị Lan",
    address: str = "Thôn Tân Lập, xã Vĩnh Linh",
    **extra: Any,
) -> str:
    """Registers a household of the unit (a near-poor one, since 2024); returns its id."""
    body = {
        "unit_id": unit_id,
        "head_name": head_name,
        "address": address,
        "members_count": 3,
        "categories": [{"category": "near_poor", "since": "2024-01-01"}],
        **extra,
    }
    answer: str = created(post(client, "/households", token, body))["id"]
    return answer


#: The SHA-256 of the minutes of the bình xét meetings the tests record.
MINUTES_SHA256 = hashlib.sha256(b"Bien ban hop binh xet").hexdigest()


def selecting_meeting(
    client: FlaskClient, token: str, household_id: str, held_on: str, purpose: str = "house"
) -> str:
    """Records the bình xét meeting of the household's unit that selects it on
    ``held_on`` (all 20 who attended voting for it); returns the meeting's id, which an
    approval of a house or a grant names as ``meeting_id``."""
    client.application.extensions["sovang"].runner.catch_up()
    unit = ok(get(client, f"/households/{household_id}", token))["unit_id"]
    body = {
        "held_on": held_on,
        "purpose": purpose,
        "attendees": 20,
        "chaired_by": "Trưởng ban công tác Mặt trận",
        "nominees": [{"household_id": household_id, "votes_for": 20}],
        "minutes_name": "bien-ban-binh-xet.pdf",
        "minutes_sha256": MINUTES_SHA256,
    }
    meeting: str = created(post(client, f"/units/{unit}/selection-meetings", token, body))["id"]
    return meeting


def with_meeting(
    client: FlaskClient, token: str, approval: dict[str, Any], purpose: str = "house"
) -> dict[str, Any]:
    """The body of an approval of a house or a grant naming the bình xét meeting that
    selected its household on the day of the approval (recorded by ``token``)."""
    held = selecting_meeting(
        client, token, approval["household_id"], approval["approved_on"], purpose
    )
    return {**approval, "meeting_id": held}


def house_under_way(
    client: FlaskClient, token: str, household_id: str, fund_share: int, kind: str = "new_build"
) -> str:
    """Approves a house for the household and records it accepted, so that its whole
    fund share may be paid; returns its id."""
    body = {
        "household_id": household_id,
        "kind": kind,
        "budget": {"fund": fund_share},
        "approved_on": "2025-01-02",
    }
    house = created(post(client, "/houses", token, with_meeting(client, token, body)))["id"]
    for stage, on in (("started", "2025-01-03"), ("completed", "2025-01-20")):
        created(post(client, f"/houses/{house}/stages", token, {"stage": stage, "on": on}))
    accepted = {"stage": "accepted", "on": "2025-01-25", "board_members": ["Ban nghiệm thu xã"]}
    created(post(client, f"/houses/{house}/stages", token, accepted))
    return str(house)


def grant(
    client: FlaskClient, token: str, household_id: str, value: int, item: str = "Bò cái sinh sản"
) -> str:
    """Approves a livelihood grant of ``value`` for the household; returns its id."""
    body = {"household_id": household_id, "item": item, "value": value, "approved_on": "2025-01-02"}
    answer: str = created(
        post(client, "/grants", token, with_meeting(client, token, body, "grant"))
    )["id"]
    return answer


# Entries --------------------------------------------------------------------


def receipt(
    amount: Any = 1_000_000, occurred_on: str = DAY, channel: str = "cash", **extra: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "amount": amount,
        "occurred_on": occurred_on,
        "donor": {"name": "Nguyễn Văn An", "kind": "individual"},
        "channel": channel,
    }
    if channel == "in_kind" and "in_kind" not in extra:
        body["in_kind"] = {"description": "Gạo", "quantity": 10, "unit": "bao"}
    body.update(extra)
    return body


def disbursement(
    amount: Any = 100_000, occurred_on: str = DAY, category: str = "tet_gift", **extra: Any
) -> dict[str, Any]:
    return {"amount": amount, "occurred_on": occurred_on, "category": category, **extra}


def transfer(
    to_fund_id: str, amount: Any = 100_000, occurred_on: str = DAY, **extra: Any
) -> dict[str, Any]:
    return {"to_fund_id": to_fund_id, "amount": amount, "occurred_on": occurred_on, **extra}


def receive(
    client: FlaskClient, token: str, fund_id: str, amount: int = 1_000_000, **kwargs: Any
) -> dict[str, Any]:
    return created(post(client, f"/funds/{fund_id}/receipts", token, receipt(amount, **kwargs)))


def disburse(
    client: FlaskClient, token: str, fund_id: str, amount: int = 100_000, **kwargs: Any
) -> dict[str, Any]:
    return created(
        post(client, f"/funds/{fund_id}/disbursements", token, disbursement(amount, **kwargs))
    )


def send(
    client: FlaskClient,
    token: str,
    fund_id: str,
    to_fund_id: str,
    amount: int = 100_000,
    **kwargs: Any,
) -> dict[str, Any]:
    return created(
        post(client, f"/funds/{fund_id}/transfers", token, transfer(to_fund_id, amount, **kwargs))
    )


def reverse(
    client: FlaskClient, token: str, fund_id: str, entry_id: str, reason: str = "Ghi nhầm số tiền"
) -> dict[str, Any]:
    return created(
        post(client, f"/funds/{fund_id}/entries/{entry_id}/reversal", token, {"reason": reason})
    )


# Reads ------------------------------------------------------------------------


def fund(client: FlaskClient, token: str, fund_id: str, position: int) -> dict[str, Any]:
    return ok(get(client, f"/funds/{fund_id}", token, min_position=position))


def every_item(
    client: FlaskClient, path: str, token: str, position: int, **params: Any
) -> list[dict[str, Any]]:
    """Every item of the list at ``path``, page after page, read at ``position``."""
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = ok(get(client, path, token, min_position=position, cursor=cursor, **params))
        items.extend(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            return items


def ledger(
    client: FlaskClient, token: str, fund_id: str, position: int, **params: Any
) -> list[dict[str, Any]]:
    """Every entry of the fund's ledger, page after page."""
    return every_item(client, f"/funds/{fund_id}/entries", token, position, **params)


def report(
    client: FlaskClient, token: str, unit_id: str, position: int, from_: str, to: str, **params: Any
) -> dict[str, Any]:
    return ok(
        get(
            client,
            f"/units/{unit_id}/report",
            token,
            min_position=position,
            from_=from_,
            to=to,
            **params,
        )
    )


# The inspector pages ---------------------------------------------------------

PAGES = "/thanh-tra"


def csrf_of(html: str) -> str:
    """The CSRF token of the first form on an HTML page."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, html[:2000]
    return found.group(1)


def login(client: FlaskClient, token: str) -> TestResponse:
    """Signs in to the inspector pages through the login form, as a browser does."""
    form = client.get(f"{PAGES}/dang-nhap")
    assert form.status_code == 200, form.get_data(as_text=True)
    return client.post(
        f"{PAGES}/dang-nhap",
        data={"token": token, "csrf_token": csrf_of(form.get_data(as_text=True))},
    )


def page(client: FlaskClient, path: str, **params: Any) -> str:
    """The HTML of an inspector page that must answer 200."""
    response = client.get(PAGES + path, query_string=params)
    assert response.status_code == 200, (response.status_code, response.get_data(as_text=True))
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)
