"""Tokens that expire, and a client that guesses tokens being turned away."""

from __future__ import annotations

import subprocess
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from flask import Flask
from flask.testing import FlaskClient

from service.adapters import token_cache, tokens
from service.adapters.throttle import SharedCount, TooManyFailures
from service.bootstrap import Services
from service.config import Config
from service.domain.vocabulary import Role
from service.entrypoints.wsgi import create_app
from tests.api.helpers import PAGES, auth, csrf_of, get, ok, problem
from tests.e2e.cli import SOVANG, run, sovang_env


def test_an_expired_token_answers_401_and_one_not_yet_expired_works(
    client: FlaskClient,
) -> None:
    db = client.application.extensions["sovang"].db
    now = datetime.now(UTC)
    _, expired = tokens.create(
        db, name="hết hạn", role=Role.ADMIN, unit_id=None, expires_at=now - timedelta(seconds=1)
    )
    _, valid = tokens.create(
        db, name="còn hạn", role=Role.ADMIN, unit_id=None, expires_at=now + timedelta(days=1)
    )

    refused = problem(get(client, "/units", expired), 401, "unauthorized")
    ok(get(client, "/units", valid))

    assert "hết hạn" in refused["detail"]


def limited_app(config: Config, limit: int, trusted_proxies: str = "") -> Flask:
    """An app (a worker) whose throttle turns a client away after ``limit`` failures."""
    return create_app(
        replace(config, auth_failures_per_minute=limit, trusted_proxies=trusted_proxies)
    )


def test_a_valid_token_is_never_refused_because_others_failed_from_its_address(
    config: Config,
) -> None:
    app = limited_app(config, 3)
    client = app.test_client()
    db = app.extensions["sovang"].db
    _, good = tokens.create(db, name="admin", role=Role.ADMIN, unit_id=None)
    _, inspector = tokens.create(db, name="thanh tra", role=Role.INSPECTOR, unit_id=None)

    guesses = [get(client, "/units", f"sv_guess{n}").status_code for n in range(60)]
    valid = get(client, "/units", good)
    form = client.get(f"{PAGES}/dang-nhap").get_data(as_text=True)
    signed_in = client.post(
        f"{PAGES}/dang-nhap", data={"token": inspector, "csrf_token": csrf_of(form)}
    )
    stranger = app.test_client()
    form = stranger.get(f"{PAGES}/dang-nhap").get_data(as_text=True)
    wrong_login = stranger.post(
        f"{PAGES}/dang-nhap", data={"token": "sv_guess", "csrf_token": csrf_of(form)}
    )
    missing = client.get("/api/v1/units")

    assert guesses[:3] == [401, 401, 401]
    assert set(guesses[3:]) == {429}
    body = problem(app.test_client().get("/api/v1/units", headers=auth("sv_x")), 429)
    assert body["type"].endswith("too-many-failed-authentications")
    assert "thử lại" in body["detail"]
    ok(valid)
    assert signed_in.status_code == 303
    assert wrong_login.status_code == 429
    assert missing.status_code == 401  # no token at all is no guess, and costs no lookup
    with db.transaction() as tx:
        assert tx.scalar("SELECT count(*) FROM request_counts") == 3
    app.extensions["sovang"].close()


def test_failed_authentications_are_counted_across_workers(config: Config) -> None:
    workers = [limited_app(config, 3) for _ in range(3)]

    answers = [get(workers[n % 3].test_client(), "/units", f"sv_{n}").status_code for n in range(4)]

    assert answers == [401, 401, 401, 429]
    for worker in workers:
        worker.extensions["sovang"].close()


def test_x_forwarded_for_names_the_client_only_from_a_trusted_proxy(config: Config) -> None:
    app = limited_app(config, 2, trusted_proxies="10.0.0.1, 192.168.0.0/16")
    client = app.test_client()

    def guess(peer: str, forwarded: str | None = None) -> int:
        headers = auth("sv_guess")
        if forwarded is not None:
            headers["X-Forwarded-For"] = forwarded
        return client.get(
            "/api/v1/units", headers=headers, environ_base={"REMOTE_ADDR": peer}
        ).status_code

    behind_proxy = [guess("10.0.0.1", "203.0.113.5") for _ in range(3)]
    another_client = guess("10.0.0.1", "198.51.100.1, 203.0.113.6")
    through_two_proxies = guess("10.0.0.1", "203.0.113.5, 192.168.4.4")
    spoofed = [guess("198.51.100.9", f"203.0.113.{n}") for n in range(10, 13)]
    spoofing_the_proxy = guess("198.51.100.20", "10.0.0.1")

    assert behind_proxy == [401, 401, 429]
    assert another_client == 401
    assert through_two_proxies == 429
    assert spoofed == [401, 401, 429]
    assert spoofing_the_proxy == 401
    app.extensions["sovang"].close()


