"""Tokens that expire, and a client that guesses tokens being turned away."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime, timedelta

from flask import Flask
from flask.testing import FlaskClient

from service import create_app, tokens
from service.api.throttle import FailedAuthentications, TooManyFailures
from service.config import Config
from service.domain.vocabulary import Role
from tests.api.helpers import get, ok, problem
from tests.e2e.cli import SOVANG, sovang_env


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


def test_a_client_that_sends_too_many_unknown_tokens_is_refused_for_a_while(
    database_url: str, config: Config
) -> None:
    app: Flask = create_app(
        Config(
            database_url=database_url,
            auth_failures_per_minute=3,
            signing_key_path=config.signing_key_path,
            personal_data_key_path=config.personal_data_key_path,
        )
    )
    client = app.test_client()
    _, good = tokens.create(
        app.extensions["sovang"].db, name="admin", role=Role.ADMIN, unit_id=None
    )

    guesses = [get(client, "/units", f"sv_guess{n}").status_code for n in range(3)]
    blocked = get(client, "/units", good)
    missing = client.get("/api/v1/units")

    assert guesses == [401, 401, 401]
    body = problem(blocked, 429, "too-many-failed-authentications")
    assert int(blocked.headers["Retry-After"]) >= 1
    assert "thử lại" in body["detail"]
    assert missing.status_code == 401  # no token at all is no guess, and costs no lookup
    app.extensions["sovang"].close()


def test_the_failures_of_a_client_are_forgotten_after_a_minute() -> None:
    now = [1000.0]
    failures = FailedAuthentications(2, clock=lambda: now[0])
    failures.failed("10.0.0.7")
    failures.failed("10.0.0.7")

    try:
        failures.check("10.0.0.7")
        raised = None
    except TooManyFailures as error:
        raised = error
    failures.check("10.0.0.8")  # another client is not held back
    now[0] += 60.5
    failures.check("10.0.0.7")

    assert raised is not None
    assert raised.retry_after == 61


def test_token_create_can_set_an_expiry_in_days(database_url: str) -> None:
    made = subprocess.run(
        [
            SOVANG,
            "token",
            "create",
            "--role",
            "admin",
            "--name",
            "Kiểm toán",
            "--expires-in-days",
            "30",
        ],
        env=sovang_env(database_url),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    refused = subprocess.run(
        [SOVANG, "token", "create", "--role", "admin", "--name", "x", "--expires-in-days", "0"],
        env=sovang_env(database_url),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    until = (datetime.now(UTC) + timedelta(days=30)).strftime("%d/%m/%Y")
    assert f"đến {until}" in made.stdout
    assert made.stdout.strip().splitlines()[-1].startswith("sv_")
    assert refused.returncode != 0
