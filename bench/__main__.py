"""``make bench``: every benchmark of docs/PERFORMANCE.md, each against a raw reference
measured in the same run on the same PostgreSQL server (absolute times drift on shared
machines; ratios do not).

Prints a table and writes it as JSON to bench/results/latest.json.
  SOVANG_BENCH_POSTGRES  the server (default postgresql://postgres@127.0.0.1:5432)
  SOVANG_BENCH_SIZES     history sizes for the scale curve (default 10000,100000)
  SOVANG_BENCH_WRITES    receipts per client in the write-path runs (default 250)
  SOVANG_BENCH_REFERENCE_SECONDS  seconds of load on each reference app of the write
                         path, the HTTP floor and the plain same-stack app (default 10)
  SOVANG_BENCH_IMPORT_N  rows of the generated bank file (default 200000, issue 20's statement)
  SOVANG_BENCH_COST_N    receipts of the worker-CPU run, bench/receipt_cost.py (default 1000)
  SOVANG_BENCH_STATEMENT_N  receipts of the fund searched (default 1000000)
  SOVANG_BENCH_HOT_SECONDS  seconds of each run of the hot-fund bench (default 5)
  SOVANG_BENCH_ONLY      a comma-separated subset: write, hot, history, import; or typhoon,
                         the typhoon appeal of bench/typhoon.py (not run by default: it
                         takes tens of minutes at full scale; `make typhoon` runs it)
"""

from __future__ import annotations

import json
import os
import platform
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.bank_import import copy_rows, import_rows, write_bank_file
from bench.common import SERVER, percentile, scratch_database
from bench.history import catch_up, raw_scan, reads, sovang, write_backlog
from bench.hot_fund import hot_fund
from bench.public_statement_search import search_figures
from bench.typhoon import main as typhoon
from bench.write_path import (
    Load,
    floor_receipts,
    http_receipts,
    lag_summary,
    plain_receipts,
    raw_inserts,
)

SIZES = [int(n) for n in os.environ.get("SOVANG_BENCH_SIZES", "10000,100000").split(",")]
WRITES = int(os.environ.get("SOVANG_BENCH_WRITES", "250"))
IMPORT_N = int(os.environ.get("SOVANG_BENCH_IMPORT_N", "200000"))
COST_N = int(os.environ.get("SOVANG_BENCH_COST_N", "1000"))
STATEMENT_N = int(os.environ.get("SOVANG_BENCH_STATEMENT_N", "1000000"))
HOT_SECONDS = float(os.environ.get("SOVANG_BENCH_HOT_SECONDS", "5"))
REFERENCE_SECONDS = float(os.environ.get("SOVANG_BENCH_REFERENCE_SECONDS", "10"))
ONLY = set(os.environ.get("SOVANG_BENCH_ONLY", "write,hot,history,import").split(","))
CLIENTS = 8


def row(
    benchmark: str, size: int | str, raw: float, ours: float, goal: str, **extra: Any
) -> dict[str, Any]:
    higher_is_better = not benchmark.startswith(("GET", "rebuild", "verify"))
    ratio = ours / raw if higher_is_better else raw / ours
    return {
        "benchmark": benchmark,
        "size": size,
        "raw": round(raw, 1),
        "sovang": round(ours, 1),
        "ratio": round(ratio, 3),
        "goal": goal,
        **extra,
    }


def write_rows(tmp: Path) -> list[dict[str, Any]]:
    rows = []
    for funds, goal in ((CLIENTS, "≥ 0.5"), (1, "≥ 0.25")):
        with scratch_database() as url:
            load, row_bytes = http_receipts(url, tmp, CLIENTS, funds, WRITES)
            raw = raw_inserts(url, CLIENTS, WRITES, row_bytes)
            if funds == CLIENTS:
                floor = floor_receipts(url, CLIENTS, REFERENCE_SECONDS, row_bytes)
                plain = plain_receipts(url, CLIENTS, REFERENCE_SECONDS)
        rows.append(
            row(
                f"write path: {CLIENTS} clients on {funds} fund(s), receipts/s vs INSERT+COMMIT/s",
                CLIENTS * WRITES,
                raw,
                load.rate,
                goal,
                note=f"{lag_summary(load)}; {load.errors} refused",
            )
        )
        rows.append(
            {
                "benchmark": f"write → readable lag p99 ms, {CLIENTS} clients on {funds} fund(s)",
                "size": CLIENTS * WRITES,
                "sovang": round(percentile(load.lags_ms, 99), 1),
                "goal": "< 50 ms",
                "note": lag_summary(load),
            }
        )
        if funds == CLIENTS:
            rows += reference_rows(load.rate, floor, plain)
    rows.append(worker_cpu_row())
    return rows


