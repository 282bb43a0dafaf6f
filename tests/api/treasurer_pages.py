"""Helpers of the treasurers' pages tests: a commune with a fund and its treasurer signed
in, forms filled as a browser fills them (with the CSRF token and the idempotency key the
page made), and the page's text."""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass
from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.api.helpers import (
    MakeToken,
    commune_with_fund,
    created,
    login,
    post,
    receipt,
    register_household,
)

PAGES = "/thu-quy"


@dataclass(frozen=True)
class Desk:
    """A commune whose treasurer is signed in to the pages, with money in its fund."""

    admin: str
    province_id: str
    commune_id: str
    fund_id: str
    treasurer: str


def desk(client: FlaskClient, make_token: MakeToken, money: int = 5_000_000) -> Desk:
    world = commune_with_fund(client, make_token)
    created(post(client, f"/funds/{world.fund_id}/receipts", world.treasurer, receipt(money)))
    assert login(client, world.treasurer).status_code == 303
    caught_up(client)
    return Desk(world.admin, world.province_id, world.commune_id, world.fund_id, world.treasurer)


def selected(client: FlaskClient, treasurer: str, unit_id: str, household: str) -> str:
    """The id of a bình xét meeting of the unit, held on 10/02/2025, that selected
    ``household``, as a house or grant approval names it."""
    meeting = {
        "held_on": "2025-02-10",
        "purpose": "house",
        "attendees": 30,
        "chaired_by": "Trưởng ban công tác Mặt trận thôn",
        "nominees": [{"household_id": household, "votes_for": 28}],
        "minutes_name": "bien-ban-binh-xet.pdf",
        "minutes_sha256": hashlib.sha256(b"Bien ban binh xet").hexdigest(),
    }
    held: str = created(post(client, f"/units/{unit_id}/selection-meetings", treasurer, meeting))[
        "id"
    ]
    caught_up(client)
    return held


def selected_house(
    client: FlaskClient, treasurer: str, unit_id: str, budget: dict[str, int]
) -> str:
    """A house approved on 15/02/2025 with ``budget`` for a household of the unit that
    its bình xét selected; returns its id."""
    household = register_household(client, treasurer, unit_id)
    body = {
        "household_id": household,
        "kind": "new_build",
        "approved_on": "2025-02-15",
        "budget": budget,
        "meeting_id": selected(client, treasurer, unit_id, household),
    }
    house: str = created(post(client, "/houses", treasurer, body))["id"]
    caught_up(client)
    return house


def text_of(markup: str) -> str:
    """The page's text, tags dropped and entities read, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def shown(client: FlaskClient, path: str) -> str:
    """The HTML of a treasurer's page that must answer 200."""
    response = client.get(PAGES + path)
    assert response.status_code == 200, (response.status_code, response.get_data(as_text=True))
    return response.get_data(as_text=True)


def hidden(markup: str, name: str, form: int = 0) -> str:
    """The value of the hidden field ``name`` in the page's ``form``-th form."""
    found = re.findall(rf'name="{name}" value="([^"]+)"', markup)
    assert found, markup[:3000]
    return html.unescape(found[form])


def fill(
    client: FlaskClient, path: str, data: dict[str, Any], *, form: int = 0, action: str = ""
) -> tuple[TestResponse, dict[str, Any]]:
    """Opens the page at ``path`` and sends its ``form``-th form (to ``action`` if given)
    with ``data``; returns the answer and what was sent, to send it again."""
    markup = shown(client, path)
    sent = {
        "csrf_token": hidden(markup, "csrf_token"),
        "idempotency_key": hidden(markup, "idempotency_key", form),
        **data,
    }
    return client.post(PAGES + (action or path), data=sent), sent


def refused_beside(response: TestResponse, field: str, status: int = 422) -> str:
    """The reason shown beside ``field`` of a refused form, which came back with ``status``."""
    markup = response.get_data(as_text=True)
    assert response.status_code == status, markup
    field_id = "o-" + field.replace(".", "-").replace("_", "-")
    found = re.search(rf'<p class="error" id="[a-z0-9-]*{field_id}-loi">([^<]+)</p>', markup)
    assert found, markup
    assert f'aria-describedby="{field_id}-loi"' in markup or "-loi" in markup
    return html.unescape(found.group(1))


def typed(response: TestResponse, field: str) -> str:
    """What the refused form shows in ``field`` (an input's value)."""
    markup = response.get_data(as_text=True)
    found = re.search(rf'name="{re.escape(field)}" value="([^"]*)"', markup)
    assert found, markup
    return html.unescape(found.group(1))


def caught_up(client: FlaskClient) -> None:
    client.application.extensions["sovang"].runner.catch_up()
