"""A flood of anonymous statement searches against a real `sovang serve` on PostgreSQL
does not starve a treasurer: their p95 stays within twice its quiet value."""

from __future__ import annotations

import ast
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.e2e.cli import sovang_env
from tests.e2e.test_serve import Server, receipt, serving

pytestmark = pytest.mark.e2e

#: Anonymous clients searching at once, as in the attack reported: each sends its next
#: search a moment after its last answer, whatever that answer was.
FLOODERS = 16
PAUSE_SECONDS = 0.1
#: The treasurer's reads measured quiet, then again under the flood.
SAMPLES = 60
#: No flooding client sends more than this many requests, nor floods for longer.
MOST_PER_FLOODER = 2000
FLOOD_SECONDS = 6.0


def p95(latencies: list[float]) -> float:
    ordered = sorted(latencies)
    return ordered[int(0.95 * len(ordered)) - 1]


def timed_reads(server: Server, path: str, token: str) -> list[float]:
    latencies = []
    for _ in range(SAMPLES):
        started = time.perf_counter()
        answer = server.call("GET", path, token)
        latencies.append(time.perf_counter() - started)
        assert answer.status == 200, answer.body
    return latencies


FLOOD = """
import sys, threading, time, urllib.error, urllib.request
from collections import Counter

root, fund_id = sys.argv[1], sys.argv[2]
clients, most, seconds, pause = map(float, sys.argv[3:7])
statuses = Counter()
lock = threading.Lock()
until = time.monotonic() + seconds


def flood():
    for n in range(int(most)):
        if time.monotonic() > until:
            return
        url = f"{root}/api/v1/public/funds/{fund_id}/statement?q=Nguy%E1%BB%85n{n}&limit=200"
        if n % 2:
            url = f"{root}/cong-khai/quy/{fund_id}?q=An{n}"
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                response.read()
                status = response.status
        except urllib.error.HTTPError as error:
            error.read()
            status = error.code
        with lock:
            statuses[status] += 1
        time.sleep(pause)


threads = [threading.Thread(target=flood) for _ in range(int(clients))]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(dict(statuses))
"""


def test_a_flood_of_public_searches_leaves_a_treasurers_p95_within_twice_its_quiet_value(
    postgres_url: str, tmp_path: Path, personal_data_key_path: Path, session_key_path: Path
) -> None:
    env = sovang_env(
        postgres_url, personal_data_key=personal_data_key_path, session_key=session_key_path
    )
    with serving(postgres_url, tmp_path, env) as server:
        admin = server.token("admin")
        province = server.api(
            "POST", "/units", admin, {"name": "Tỉnh Quảng Trị", "level": "province"}, 201
        )
        commune = server.api(
            "POST",
            "/units",
            admin,
            {"name": "Xã Vĩnh Linh", "level": "commune", "parent_id": province["id"]},
            201,
        )
        treasurer = server.token("treasurer", commune["id"], "Thủ quỹ xã")
        fund = server.api(
            "POST",
            "/funds",
            treasurer,
            {"unit_id": commune["id"], "kind": "for_the_poor", "name": "Quỹ Vì người nghèo"},
            201,
        )
        for n in range(40):
            server.api(
                "POST",
                f"/funds/{fund['id']}/receipts",
                treasurer,
                receipt(
                    100_000 + n,
                    "2025-03-01",
                    donor={"name": f"Nguyễn Văn An {n}", "kind": "individual"},
                ),
                201,
            )
        path = f"/api/v1/funds/{fund['id']}/entries"
        timed_reads(server, path, treasurer)  # warm both workers
        quiet = p95(timed_reads(server, path, treasurer))

        flooding = subprocess.Popen(
            [
                sys.executable,
                "-c",
                FLOOD,
                server.root,
                fund["id"],
                str(FLOODERS),
                str(MOST_PER_FLOODER),
                str(FLOOD_SECONDS),
                str(PAUSE_SECONDS),
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            time.sleep(1.0)  # the flood is running before the treasurer is measured
            loud = p95(timed_reads(server, path, treasurer))
        finally:
            out, _ = flooding.communicate(timeout=FLOOD_SECONDS + 60)
        statuses = Counter({int(k): v for k, v in ast.literal_eval(out.strip()).items()})

    assert statuses[429] > 0, statuses
    assert set(statuses) <= {200, 429, 503}, statuses
    assert loud <= 2 * quiet, (
        f"quiet p95 {quiet * 1000:.1f} ms",
        f"flood p95 {loud * 1000:.1f} ms",
        statuses,
    )