def worker_cpu_row() -> dict[str, Any]:
    """The worker's CPU per receipt, from ``bench.receipt_cost`` run in a process of its
    own (it counts statements by wrapping psycopg, which this process must not)."""
    env = {**os.environ, "SOVANG_TEST_POSTGRES": SERVER}
    out = subprocess.run(
        [sys.executable, "-m", "bench.receipt_cost", str(COST_N)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = re.search(r"([0-9.]+) ms CPU, ([0-9.]+) ms wall", out)
    if found is None:
        raise RuntimeError(f"bench.receipt_cost printed no figures: {out!r}")
    return {
        "benchmark": "worker CPU per receipt, ms (Flask test client, one process)",
        "size": COST_N,
        "sovang": float(found.group(1)),
        "goal": "≤ 1.5 ms",
        "note": f"wall {found.group(2)} ms a receipt; statements in bench/receipt_cost.py",
    }


def reference_rows(ours: float, floor: Load, plain: Load) -> list[dict[str, Any]]:
    """The 8-fund receipts/s against the same stack doing less: the HTTP floor (one
    INSERT + COMMIT a request) and the plain Flask + eventsourcing app."""
    seconds = f"{REFERENCE_SECONDS:g} s"
    return [
        row(
            f"receipts over HTTP, {CLIENTS} clients on {CLIENTS} funds, vs the HTTP floor",
            CLIENTS * WRITES,
            floor.rate,
            ours,
            "≥ 0.5",
            note=f"floor: Flask + gunicorn, one INSERT+COMMIT a request, {seconds}; "
            f"{floor.errors} refused",
        ),
        row(
            "the same vs the plain same-stack app (Flask + eventsourcing), ×",
            CLIENTS * WRITES,
            plain.rate,
            ours,
            "≥ 2×",
            note=f"plain app: one aggregate save a request, {seconds}; {plain.errors} refused",
        ),
    ]


def hot_rows(tmp: Path) -> list[dict[str, Any]]:
    """16 clients on one fund against 8 clients on 8 funds, a few seconds each."""
    with scratch_database() as url:
        spread, hot = hot_fund(url, tmp, HOT_SECONDS)
    return [
        row(
            "hot fund: 16 clients on 1 fund, receipts/s vs 8 clients on 8 funds",
            hot.written,
            spread.rate,
            hot.rate,
            "≥ 0.5, no 409",
            conflicts=hot.conflicts + spread.conflicts,
            note=f"409s reaching clients: {hot.conflicts} on 1 fund, {spread.conflicts} "
            f"on 8 (goal 0); other refusals {hot.refused - hot.conflicts}",
        )
    ]


def history_rows(tmp: Path, size: int) -> list[dict[str, Any]]:
    rows = []
    with scratch_database() as url:
        history = write_backlog(url, size)
        raw = raw_scan(url)
        rows.append(
            row(
                "projection catch-up (funds + ledger), events/s vs raw SELECT/s",
                history.events,
                raw,
                catch_up(history),
                "≥ 0.3",
            )
        )
        rebuild = sovang(url, tmp, "projections", "rebuild")
        rows.append(
            {
                "benchmark": "rebuild every projection, seconds",
                "size": history.events,
                "sovang": round(rebuild.seconds, 1),
                "goal": "< 60 s at 1M, memory flat",
                "note": f"peak {rebuild.peak_mb:.0f} MB",
            }
        )
        verify = sovang(url, tmp, "audit", "verify")
        rows.append(
            {
                "benchmark": "sovang audit verify, seconds",
                "size": history.events,
                "sovang": round(verify.seconds, 1),
                "goal": "< 10 s at 1M",
                "note": f"peak {verify.peak_mb:.0f} MB",
            }
        )
        latency = reads(history, tmp)
        for name, raw_name in (
            ("GET /funds/{id}", "raw SELECT fund"),
            ("GET /units/{id}/report", "raw SELECT report rows"),
        ):
            ours, base = latency[name], latency[raw_name]
            rows.append(
                row(
                    f"{name} p99 ms vs raw SELECT p99 ms (×, lower is better)",
                    history.events,
                    base.p99_ms,
                    ours.p99_ms,
                    "≤ 3×",
                    note=f"p50 {ours.p50_ms:.1f} ms vs raw {base.p50_ms:.2f} ms",
                )
            )
            rows[-1]["ratio"] = round(ours.p99_ms / base.p99_ms, 1)
        ours, floor = latency["GET /funds/{id}"], latency["floor GET one row"]
        rows.append(
            row(
                "GET /funds/{id} p99 ms vs the HTTP floor's GET of one row p99 ms (×)",
                history.events,
                floor.p99_ms,
                ours.p99_ms,
                "≤ 3×",
                note=f"p50 {ours.p50_ms:.1f} ms vs floor {floor.p50_ms:.1f} ms",
            )
        )
        rows[-1]["ratio"] = round(ours.p99_ms / floor.p99_ms, 1)
    return rows


def import_section(tmp: Path) -> list[dict[str, Any]]:
    """A generated bank file imported against a raw COPY of its rows, and searches of the
    public statement of a fund with many receipts."""
    with scratch_database() as url:
        bank_file = write_bank_file(tmp, IMPORT_N)
        copied = copy_rows(url, bank_file)
        imported = import_rows(url, bank_file, IMPORT_N)
        searches = search_figures(url, STATEMENT_N)
    found = [
        row(
            "statement import, rows/s vs raw COPY rows/s",
            IMPORT_N,
            copied,
            imported["rows_per_s"],
            "≥ 0.05, memory flat",
            note="peak Python memory (MiB) by rows in the file: "
            + ", ".join(f"{n:,}: {mib}" for n, mib in imported["peak_mib"].items()),
        ),
        {
            "benchmark": "statement import, seconds",
            "size": IMPORT_N,
            "sovang": round(imported["seconds"], 1),
            "goal": "< 15 s at 200,000 lines",
        },
        {
            "benchmark": "statement import's dry run, seconds",
            "size": IMPORT_N,
            "sovang": round(imported["dry_run_seconds"], 1),
            "goal": "< 5 s at 200,000 lines",
        },
        {
            "benchmark": "re-import of the same statement, seconds",
            "size": IMPORT_N,
            "sovang": round(imported["reimport_seconds"], 1),
            "goal": "reading, not writing",
            "note": f"events written: {imported['written_again']} (goal 0)",
        },
    ]
    for name, figures in searches.items():
        found.append(
            {
                "benchmark": f"statement search: {name}, first page ms",
                "size": STATEMENT_N,
                "sovang": figures["first_page_ms"],
                "goal": "fast on a million receipts",
                "note": f"{figures['matches']} match(es); "
                f"with totals {figures['with_totals_ms']} ms",
            }
        )
    return found


def main() -> None:
    if "typhoon" in ONLY:
        typhoon()
    if not ONLY & {"write", "hot", "history", "import"}:
        return
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as directory:
        tmp = Path(directory)
        if "write" in ONLY:
            rows += write_rows(tmp)
        if "hot" in ONLY:
            rows += hot_rows(tmp)
        if "history" in ONLY:
            for size in SIZES:
                rows += history_rows(tmp, size)
        if "import" in ONLY:
            rows += import_section(tmp)
    print(f"{'benchmark':<78} {'size':>8} {'raw':>9} {'sovang':>9} {'ratio':>6}  goal")
    for r in rows:
        print(
            f"{r['benchmark']:<78} {r['size']:>8} {r.get('raw', ''):>9} {r['sovang']:>9} "
            f"{r.get('ratio', ''):>6}  {r['goal']}  {r.get('note', '')}"
        )
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(
        json.dumps(
            {"machine": platform.node(), "cpus": os.cpu_count(), "rows": rows},
            indent=2,
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
