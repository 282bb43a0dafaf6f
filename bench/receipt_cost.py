"""A receipt's worker CPU and its database round trips: receipts through the Flask test
client in one process on a scratch PostgreSQL database (no HTTP server, no projection
runner). ``python -m bench.receipt_cost [receipts]``; ``SOVANG_PROFILE=out.prof`` also
writes a cProfile of the loop."""

from __future__ import annotations

import cProfile
import os
import random
import sys
import tempfile
import time
import uuid
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
from psycopg._connection_base import BaseConnection

from bench.common import gift_body
from service.adapters import keyfiles, signing, tokens
from service.adapters.db import StoreUrl
from service.adapters.migrate import migrate
from service.adapters.signing import Signer
from service.config import Config
from service.domain.vocabulary import Role
from service.entrypoints.wsgi import create_app

SERVER = os.environ.get("SOVANG_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432")

calls: Counter[str] = Counter()
statements: Counter[str] = Counter()


def _counting(cls: type, name: str) -> None:
    original = getattr(cls, name)

    def counted(self: Any, *args: Any, **kwargs: Any) -> Any:
        calls[f"{cls.__name__}.{name}"] += 1
        if os.environ.get("SOVANG_SHOW_SQL") and args:
            statements[" ".join(str(args[0]).split())[:100]] += 1
        return original(self, *args, **kwargs)

    setattr(cls, name, counted)


def _server_counts(url: str) -> dict[str, int]:
    """The database's committed transactions and statements so far, as the server counts
    them (its statistics are flushed within a second of a backend going idle)."""
    time.sleep(1.5)
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT xact_commit, tup_returned FROM pg_stat_database "
            "WHERE datname = current_database()"
        ).fetchone()
    assert row is not None
    return {"transactions": int(row[0]) - 1, "rows scanned": int(row[1])}


def main(receipts: int) -> None:
    name = f"bench_cost_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    try:
        run(f"{SERVER}/{name}", receipts)
    finally:
        with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def run(url: str, receipts: int) -> None:
    migrate(StoreUrl.parse(url))
    tmp = Path(tempfile.mkdtemp())
    signing.write(tmp / "log.key", Signer.generate("bench.sovang.vn/log"))
    keyfiles.write_random(tmp / "pd.key")
    keyfiles.write_random(tmp / "session.key")
    app = create_app(
        Config(
            database_url=url,
            signing_key_path=tmp / "log.key",
            personal_data_key_path=tmp / "pd.key",
            session_key_path=tmp / "session.key",
        )
    )
    db = app.extensions["sovang"].db
    admin = tokens.create(db, name="bench admin", role=Role.ADMIN, unit_id=None)[1]
    client = app.test_client()
    headers = {"Authorization": f"Bearer {admin}"}
    unit = client.post(
        "/api/v1/units", json={"name": "Xã Bench", "level": "commune"}, headers=headers
    ).get_json()
    fund = client.post(
        "/api/v1/funds",
        json={"unit_id": unit["id"], "name": "Quỹ", "kind": "for_the_poor"},
        headers=headers,
    ).get_json()
    treasurer = tokens.create(
        db, name="bench treasurer", role=Role.TREASURER, unit_id=uuid.UUID(unit["id"])
    )[1]
    headers = {"Authorization": f"Bearer {treasurer}"}
    path = f"/api/v1/funds/{fund['id']}/receipts"
    rng = random.Random(1)
    bodies = [gift_body(rng, date.today()) for _ in range(receipts + 50)]

    def post(body: dict[str, Any]) -> None:
        answer = client.post(
            path, json=body, headers={**headers, "Idempotency-Key": str(uuid.uuid4())}
        )
        assert answer.status_code == 201, answer.get_data(as_text=True)

    for body in bodies[:50]:  # warm up
        post(body)
    for cls in (psycopg.Cursor,):
        for method in ("execute", "executemany"):
            if hasattr(cls, method):
                _counting(cls, method)
    _counting(BaseConnection, "_exec_command")  # BEGIN, COMMIT and other bare commands
    transactions = _server_counts(url)
    profile = os.environ.get("SOVANG_PROFILE")
    profiler = cProfile.Profile(time.process_time) if profile else None
    cpu, wall = time.process_time(), time.perf_counter()
    if profiler:
        profiler.enable()
    for body in bodies[50:]:
        post(body)
    if profiler:
        profiler.disable()
        profiler.dump_stats(profile)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    print(
        f"{receipts} receipts: {cpu / receipts * 1000:.2f} ms CPU, "
        f"{wall / receipts * 1000:.2f} ms wall each"
    )
    print("per receipt:", {k: round(v / receipts, 2) for k, v in sorted(calls.items())})
    after = _server_counts(url)
    print(
        "server, per receipt:",
        {k: round((after[k] - transactions[k]) / receipts, 2) for k in after},
    )
    for statement, count in statements.most_common():
        print(f"{count / receipts:6.2f}  {statement}")
    app.extensions["sovang"].close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500)
