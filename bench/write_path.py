"""Receipts over HTTP through ``sovang serve`` by concurrent clients, against raw psycopg
INSERT + COMMIT of rows of the same size over as many connections; the same load on two
reference apps of the same stack (bench/floor_app.py, bench/plain_app.py); and the lag
from a write's answer to the moment a read with ``min_position`` sees it."""

from __future__ import annotations

import random
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from bench import floor_app, plain_app
from bench.common import Client, gift_body, gunicorn_served, percentile, recent_day, served
from service.adapters import tokens
from service.adapters.db import Database, StoreUrl
from service.domain.vocabulary import Role


@dataclass
class Load:
    rate: float
    lags_ms: list[float] = field(default_factory=list)
    errors: int = 0


def raw_inserts(url: str, clients: int, per_client: int, row_bytes: int) -> float:
    """Rows/s of INSERT + COMMIT, one row per transaction, ``clients`` connections."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "CREATE TABLE raw_events (originator_id uuid, originator_version bigint, "
            "topic text, state bytea, notification_id bigserial, "
            "PRIMARY KEY (originator_id, originator_version))"
        )
    payload = b"x" * row_bytes
    barrier = threading.Barrier(clients + 1)

    def insert() -> None:
        originator = uuid.uuid4()
        with psycopg.connect(url) as conn:
            barrier.wait()
            for version in range(1, per_client + 1):
                conn.execute(
                    "INSERT INTO raw_events (originator_id, originator_version, topic, state) "
                    "VALUES (%s, %s, %s, %s)",
                    (originator, version, "service.domain.funds:Fund.ReceiptRecorded", payload),
                )
                conn.commit()

    threads = [threading.Thread(target=insert) for _ in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return clients * per_client / (time.perf_counter() - started)


def http_receipts(
    url: str, tmp: Path, clients: int, funds: int, per_client: int, *, workers: int = 4
) -> tuple[Load, int]:
    """Receipts/s over HTTP by ``clients`` on ``funds`` funds; every 10th write is read
    back with ``min_position`` to measure the lag. Also gives the stored row size."""
    db = Database(StoreUrl.parse(url))
    admin = tokens.create(db, name="bench admin", role=Role.ADMIN, unit_id=None)[1]
    with served(url, workers=workers, threads=4, tmp=tmp) as port:
        setup = Client(port, admin)
        unit = setup.call("POST", "/api/v1/units", {"name": "Xã Bench", "level": "commune"})
        unit_id = unit.body["id"]
        fund_ids = [
            setup.call(
                "POST",
                "/api/v1/funds",
                {"unit_id": unit_id, "name": f"Quỹ {i}", "kind": "for_the_poor"},
            ).body["id"]
            for i in range(funds)
        ]
        treasurer = tokens.create(
            db, name="bench treasurer", role=Role.TREASURER, unit_id=uuid.UUID(unit_id)
        )[1]
        load = Load(rate=0.0)
        lock = threading.Lock()
        barrier = threading.Barrier(clients + 1)

        def client(number: int) -> None:
            rng = random.Random(number)
            api = Client(port, treasurer)
            fund = fund_ids[number % funds]
            bodies = [gift_body(rng, recent_day(rng)) for _ in range(per_client)]
            barrier.wait()
            for i, body in enumerate(bodies):
                answer = api.call("POST", f"/api/v1/funds/{fund}/receipts", body)
                acknowledged = time.perf_counter()
                if answer.status != 201:
                    with lock:
                        load.errors += 1
                    continue
                if i % 10 == 0:
                    read = api.call(
                        "GET", f"/api/v1/funds/{fund}?min_position={answer.body['position']}"
                    )
                    if read.status == 200:
                        with lock:
                            load.lags_ms.append((time.perf_counter() - acknowledged) * 1000)
            api.close()

        threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
        for thread in threads:
            thread.start()
        barrier.wait()
        started = time.perf_counter()
        for thread in threads:
            thread.join()
        load.rate = clients * per_client / (time.perf_counter() - started)
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT AVG(octet_length(state))::int FROM sovang_events "
            "WHERE topic LIKE '%ReceiptRecorded'"
        ).fetchone()
    db.close()
    return load, int(row[0]) if row and row[0] else 500


def lag_summary(load: Load) -> str:
    return (
        f"lag p50 {percentile(load.lags_ms, 50):.1f} ms, p99 {percentile(load.lags_ms, 99):.1f} ms"
    )


def timed_load(port: int, paths: list[str], seconds: float) -> Load:
    """One keep-alive client per path, each POSTing receipts to its path for ``seconds``;
    the answers with 201 per second."""
    load = Load(rate=0.0)
    lock = threading.Lock()
    barrier = threading.Barrier(len(paths) + 1)
    written = [0] * len(paths)
    deadline = 0.0

    def client(number: int) -> None:
        rng = random.Random(number)
        api = Client(port)
        bodies = [gift_body(rng, recent_day(rng)) for _ in range(500)]
        barrier.wait()
        i = 0
        while time.perf_counter() < deadline:
            answer = api.call("POST", paths[number], bodies[i % len(bodies)])
            i += 1
            if answer.status == 201:
                written[number] += 1
            else:
                with lock:
                    load.errors += 1
        api.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(len(paths))]
    for thread in threads:
        thread.start()
    deadline = time.perf_counter() + seconds
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    load.rate = sum(written) / (time.perf_counter() - started)
    return load


def floor_receipts(
    url: str, clients: int, seconds: float, row_bytes: int, *, workers: int = 4, threads: int = 4
) -> Load:
    """The HTTP floor: receipts/s of bench/floor_app.py, ``clients`` each on its own fund."""
    floor_app.create_table(url)
    env = {"SOVANG_BENCH_FLOOR_URL": url, "SOVANG_BENCH_FLOOR_ROW_BYTES": str(row_bytes)}
    with gunicorn_served("bench.floor_app:create_app()", env, workers, threads) as port:
        paths = [f"/funds/{uuid.uuid4()}/receipts" for _ in range(clients)]
        return timed_load(port, paths, seconds)


def plain_receipts(
    url: str, clients: int, seconds: float, *, workers: int = 4, threads: int = 4
) -> Load:
    """Receipts/s of the plain Flask + eventsourcing app (bench/plain_app.py), ``clients``
    each on its own fund."""
    # The library's tables, made once before the workers start.
    plain_app.PlainFunds(env=plain_app.library_env(url, create_table=True, pool_size=1)).close()
    env = {"SOVANG_BENCH_PLAIN_URL": url, "SOVANG_BENCH_PLAIN_THREADS": str(threads)}
    with gunicorn_served("bench.plain_app:create_app()", env, workers, threads) as port:
        setup = Client(port)
        paths = [
            f"/funds/{setup.call('POST', '/funds', {'name': f'Quỹ {i}'}).body['id']}/receipts"
            for i in range(clients)
        ]
        setup.close()
        return timed_load(port, paths, seconds)
