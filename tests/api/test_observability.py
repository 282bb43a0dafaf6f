"""What operators watch: a JSON-ready log line per request without personal data,
request metrics by route and status, and a readiness that turns off when the
projections lag."""

from __future__ import annotations

import logging

import pytest
from flask import Flask
from flask.testing import FlaskClient
from prometheus_client import REGISTRY

from service.adapters import tokens
from service.config import Config
from service.domain.vocabulary import Level, Role
from service.entrypoints.wsgi import create_app
from tests.api.helpers import (
    MakeToken,
    commune_with_fund,
    created,
    get,
    post,
    problem,
    receipt,
    register_household,
)
from tests.conftest import ADMIN

RECEIPTS_ROUTE = "/api/v1/funds/<uuid:fund_id>/receipts"


def _requests(method: str, route: str, status: str) -> float:
    labels = {"method": method, "route": route, "status": status}
    return REGISTRY.get_sample_value("sovang_http_requests_total", labels) or 0.0


def test_requests_are_counted_by_route_pattern_and_status_with_their_latency(
    client: FlaskClient, make_token: MakeToken
) -> None:
    world = commune_with_fund(client, make_token)
    before = _requests("POST", RECEIPTS_ROUTE, "201")
    refused_before = _requests("POST", RECEIPTS_ROUTE, "422")

    for _ in range(3):
        created(post(client, f"/funds/{world.fund_id}/receipts", world.treasurer, receipt()))
    post(client, f"/funds/{world.fund_id}/receipts", world.treasurer, {"amount": "100.000"})
    text = client.get("/metrics").get_data(as_text=True)

    assert _requests("POST", RECEIPTS_ROUTE, "201") == before + 3
    assert _requests("POST", RECEIPTS_ROUTE, "422") == refused_before + 1
    assert "# TYPE sovang_http_request_seconds histogram" in text
    assert f'sovang_http_request_seconds_count{{method="POST",route="{RECEIPTS_ROUTE}"}}' in text
    assert world.fund_id not in text, "routes are counted by pattern, not by id"


def test_each_request_is_logged_with_its_id_route_status_and_latency_but_no_personal_data(
    client: FlaskClient, make_token: MakeToken, caplog: pytest.LogCaptureFixture
) -> None:
    world = commune_with_fund(client, make_token)
    caplog.set_level(logging.INFO)

    response = post(
        client,
        f"/funds/{world.fund_id}/receipts",
        world.treasurer,
        receipt(donor={"name": "Trương Thị Nguyệt Ánh", "kind": "individual"}),
        headers={"X-Request-Id": "req-obs-0001"},
    )
    register_household(
        client,
        world.admin,
        world.commune_id,
        head_name="Đinh Văn Khoa",
        cccd="045201000123",
        phone="0912345678",
    )

    lines = [r for r in caplog.records if r.name == "sovang.requests"]
    mine = next(r for r in lines if getattr(r, "request_id", None) == "req-obs-0001")
    assert response.status_code == 201
    assert mine.route == RECEIPTS_ROUTE  # type: ignore[attr-defined]
    assert mine.status == 201  # type: ignore[attr-defined]
    assert mine.latency_ms > 0  # type: ignore[attr-defined]
    assert mine.actor_id  # type: ignore[attr-defined]
    everything = "\n".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    for personal in ("Trương Thị Nguyệt Ánh", "Đinh Văn Khoa", "045201000123", "0912345678"):
        assert personal not in everything


def test_readyz_turns_not_ready_while_a_projection_lags_more_than_allowed(
    database_url: str, config: Config
) -> None:
    app: Flask = create_app(
        Config(
            database_url=database_url,
            ready_max_lag=2,
            signing_key_path=config.signing_key_path,
            personal_data_key_path=config.personal_data_key_path,
        )
    )
    services = app.extensions["sovang"]
    for name in ("Xã Một", "Xã Hai", "Xã Ba"):
        services.ledger.register_unit(ADMIN, name, Level.COMMUNE, None, None)
    client = app.test_client()

    lagging = problem(client.get("/readyz"), 503, "not-ready")
    services.runner.catch_up()
    ready = client.get("/readyz")

    assert lagging["lag"]["units"] == 3
    assert ready.status_code == 200
    assert ready.get_json()["status"] == "ready"
    services.close()


def test_metrics_show_the_read_model_pool_on_postgresql(client: FlaskClient, store: str) -> None:
    db = client.application.extensions["sovang"].db
    admin = tokens.create(db, name="admin", role=Role.ADMIN, unit_id=None)[1]
    get(client, "/units", admin)

    text = client.get("/metrics").get_data(as_text=True)

    if store == "sqlite":
        assert db.pool_stats() is None  # one connection per thread, no pool to watch
        return
    open_, idle, waiting = db.pool_stats()
    assert open_ >= 1
    assert 0 <= idle <= open_
    assert waiting == 0
    assert f'sovang_db_pool_connections{{state="open"}} {open_}.0' in text
