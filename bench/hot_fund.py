"""A hot fund: 16 clients writing receipts to one fund against 8 clients each on a fund
of its own, over HTTP through ``sovang serve`` on PostgreSQL, each run for a fixed time;
and how many writes were answered 409 (a client that did nothing wrong told to retry)."""

from __future__ import annotations

import random
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bench.common import Client, gift_body, recent_day, served
from service.adapters import tokens
from service.adapters.db import Database, StoreUrl
from service.domain.vocabulary import Role


@dataclass
class Run:
    clients: int
    funds: int
    seconds: float
    written: int = 0
    statuses: Counter[int] = field(default_factory=Counter)

    @property
    def rate(self) -> float:
        return self.written / self.seconds if self.seconds else 0.0

    @property
    def conflicts(self) -> int:
        return self.statuses[409]

    @property
    def refused(self) -> int:
        return sum(n for status, n in self.statuses.items() if status != 201)


def _run(port: int, token: str, fund_ids: list[str], clients: int, seconds: float) -> Run:
    """``clients`` keep-alive clients writing receipts round-robin over ``fund_ids`` until
    ``seconds`` have passed (each client's loop ends at the deadline)."""
    run = Run(clients, len(fund_ids), seconds)
    lock = threading.Lock()
    barrier = threading.Barrier(clients + 1)
    deadline = [0.0]

    def client(number: int) -> None:
        rng = random.Random(number)
        api = Client(port, token)
        fund = fund_ids[number % len(fund_ids)]
        barrier.wait(timeout=60)
        statuses: Counter[int] = Counter()
        while time.perf_counter() < deadline[0]:
            answer = api.call(
                "POST", f"/api/v1/funds/{fund}/receipts", gift_body(rng, recent_day(rng))
            )
            statuses[answer.status] += 1
        api.close()
        with lock:
            run.statuses.update(statuses)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    deadline[0] = time.perf_counter() + seconds
    started = time.perf_counter()
    barrier.wait(timeout=60)
    for thread in threads:
        thread.join()
    run.seconds = time.perf_counter() - started
    run.written = run.statuses[201]
    return run


def hot_fund(url: str, tmp: Path, seconds: float, *, workers: int = 4) -> tuple[Run, Run]:
    """Receipts/s of 8 clients on 8 funds, then of 16 clients on one fund, one server."""
    db = Database(StoreUrl.parse(url))
    admin = tokens.create(db, name="bench admin", role=Role.ADMIN, unit_id=None)[1]
    with served(url, workers=workers, threads=4, tmp=tmp) as port:
        setup = Client(port, admin)
        unit_id = setup.call(
            "POST", "/api/v1/units", {"name": "Xã Bench", "level": "commune"}
        ).body["id"]
        fund_ids = [
            setup.call(
                "POST",
                "/api/v1/funds",
                {"unit_id": unit_id, "name": f"Quỹ {i}", "kind": "for_the_poor"},
            ).body["id"]
            for i in range(9)
        ]
        setup.close()
        treasurer = tokens.create(
            db, name="bench treasurer", role=Role.TREASURER, unit_id=uuid.UUID(unit_id)
        )[1]
        spread = _run(port, treasurer, fund_ids[:8], 8, seconds)
        hot = _run(port, treasurer, fund_ids[8:], 16, seconds)
    db.close()
    return spread, hot
