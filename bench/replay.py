"""Receipts sent over HTTP at a fixed offered rate (open loop: a gift arrives on time
whether or not the service has answered the ones before it), with public reads beside
them and every tenth write read back with ``min_position``."""

from __future__ import annotations

import queue
import random
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bench.common import Client, gift_body, percentile

#: Connections kept open to the service: enough that arrivals never wait for a free
#: one until the service itself falls behind.
SENDERS = 48


@dataclass(frozen=True)
class Target:
    """A fund that gifts go to, and the token of a treasurer who may record them."""

    fund_id: str
    token: str


@dataclass
class Figures:
    offered_per_s: float
    seconds: float
    sent: int = 0
    recorded: int = 0
    errors: int = 0
    #: Answers other than success, by what was asked and the status answered.
    refusals: dict[str, int] = field(default_factory=dict)
    latencies_ms: list[float] = field(default_factory=list)
    lags_ms: list[float] = field(default_factory=list)
    reads_ms: dict[str, list[float]] = field(default_factory=dict)
    finished_after_s: float = 0.0

    def refused(self, what: str, status: int) -> None:
        self.errors += 1
        key = f"{what} {status}"
        self.refusals[key] = self.refusals.get(key, 0) + 1

    def summary(self) -> dict[str, Any]:
        def spread(values: Sequence[float]) -> dict[str, float | int | None]:
            if not values:
                return {"count": 0, "p50_ms": None, "p99_ms": None}
            return {
                "count": len(values),
                "p50_ms": round(percentile(values, 50), 1),
                "p99_ms": round(percentile(values, 99), 1),
            }

        return {
            "offered_per_s": self.offered_per_s,
            "seconds": self.seconds,
            "sent": self.sent,
            "recorded": self.recorded,
            "errors": self.errors,
            "refusals": self.refusals,
            "achieved_per_s": round(self.recorded / self.finished_after_s, 1)
            if self.finished_after_s
            else 0.0,
            "drained_after_s": round(self.finished_after_s, 1),
            "write": spread(self.latencies_ms),
            "lag_min_position": spread(self.lags_ms),
            "reads": {name: spread(values) for name, values in self.reads_ms.items()},
        }


def replay(
    port: int,
    targets: Sequence[Target],
    day: date,
    rate: float,
    seconds: float,
    reads: dict[str, Callable[[random.Random], str]],
    *,
    reads_per_s: float = 10,
    seed: int = 1,
) -> Figures:
    """Offers ``rate`` receipts a second for ``seconds`` (Poisson arrivals) to funds
    chosen among ``targets``, and ``reads_per_s`` public reads of the paths ``reads``
    makes; a write's latency runs from its arrival, so waiting for a connection counts."""
    rng = random.Random(seed)
    figures = Figures(offered_per_s=rate, seconds=seconds)
    lock = threading.Lock()
    arrivals: queue.Queue[tuple[float, Target, dict[str, Any]] | None] = queue.Queue()
    started = time.perf_counter()
    done = threading.Event()

    def send() -> None:
        clients: dict[str, Client] = {}
        sampled = False
        rng_keys = random.Random()
        while (item := arrivals.get()) is not None:
            arrived, target, body = item
            key = {"Idempotency-Key": str(uuid.UUID(int=rng_keys.getrandbits(128)))}
            path = f"/api/v1/funds/{target.fund_id}/receipts"
            try:
                # A keep-alive connection the server closed while idle is opened again,
                # and the write sent again under the same key, as a real client does.
                for attempt in range(2):
                    api = clients.setdefault(target.token, Client(port, target.token))
                    try:
                        answer = api.call("POST", path, body, key)
                        break
                    except OSError:
                        clients.pop(target.token).close()
                        if attempt:
                            raise
            except OSError:
                with lock:
                    figures.refused("write", 0)
                continue
            answered = time.perf_counter()
            with lock:
                figures.latencies_ms.append((answered - arrived) * 1000)
                if answer.status == 201:
                    figures.recorded += 1
                    sampled = figures.recorded % 10 == 0
                else:
                    figures.refused("write", answer.status)
            if answer.status == 201 and sampled:
                path = f"/api/v1/funds/{target.fund_id}?min_position={answer.body['position']}"
                if api.call("GET", path).status == 200:
                    with lock:
                        figures.lags_ms.append((time.perf_counter() - answered) * 1000)
        for api in clients.values():
            api.close()

    def read() -> None:
        reader, api = random.Random(seed + 1), Client(port)
        due = time.perf_counter()
        while not done.is_set():
            name = reader.choice(sorted(reads))
            began = time.perf_counter()
            status = api.call("GET", reads[name](reader)).status
            with lock:
                figures.reads_ms.setdefault(name, []).append((time.perf_counter() - began) * 1000)
                if status != 200:
                    figures.refused(name, status)
            due += 1 / reads_per_s
            time.sleep(max(0.0, due - time.perf_counter()))
        api.close()

    senders = [threading.Thread(target=send) for _ in range(SENDERS)]
    reader = threading.Thread(target=read)
    for thread in [*senders, reader]:
        thread.start()
    at = started
    while (at := at + rng.expovariate(rate)) < started + seconds:
        time.sleep(max(0.0, at - time.perf_counter()))
        arrivals.put((at, rng.choice(targets), gift_body(rng, day)))
        figures.sent += 1
    for _ in senders:
        arrivals.put(None)
    for thread in senders:
        thread.join()
    figures.finished_after_s = time.perf_counter() - started
    done.set()
    reader.join()
    return figures
