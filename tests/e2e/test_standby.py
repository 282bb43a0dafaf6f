"""Reads served by a real streaming hot standby (SOVANG_READ_DATABASE_URL): public pages,
statements and reports read the standby while writes and projections stay on the
primary; a read with ``min_position`` waits for the standby to replay that far, answers
503 projections-behind when it does not in time, and is answered once it has."""

from __future__ import annotations

import contextlib
import os
import re
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service.adapters import tokens
from service.config import Config
from service.domain.vocabulary import Role
from service.entrypoints.wsgi import create_app
from tests.api.helpers import (
    Commune,
    commune_with_fund,
    fund,
    get,
    ok,
    problem,
    receive,
    report,
)
from tests.conftest import PG_SERVER
from tests.e2e.standby import Standby, hot_standby, missing_tools, wait_until_replicated

pytestmark = pytest.mark.postgres_only

#: How long the load of the second test runs, in seconds.
LOAD_SECONDS = 3.0


@pytest.fixture(scope="module")
def standby(postgres_template: str) -> Iterator[Standby]:
    missing = missing_tools()
    if missing or not os.access("/var/lib/postgresql", os.W_OK):
        why = f"a hot standby needs Debian's cluster tools and their directories: {missing}"
        if os.environ.get("CI") == "true":
            pytest.fail(why)
        pytest.skip(why)
    with hot_standby(PG_SERVER) as made:
        yield made


@contextlib.contextmanager
def standby_app(
    standby: Standby, postgres_url: str, keys: Path, read_wait_seconds: float
) -> Iterator[Flask]:
    database = postgres_url.rsplit("/", 1)[1]
    wait_until_replicated(standby, database)
    app = create_app(
        Config(
            database_url=postgres_url,
            read_database_url=standby.url(database),
            read_wait_seconds=read_wait_seconds,
            signing_key_path=keys / "log-signing.key",
            personal_data_key_path=keys / "personal-data.key",
            session_key_path=keys / "session.key",
            public_requests_per_minute=1_000_000,
            public_burst=1_000_000,
        )
    )
    app.config["TESTING"] = True
    try:
        yield app
    finally:
        app.extensions["sovang"].close()


@pytest.fixture
def keys(signing_key_path: Path, personal_data_key_path: Path, session_key_path: Path) -> Path:
    return signing_key_path.parent


def world_of(app: Flask, client: FlaskClient) -> Commune:
    db = app.extensions["sovang"].db

    def make_token(role: str, unit_id: str | None = None, name: str = "test") -> str:
        unit = uuid.UUID(unit_id) if unit_id else None
        return tokens.create(db, name=name, role=Role(role), unit_id=unit)[1]

    return commune_with_fund(client, make_token)


def statement(client: FlaskClient, fund_id: str, **params: object) -> object:
    return get(client, f"/public/funds/{fund_id}/statement", None, **params)


