"""Benchmarks over a long history: a backlog of receipts written fast, the projections
catching up with it against a raw sequential SELECT, a full rebuild, ``sovang audit
verify``, and reads at a fixed rate against raw SELECT round trips and against the HTTP
floor's GET of one row (bench/floor_app.py)."""

from __future__ import annotations

import os
import random
import subprocess
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import psycopg

from bench import floor_app
from bench.common import BIN, Client, gift_body, gunicorn_served, percentile, served
from service.adapters import signing, tokens
from service.adapters.db import Database, StoreUrl
from service.application import Ledger, Request
from service.domain.actors import Actor, Meta
from service.domain.funds import Donor, Receipt
from service.domain.money import Money
from service.domain.notes import Signer
from service.domain.vocabulary import Channel, DonorKind, FundKind, Level, Role
from service.projections.funds import FundsProjection
from service.projections.ledger import LedgerProjection
from service.projections.runner import ProjectionRunner

ADMIN = Request(Actor("bench", "Bench", Role.ADMIN))


@dataclass(frozen=True)
class History:
    url: str
    events: int
    unit_id: str
    fund_ids: list[str]


def write_backlog(url: str, receipts: int, *, funds: int = 50, batch: int = 40) -> History:
    """``receipts`` receipts on ``funds`` funds of one commune, saved many per transaction
    through the domain (so the events are exactly those the service writes)."""
    ledger = Ledger(env=StoreUrl.parse(url).eventsourcing_env(create_table=False, pool_size=2))
    unit = uuid.UUID(ledger.register_unit(ADMIN, "Xã Bench", Level.COMMUNE, None, None).body["id"])
    treasurer = Actor("bench-t", "Thủ quỹ", Role.TREASURER, unit)
    fund_ids = [
        uuid.UUID(
            ledger.open_fund(Request(treasurer), unit, f"Quỹ {i}", FundKind.FOR_THE_POOR).body["id"]
        )
        for i in range(funds)
    ]
    rng = random.Random(7)
    meta = Meta.of(treasurer, None, None)
    today = ledger.today()
    written = 0
    while written < receipts:
        chosen = [ledger.fund(fund_id) for fund_id in fund_ids]
        for fund in chosen:
            for _ in range(min(batch, receipts - written)):
                body = gift_body(rng, date(today.year, 1, 1 + rng.randint(0, 27)))
                fund.record_receipt(
                    Receipt(
                        Money(body["amount"]),
                        date.fromisoformat(body["occurred_on"]),
                        Donor(body["donor"]["name"], DonorKind(body["donor"]["kind"])),
                        Channel.BANK,
                        bank_ref=body["bank_ref"],
                        note=body["note"],
                    ),
                    today,
                    meta,
                )
                written += 1
        ledger.save(*chosen)
    head = int(ledger.recorder.max_notification_id() or 0)
    ledger.close()
    return History(url, head, str(unit), [str(f) for f in fund_ids])


def raw_scan(url: str, page: int = 500) -> float:
    """Events/s of a sequential SELECT of the stored events, a page at a time."""
    started, position, count = time.perf_counter(), 0, 0
    with psycopg.connect(url) as conn:
        while rows := conn.execute(
            "SELECT notification_id, originator_id, originator_version, topic, state "
            "FROM sovang_events WHERE notification_id > %s ORDER BY notification_id LIMIT %s",
            (position, page),
        ).fetchall():
            count += len(rows)
            position = rows[-1][0]
    return count / (time.perf_counter() - started)


def catch_up(history: History) -> float:
    """Events/s of the fund-balance and ledger projections consuming the backlog."""
    ledger = Ledger(
        env=StoreUrl.parse(history.url).eventsourcing_env(create_table=False, pool_size=2)
    )
    db = Database(StoreUrl.parse(history.url))
    runner = ProjectionRunner(
        ledger.recorder, ledger.mapper, db, [FundsProjection(), LedgerProjection()]
    )
    started = time.perf_counter()
    runner.rebuild()  # from position 0, whatever ran before
    rate = history.events / (time.perf_counter() - started)
    ledger.close()
    db.close()
    return rate


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mb: float
    output: str


