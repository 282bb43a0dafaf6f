"""``make bench``: the write path against raw psycopg INSERT + COMMIT, and a bank-statement
import against a raw COPY of the same rows, on the same server.

Prints a table and writes it as JSON to bench/results/latest.json. Figures are
ratios measured in the same run, because absolute times on shared machines drift.
Set SOVANG_BENCH_POSTGRES to another server; SOVANG_BENCH_N to change the count of
receipts, SOVANG_BENCH_IMPORT_N the rows of the generated statement.
"""

from __future__ import annotations

import json
import os
import platform
import random
import time
import uuid
from datetime import date
from pathlib import Path

import psycopg

from bench.statement import copy_rows, import_rows, write_statement
from bench.statement_search import search_figures
from service.application import Ledger, Request
from service.db import StoreUrl
from service.domain.actors import Actor
from service.domain.funds import Donor, Receipt
from service.domain.money import Money
from service.domain.vocabulary import Channel, DonorKind, FundKind, Level, Role
from service.migrate import migrate

SERVER = os.environ.get("SOVANG_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432")
N = int(os.environ.get("SOVANG_BENCH_N", "1000"))
IMPORT_N = int(os.environ.get("SOVANG_BENCH_IMPORT_N", "100000"))
STATEMENT_N = int(os.environ.get("SOVANG_BENCH_STATEMENT_N", "1000000"))
NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Minh Cường", "Phạm Thu Hà", "Hoàng Đức Long"]


def raw_inserts(url: str, n: int, payload: bytes) -> float:
    """Events/s of a plain INSERT + COMMIT of a row shaped like a stored event."""
    with psycopg.connect(url, autocommit=False) as conn:
        conn.execute(
            "CREATE TABLE raw_events (id uuid, version bigint, topic text, state bytea, "
            "notification_id bigserial, PRIMARY KEY (id, version))"
        )
        conn.commit()
        started = time.perf_counter()
        for i in range(n):
            conn.execute(
                "INSERT INTO raw_events (id, version, topic, state) VALUES (%s, %s, %s, %s)",
                (uuid.uuid4(), i, "bench", payload),
            )
            conn.commit()
        return n / (time.perf_counter() - started)


def ledger_receipts(url: str, n: int) -> float:
    """Receipts/s recorded through the application on one fund."""
    ledger = Ledger(env=StoreUrl.parse(url).eventsourcing_env(create_table=False, pool_size=2))
    admin = Request(Actor("bench", "bench", Role.ADMIN))
    unit = uuid.UUID(ledger.register_unit(admin, "Xã Bench", Level.COMMUNE, None, None).body["id"])
    treasurer = Request(Actor("bench-t", "bench", Role.TREASURER, unit))
    fund = uuid.UUID(ledger.open_fund(treasurer, unit, "Quỹ", FundKind.FOR_THE_POOR).body["id"])
    rng = random.Random(1)
    gifts = [
        Receipt(
            Money(rng.choice([50, 100, 200, 500]) * 1000),
            date(2025, 9, 10),
            Donor(rng.choice(NAMES), DonorKind.INDIVIDUAL),
            Channel.BANK,
            bank_ref=f"FT{rng.randint(10**11, 10**12)}",
        )
        for _ in range(n)
    ]
    started = time.perf_counter()
    for gift in gifts:
        ledger.record_receipt(treasurer, fund, gift)
    rate = n / (time.perf_counter() - started)
    ledger.close()
    return rate


def main() -> None:
    name = f"sovang_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    url = f"{SERVER}/{name}"
    try:
        migrate(StoreUrl.parse(url))
        raw = raw_inserts(url, N, b"x" * 420)
        app = ledger_receipts(url, N)
        statement = write_statement(Path(os.environ.get("TMPDIR", "/tmp")), IMPORT_N)
        try:
            copied = copy_rows(url, statement)
            imported = import_rows(url, statement, IMPORT_N)
        finally:
            statement.unlink()
        searches = search_figures(url, STATEMENT_N)
    finally:
        with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    rows = [
        {
            "benchmark": "write path, 1 client, 1 fund (PostgreSQL)",
            "n": N,
            "raw_per_s": round(raw),
            "sovang_per_s": round(app),
            "ratio": round(app / raw, 3),
        },
        {
            "benchmark": "statement import vs COPY (PostgreSQL)",
            "n": IMPORT_N,
            "raw_per_s": round(copied),
            "sovang_per_s": round(imported["rows_per_s"]),
            "ratio": round(imported["rows_per_s"] / copied, 3),
            "peak_mib": imported["peak_mib"],
        },
    ]
    print(f"{'benchmark':<45} {'raw/s':>8} {'sovang/s':>9} {'ratio':>6}")
    for row in rows:
        print(
            f"{row['benchmark']:<45} {row['raw_per_s']:>8} {row['sovang_per_s']:>9} "
            f"{row['ratio']:>6}"
        )
    print(
        "statement import, peak Python memory (MiB) by rows in the file: "
        + ", ".join(f"{n:,}: {mib}" for n, mib in imported["peak_mib"].items())
    )
    print(f"statement of a fund with {STATEMENT_N:,} receipts (ms):")
    for name, figures in searches.items():
        print(
            f"  {name:<24} first page {figures['first_page_ms']:>8}  with totals "
            f"{figures['with_totals_ms']:>8}  matches {figures['matches']:>9,}"
        )
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(
        json.dumps(
            {
                "machine": platform.node(),
                "cpus": os.cpu_count(),
                "rows": rows,
                "statement_searches": {"receipts": STATEMENT_N, **searches},
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