def test_a_read_waits_for_the_standby_to_replay_its_writer_s_position(
    standby: Standby, postgres_url: str, keys: Path
) -> None:
    with standby_app(standby, postgres_url, keys, read_wait_seconds=2.0) as app:
        client = app.test_client()
        world = world_of(app, client)
        first = receive(client, world.treasurer, world.fund_id, 1_000_000)
        shown = ok(statement(client, world.fund_id, min_position=first["position"]))
        assert [item["amount"] for item in shown["items"]] == [1_000_000]

        database = postgres_url.rsplit("/", 1)[1]
        standby.execute("SELECT pg_wal_replay_pause()")
        try:
            while standby.execute("SELECT pg_get_wal_replay_pause_state()") != "paused":
                time.sleep(0.01)
            second = receive(client, world.treasurer, world.fund_id, 2_000_000)
            at = second["position"]
            # The primary reads its own writes at once...
            assert fund(client, world.treasurer, world.fund_id, at)["balance"] == 3_000_000
            # ...while the standby, its replay paused, still shows the first receipt only:
            # the public reads are served there.
            stale = ok(statement(client, world.fund_id))
            assert [item["amount"] for item in stale["items"]] == [1_000_000]
            assert stale["position"] < at
            metrics = client.get("/metrics").get_data(as_text=True)
            lag = re.search(r"^sovang_standby_lag_events (\S+)$", metrics, re.MULTILINE)
            assert lag is not None, metrics
            assert float(lag[1]) >= at - stale["position"]
            replayed = standby.execute("SELECT max(position) FROM projection_tracking", database)
            assert stale["position"] <= int(str(replayed))

            # A read that asks for the write waits, bounded, then says it is not ready yet:
            # the public statement, the treasurer's statement, the unit's report.
            started = time.monotonic()
            problem(statement(client, world.fund_id, min_position=at), 503, "projections-behind")
            assert time.monotonic() - started >= 1.9
            problem(
                get(client, f"/funds/{world.fund_id}/statement", world.treasurer, min_position=at),
                503,
                "projections-behind",
            )
            problem(
                get(
                    client,
                    f"/units/{world.commune_id}/report",
                    world.treasurer,
                    min_position=at,
                    from_="2025-01-01",
                    to="2025-12-31",
                ),
                503,
                "projections-behind",
            )

            # Replay resumes while a read waits: the read is answered with the write in it.
            threading.Timer(0.5, standby.execute, ["SELECT pg_wal_replay_resume()"]).start()
            started = time.monotonic()
            caught_up = ok(statement(client, world.fund_id, min_position=at))
            assert time.monotonic() - started >= 0.4
        finally:
            standby.execute("SELECT pg_wal_replay_resume()")
        assert [item["amount"] for item in caught_up["items"]] == [1_000_000, 2_000_000]
        assert caught_up["position"] >= at
        figures = report(
            client, world.treasurer, world.commune_id, at, from_="2025-01-01", to="2025-12-31"
        )
        assert figures["receipts"]["total"] == 3_000_000


def test_public_reads_are_served_by_the_standby_while_writes_run_on_the_primary(
    standby: Standby, postgres_url: str, keys: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with standby_app(standby, postgres_url, keys, read_wait_seconds=5.0) as app:
        svc = app.extensions["sovang"]
        world = world_of(app, app.test_client())
        ok(statement(app.test_client(), world.fund_id, min_position=world.position))
        stop = threading.Event()
        runner = threading.Thread(target=svc.runner.run_forever, args=(stop,))
        runner.start()
        written: list[int] = []
        reads = [0, 0]
        refused: list[int] = []

        def write() -> None:
            client = app.test_client()
            while not stop.is_set():
                written.append(receive(client, world.treasurer, world.fund_id, 10_000)["position"])

        def read(n: int) -> None:
            client = app.test_client()
            while not stop.is_set():
                answer = statement(client, world.fund_id, limit=20)
                if answer.status_code == 200:  # type: ignore[attr-defined]
                    reads[n] += 1
                else:
                    refused.append(answer.status_code)  # type: ignore[attr-defined]

        workers = [threading.Thread(target=write)]
        workers += [threading.Thread(target=read, args=(n,)) for n in range(2)]
        started = time.monotonic()
        for worker in workers:
            worker.start()
        time.sleep(LOAD_SECONDS)
        stop.set()
        for worker in workers:
            worker.join(30)
        elapsed = time.monotonic() - started
        runner.join(30)

        # Every write is readable on the standby once it has replayed it.
        last = written[-1]
        replayed_at = time.monotonic()
        client = app.test_client()
        shown = ok(statement(client, world.fund_id, min_position=last, limit=1))
        lag = time.monotonic() - replayed_at
        assert shown["position"] >= last
        assert refused == []
        assert sum(reads) > 0
        assert written
        with capsys.disabled():
            print(
                f"\nstandby: {sum(reads) / elapsed:.0f} public statement reads/s from the "
                f"standby while {len(written) / elapsed:.0f} receipts/s were written on the "
                f"primary ({sum(reads)} reads, {len(written)} writes in {elapsed:.1f} s); "
                f"the last write readable on the standby {lag * 1000:.0f} ms after the load"
            )
