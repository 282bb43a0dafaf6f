"""What every benchmark shares: a scratch PostgreSQL database, realistic gifts, a real
``sovang serve``, and percentiles."""

from __future__ import annotations

import http.client
import json
import os
import random
import socket
import subprocess
import sys
import time
import unicodedata
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import psycopg

from service.adapters import signing
from service.adapters.db import StoreUrl
from service.adapters.migrate import migrate
from service.domain.notes import Signer
from service.entrypoints.cli.demo import FAMILY, GIVEN, MIDDLE, ORGANISATIONS

SERVER = os.environ.get("SOVANG_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432")
BIN = Path(sys.executable).parent
MEMOS = [
    "UH BAO LU MIEN TRUNG",
    "UNG HO QUY VI NGUOI NGHEO",
    "GIUP DO NHA DAI DOAN KET",
    "ung ho dong bao bi thien tai",
    "CHUYEN TIEN UNG HO XAY NHA",
    "Tet vi nguoi ngheo",
]


@contextmanager
def scratch_database() -> Iterator[str]:
    """A migrated, empty PostgreSQL database, dropped afterwards."""
    name = f"sovang_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    url = f"{SERVER}/{name}"
    try:
        migrate(StoreUrl.parse(url))
        yield url
    finally:
        with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def donor_name(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def gift_body(rng: random.Random, day: date) -> dict[str, Any]:
    """A receipt as a bank transfer arrives: amounts spread like real gifts (most of them
    a few hundred thousand đồng, a few of them millions), a name, a memo, a reference."""
    amount = max(10_000, round(rng.lognormvariate(12.6, 1.1), -4))
    organisation = rng.random() < 0.05
    return {
        "amount": int(amount * (20 if organisation else 1)),
        "occurred_on": day.isoformat(),
        "channel": "bank",
        "donor": {
            "name": rng.choice(ORGANISATIONS) if organisation else donor_name(rng),
            "kind": "organisation" if organisation else "individual",
        },
        "bank_ref": f"FT{rng.randint(10**13, 10**14 - 1)}",
        "note": rng.choice(MEMOS),
    }


def bank_printed(text: str) -> str:
    """As banks print names: upper case without diacritics."""
    bare = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in bare if not unicodedata.combining(c)).upper()


def recent_day(rng: random.Random) -> date:
    return date.today() - timedelta(days=rng.randint(0, 60))


def percentile(values: Sequence[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Answer:
    status: int
    body: Any


class Client:
    """One keep-alive HTTP connection to the service, as one API consumer."""

    def __init__(self, port: int, token: str | None = None) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.headers = {"Content-Type": "application/json"}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"

    def call(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> Answer:
        data = json.dumps(body).encode() if body is not None else None
        self.connection.request(
            method, path, body=data, headers={**self.headers, **(headers or {})}
        )
        response = self.connection.getresponse()
        raw = response.read()
        return Answer(response.status, json.loads(raw) if raw else None)

    def close(self) -> None:
        self.connection.close()


@contextmanager
def served(url: str, workers: int, threads: int, tmp: Path) -> Iterator[int]:
    """``sovang serve`` on a free port (with its projection runner) until the block ends."""
    key = tmp / "log-signing.key"
    if not key.exists():
        signing.write(key, Signer.generate("bench.sovang.vn/log"))
    port = free_port()
    env = {**os.environ, "SOVANG_DATABASE_URL": url, "SOVANG_SIGNING_KEY": str(key)}
    process = subprocess.Popen(
        [
            str(BIN / "sovang"),
            "serve",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_healthy(port, "sovang serve")
        yield port
    finally:
        process.terminate()
        process.wait(20)


def wait_healthy(port: int, what: str) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            if Client(port).call("GET", "/healthz").status == 200:
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not start")
        time.sleep(0.1)


@contextmanager
def gunicorn_served(app: str, env: dict[str, str], workers: int, threads: int) -> Iterator[int]:
    """A reference app (``module:create_app()``) under gunicorn on a free port, with the
    service's own gunicorn settings (service/entrypoints/gunicorn_conf.py) but for the
    hooks that need the service's store, until the block ends."""
    from service.entrypoints import gunicorn_conf as conf

    port = free_port()
    process = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--worker-class",
            conf.worker_class,
            "--timeout",
            str(conf.timeout),
            "--graceful-timeout",
            str(conf.graceful_timeout),
            app,
        ],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=Path(__file__).parent.parent,
    )
    try:
        wait_healthy(port, app)
        yield port
    finally:
        process.terminate()
        process.wait(20)