def test_the_failures_of_a_client_are_forgotten_after_a_minute(services: Services) -> None:
    now = [1000.0]
    failures = SharedCount(
        lambda: services.db, "auth-failure", 2, clock=lambda: now[0], refusal=TooManyFailures
    )
    failures.count("10.0.0.7")
    now[0] += 0.5
    failures.count("10.0.0.7")

    try:
        failures.count("10.0.0.7")
        raised = None
    except TooManyFailures as error:
        raised = error
    failures.count("10.0.0.8")  # another client is not held back
    now[0] += 60.0
    failures.count("10.0.0.7")

    assert raised is not None
    assert raised.retry_after == 60
    with services.db.transaction() as tx:
        assert tx.scalar("SELECT count(*) FROM request_counts") == 1  # the old are gone


def test_token_create_can_set_an_expiry_in_days(database_url: str) -> None:
    env = sovang_env(database_url)
    made = run(env, "token", "create", "--role", "admin", "--name", "Kiểm toán",
               "--expires-in-days", "30")  # fmt: skip
    assert made.returncode == 0, made.stdout + made.stderr
    refused = run(
        env, "token", "create", "--role", "admin", "--name", "x", "--expires-in-days", "0"
    )

    until = (datetime.now(UTC) + timedelta(days=30)).strftime("%d/%m/%Y")
    assert f"đến {until}" in made.stdout
    assert made.stdout.strip().splitlines()[-1].startswith("sv_")
    assert refused.returncode != 0


def _units_status(client: FlaskClient, token: str) -> int:
    return get(client, "/units", token).status_code


def test_a_token_revoked_by_another_process_is_refused_by_a_worker_that_saw_it(
    client: FlaskClient, database_url: str
) -> None:
    """The worker keeps the tokens it has seen on PostgreSQL; a revocation by the command
    line, another process, reaches it by the notification and is refused within a second.
    On SQLite nothing is kept and the next request is refused."""
    svc = client.application.extensions["sovang"]
    token_id, token = tokens.create(svc.db, name="cũ", role=Role.ADMIN, unit_id=None)
    if svc.db.dialect == "postgresql":
        assert svc.token_cache.wait_until_listening(10)
    assert _units_status(client, token) == 200

    subprocess.run(
        [SOVANG, "token", "revoke", token_id],
        env=sovang_env(database_url),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    deadline = time.monotonic() + 1.0
    while (status := _units_status(client, token)) == 200 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert status == 401
    _, other = tokens.create(svc.db, name="mới", role=Role.ADMIN, unit_id=None)
    assert _units_status(client, other) == 200


def test_a_worker_reads_a_token_it_keeps_only_once(client: FlaskClient) -> None:
    """On PostgreSQL the kept actor serves the next requests without a read: a change made
    by hand in the database without the notification is not seen, and is as soon as it
    is announced. On SQLite nothing is kept: the change is seen at once."""
    svc = client.application.extensions["sovang"]
    token_id, token = tokens.create(svc.db, name="giữ", role=Role.ADMIN, unit_id=None)
    if svc.db.dialect == "postgresql":
        assert svc.token_cache.wait_until_listening(10)
    assert _units_status(client, token) == 200

    with svc.db.transaction(write=True) as tx:
        tx.execute(
            "UPDATE api_tokens SET revoked_at = :at WHERE id = :id",
            {"id": token_id, "at": datetime.now(UTC).isoformat()},
        )
    if svc.db.dialect == "sqlite":
        assert _units_status(client, token) == 401
        return
    assert _units_status(client, token) == 200
    with svc.db.transaction() as tx:
        tx.execute(f"NOTIFY {token_cache.CHANNEL}")

    deadline = time.monotonic() + 1.0
    while (status := _units_status(client, token)) == 200 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert status == 401


def test_a_token_revoked_in_the_same_process_is_refused_at_once(client: FlaskClient) -> None:
    svc = client.application.extensions["sovang"]
    token_id, token = tokens.create(svc.db, name="cũ", role=Role.ADMIN, unit_id=None)
    if svc.db.dialect == "postgresql":
        assert svc.token_cache.wait_until_listening(10)
    assert _units_status(client, token) == 200
    assert _units_status(client, token) == 200

    assert tokens.revoke(svc.db, token_id)

    assert _units_status(client, token) == 401
