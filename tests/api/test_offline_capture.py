"""Capture at a commune without a steady connection: the page's sending endpoint records
each captured record exactly once for its key, answers refusals with their reason for
correction, and stands behind the same login and CSRF check as every page."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from service.application import engine
from service.bootstrap import Services
from tests.api.helpers import (
    MakeToken,
    commune_with_fund,
    created,
    get,
    login,
    ok,
    post,
    receipt,
    register_household,
    with_meeting,
)

PAGE = "/thu-quy/ngoai-tuyen"


def sent(
    client: FlaskClient, body: dict[str, Any], key: str, token: str | None = None
) -> TestResponse:
    csrf = token or client.get(f"{PAGE}/phien").get_json()["csrf_token"]
    return client.post(
        f"{PAGE}/gui",
        json=body,
        headers={"X-CSRFToken": csrf, "Idempotency-Key": key},
    )


def gift(fund_id: str, **extra: Any) -> dict[str, Any]:
    return {
        "kind": "receipt",
        "fund_id": fund_id,
        "amount": "500.000",
        "occurred_on": "20/11/2026",
        "donor_name": "Nguyễn Văn An",
        **extra,
    }


def entries(client: FlaskClient, token: str, fund_id: str) -> list[dict[str, Any]]:
    svc: Services = client.application.extensions["sovang"]
    svc.runner.catch_up()
    items: list[dict[str, Any]] = ok(get(client, f"/funds/{fund_id}/entries", token))["items"]
    return items


def test_a_record_sent_twice_or_whose_answer_was_lost_is_recorded_once(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    login(client, world.treasurer)

    first = sent(client, gift(world.fund_id), "may-1-ban-ghi-1")
    again = sent(client, gift(world.fund_id), "may-1-ban-ghi-1")
    other = sent(client, gift(world.fund_id), "may-1-ban-ghi-2")

    assert first.status_code == again.status_code == other.status_code == 201
    assert again.get_json()["entry_id"] == first.get_json()["entry_id"]
    assert again.get_json()["replayed"] is True
    assert first.get_json()["slip_url"] == f"/thu-quy/phieu/{first.get_json()['entry_id']}"
    assert first.get_json()["slip_ref"].startswith("PT-")
    assert len(entries(client, world.treasurer, world.fund_id)) == 2


def test_a_record_refused_on_sync_comes_back_with_its_reason_and_field(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    created(post(client, f"/funds/{world.fund_id}/receipts", world.treasurer, receipt()))
    created(
        post(
            client,
            f"/funds/{world.fund_id}/period-closes",
            world.treasurer,
            {"through": "2026-11-30"},
        )
    )
    login(client, world.treasurer)

    closed = sent(client, gift(world.fund_id), "dong-so")
    bad_day = sent(client, gift(world.fund_id, occurred_on="31/02/2026"), "ngay-sai")
    overdraft = sent(
        client,
        {
            "kind": "payment",
            "fund_id": world.fund_id,
            "category": "tet_gift",
            "amount": "5.000.000",
            "occurred_on": "01/12/2026",
        },
        "chi-qua",
    )

    assert closed.status_code == 409
    assert closed.mimetype == "application/problem+json"
    assert "đã khóa" in closed.get_json()["detail"]
    assert bad_day.status_code == 422
    assert "occurred_on" in bad_day.get_json()["errors"]
    assert overdraft.status_code == 409
    assert len(entries(client, world.treasurer, world.fund_id)) == 1


def test_a_fund_busy_with_other_writers_asks_for_the_record_again_and_keeps_its_key_free(
    client: FlaskClient, make_token: MakeToken, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page keeps a record waiting, not refused, when the answer says to try again
    (Retry-After); sent again with the same key, it is recorded, not refused as before."""
    world = commune_with_fund(client, make_token)
    login(client, world.treasurer)
    monkeypatch.setattr(engine, "MAX_ATTEMPTS", 0)  # every attempt lost to other writers

    busy = sent(client, gift(world.fund_id), "may-1-ban-ghi-1")
    monkeypatch.undo()
    again = sent(client, gift(world.fund_id), "may-1-ban-ghi-1")

    assert busy.status_code == 409
    assert busy.mimetype == "application/problem+json"
    assert busy.headers["Retry-After"] == "1"
    assert again.status_code == 201
    assert again.get_json()["replayed"] is False
    assert len(entries(client, world.treasurer, world.fund_id)) == 1


def test_a_house_stage_is_recorded_from_the_phone(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    household = register_household(client, world.treasurer, world.commune_id)
    house = created(
        post(
            client,
            "/houses",
            world.treasurer,
            with_meeting(
                client,
                world.treasurer,
                {
                    "household_id": household,
                    "kind": "new_build",
                    "budget": {"fund": 40_000_000},
                    "approved_on": "2026-11-02",
                },
            ),
        )
    )["id"]
    login(client, world.treasurer)
    services: Services = client.application.extensions["sovang"]
    services.runner.catch_up()

    page = client.get(f"{PAGE}/").get_data(as_text=True)
    stage = sent(
        client,
        {"kind": "stage", "house_id": house, "stage": "started", "on": "03/11/2026"},
        "giai-doan-1",
    )
    skipped = sent(
        client,
        {"kind": "stage", "house_id": house, "stage": "handed_over", "on": "04/11/2026"},
        "giai-doan-2",
    )

    assert house in page
    assert stage.status_code == 201
    assert stage.get_json()["stage"] == "started"
    assert skipped.status_code == 409


def test_sending_needs_the_login_and_the_csrf_token_and_the_scripts_need_neither(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    anonymous = client.post(
        f"{PAGE}/gui", json=gift(world.fund_id), headers={"Idempotency-Key": "k"}
    )
    worker = client.get(f"{PAGE}/sw.js")
    login(client, world.treasurer)
    forged = sent(client, gift(world.fund_id), "k", token="not-the-token")
    page = client.get(f"{PAGE}/")

    assert anonymous.status_code in (303, 400)
    assert worker.status_code == 200
    assert worker.mimetype == "text/javascript"
    assert forged.status_code == 400
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert "worker-src 'self'" in page.headers["Content-Security-Policy"]
    assert len(entries(client, world.treasurer, world.fund_id)) == 0
