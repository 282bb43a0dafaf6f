"""The public routes cannot starve those who keep the books: each address has a budget
of requests, answers carry ETag and max-age (304 for a copy still current), public reads
have their own small pool and stop after a time limit."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service.adapters import tokens
from service.adapters.db import QueryTimedOut
from service.config import Config
from service.domain.vocabulary import Role
from service.entrypoints.wsgi import create_app
from tests.api.helpers import API, Commune, auth, commune_with_fund, created, post, problem, receipt


def tokens_of(app: Flask) -> Callable[..., str]:
    def make(role: str, unit_id: str | None = None, name: str = "test") -> str:
        return tokens.create(
            app.extensions["sovang"].db,
            name=name,
            role=Role(role),
            unit_id=uuid.UUID(unit_id) if unit_id else None,
        )[1]

    return make


@pytest.fixture
def limited(config: Config) -> Iterator[Flask]:
    app = create_app(replace(config, public_requests_per_minute=3, public_burst=3))
    yield app
    app.extensions["sovang"].close()


def world_of(app: Flask) -> Commune:
    client = app.test_client()
    world = commune_with_fund(client, tokens_of(app))
    created(post(client, f"/funds/{world.fund_id}/receipts", world.treasurer, receipt(90_000)))
    app.extensions["sovang"].runner.catch_up()
    return world


def test_the_public_routes_turn_away_an_address_that_asks_too_often(limited: Flask) -> None:
    world = world_of(limited)
    client = limited.test_client()

    def ask(path: str, address: str, token: str | None = None) -> int:
        return client.get(
            path, headers=auth(token), environ_base={"REMOTE_ADDR": address}
        ).status_code

    statement = f"{API}/public/funds/{world.fund_id}/statement"
    first = [ask(statement + f"?q=An{n}", "203.0.113.1") for n in range(3)]
    refused = client.get(statement, environ_base={"REMOTE_ADDR": "203.0.113.1"})
    page = ask(f"/cong-khai/quy/{world.fund_id}", "203.0.113.1")
    another = ask(statement, "203.0.113.2")
    treasurer = ask(f"{API}/funds/{world.fund_id}", "203.0.113.1", world.treasurer)

    assert first == [200, 200, 200]
    body = problem(refused, 429, "too-many-requests")
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert "thử lại" in body["detail"]
    assert page == 429
    assert another == 200
    assert treasurer == 200


@pytest.mark.parametrize("path", ["/api/v1/public/funds/{fund}/statement", "/cong-khai/quy/{fund}"])
def test_public_answers_carry_an_etag_and_a_max_age_and_answer_304_while_current(
    client: FlaskClient, make_token: Callable[..., str], path: str
) -> None:
    world = commune_with_fund(client, make_token)
    created(post(client, f"/funds/{world.fund_id}/receipts", world.treasurer, receipt(90_000)))
    client.application.extensions["sovang"].runner.catch_up()
    url = path.format(fund=world.fund_id)

    first = client.get(url, query_string={"q": "An"})
    again = client.get(
        url, query_string={"q": "An"}, headers={"If-None-Match": first.headers["ETag"]}
    )
    other_search = client.get(
        url, query_string={"q": "Bình"}, headers={"If-None-Match": first.headers["ETag"]}
    )
    created(post(client, f"/funds/{world.fund_id}/receipts", world.treasurer, receipt(10_000)))
    client.application.extensions["sovang"].runner.catch_up()
    changed = client.get(
        url, query_string={"q": "An"}, headers={"If-None-Match": first.headers["ETag"]}
    )

    assert first.status_code == 200
    assert first.headers["ETag"]
    assert first.headers["Cache-Control"] == "public, max-age=60"
    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == first.headers["ETag"]
    assert other_search.status_code == 200
    assert changed.status_code == 200
    assert changed.headers["ETag"] != first.headers["ETag"]


def slow_query(dialect: str) -> str:
    if dialect == "postgresql":
        return "SELECT pg_sleep(3)"
    return (
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000000) "
        "SELECT count(*) FROM n"
    )


def test_a_public_read_is_stopped_after_its_time_limit(config: Config, store: str) -> None:
    app = create_app(replace(config, public_query_seconds=0.3))
    public = app.extensions["sovang"].public_db
    started = time.monotonic()
    try:
        with pytest.raises(QueryTimedOut), public.transaction() as tx:
            tx.scalar(slow_query(store))
        stopped_after = time.monotonic() - started
        with public.transaction() as tx:
            still_serves = tx.scalar("SELECT 1 AS one")
    finally:
        app.extensions["sovang"].close()

    assert stopped_after < 2.5
    assert still_serves == 1


def test_a_public_read_past_its_limit_answers_503_with_retry_after(
    config: Config, store: str
) -> None:
    app = create_app(replace(config, public_query_seconds=0.3))

    @app.get("/api/v1/public/slow")
    def slow() -> str:
        with app.extensions["sovang"].public_db.transaction() as tx:
            tx.scalar(slow_query(store))
        return "never"

    started = time.monotonic()
    try:
        answer = app.test_client().get("/api/v1/public/slow")
    finally:
        app.extensions["sovang"].close()

    problem(answer, 503)
    assert answer.headers["Retry-After"]
    assert time.monotonic() - started < 2.5


def test_public_reads_take_no_connection_of_the_treasurers_pool(
    postgres_url: str,
    signing_key_path: Path,
    personal_data_key_path: Path,
    session_key_path: Path,
) -> None:
    app = create_app(
        Config(
            database_url=postgres_url,
            signing_key_path=signing_key_path,
            personal_data_key_path=personal_data_key_path,
            session_key_path=session_key_path,
        )
    )
    services = app.extensions["sovang"]
    try:
        world = world_of(app)
        services.close()  # as a fresh worker: no pool opened yet
        client = app.test_client()
        answers = [
            client.get(f"{API}/public/funds/{world.fund_id}/statement").status_code,
            client.get(f"/cong-khai/quy/{world.fund_id}", query_string={"q": "An"}).status_code,
            client.get(f"{API}/public/funds/{world.fund_id}/statement?format=csv").status_code,
        ]
        treasurers_pool = services.db.pool_stats()
        public_pool = services.public_db.pool_stats()
    finally:
        services.close()

    assert answers == [200, 200, 200]
    assert treasurers_pool is None
    assert public_pool is not None
    assert public_pool[0] <= services.config.public_pool_size