def sovang(url: str, tmp: Path, *args: str) -> Run:
    """Runs a ``sovang`` command; its wall time and the peak memory of its process."""
    key = tmp / "log-signing.key"
    if not key.exists():
        signing.write(key, Signer.generate("bench.sovang.vn/log"))
    env = {**os.environ, "SOVANG_DATABASE_URL": url, "SOVANG_SIGNING_KEY": str(key)}
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(BIN / "sovang"), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    out = process.stdout.read() if process.stdout else ""
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"sovang {' '.join(args)} failed: {out}")
    return Run(time.perf_counter() - started, usage.ru_maxrss / 1024, out)


@dataclass(frozen=True)
class Latency:
    p50_ms: float
    p99_ms: float


def at_fixed_rate(call: Callable[[], object], rate: float, count: int) -> Latency:
    """Calls ``call()`` ``count`` times, one every 1/``rate`` s; its latency percentiles."""
    times: list[float] = []
    start = time.perf_counter()
    for i in range(count):
        delay = start + i / rate - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        began = time.perf_counter()
        call()
        times.append((time.perf_counter() - began) * 1000)
    return Latency(percentile(times, 50), percentile(times, 99))


def reads(history: History, tmp: Path, *, rate: float = 50, count: int = 300) -> dict[str, Latency]:
    """GET /funds/{id} and a year's unit report at a fixed rate over HTTP, against raw
    psycopg round trips that SELECT the same rows."""
    db = Database(StoreUrl.parse(history.url))
    token = tokens.create(db, name="bench reader", role=Role.ADMIN, unit_id=None)[1]
    db.close()
    fund, year = history.fund_ids[0], date.today().year
    found: dict[str, Latency] = {}
    with served(history.url, workers=2, threads=4, tmp=tmp) as port:
        api = Client(port, token)
        api.call("GET", f"/api/v1/funds/{fund}?min_position={history.events}")
        report = f"/api/v1/units/{history.unit_id}/report?from={year}-01-01&to={year}-12-31"
        found["GET /funds/{id}"] = at_fixed_rate(
            lambda: _ok(api.call("GET", f"/api/v1/funds/{fund}")), rate, count
        )
        found["GET /units/{id}/report"] = at_fixed_rate(
            lambda: _ok(api.call("GET", report)), rate, count
        )
        api.close()
    # The same stack reading one row by primary key, with as many workers and threads.
    floor_app.create_table(history.url)
    env = {"SOVANG_BENCH_FLOOR_URL": history.url}
    with gunicorn_served("bench.floor_app:create_app()", env, workers=2, threads=4) as port:
        api = Client(port)
        body = gift_body(random.Random(0), date.today())
        row = api.call("POST", f"/funds/{fund}/receipts", body).body["id"]
        api.call("GET", f"/rows/{row}")
        found["floor GET one row"] = at_fixed_rate(
            lambda: _ok(api.call("GET", f"/rows/{row}")), rate, count
        )
        api.close()
    with psycopg.connect(history.url) as conn:
        found["raw SELECT fund"] = at_fixed_rate(
            lambda: conn.execute("SELECT * FROM funds WHERE id = %s", (fund,)).fetchall(),
            rate,
            count,
        )
        found["raw SELECT report rows"] = at_fixed_rate(
            lambda: conn.execute(
                "SELECT kind, channel, category, SUM(amount), COUNT(*) FROM ledger_entries "
                "WHERE fund_id IN (SELECT id FROM funds WHERE unit_id = %s) "
                "AND occurred_on BETWEEN %s AND %s GROUP BY kind, channel, category",
                (history.unit_id, f"{year}-01-01", f"{year}-12-31"),
            ).fetchall(),
            rate,
            count,
        )
    return found


def _ok(answer: object) -> None:
    if getattr(answer, "status", 0) != 200:
        raise RuntimeError(f"a read failed: {answer}")
