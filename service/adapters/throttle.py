"""Limits on what one client may do in a window of time, answered with 429 and
Retry-After.

``SharedCount`` keeps its count in the database, so every worker and every host sees the
same count: failed authentications per client address, checkpoints signed on demand per
token. ``LocalRate`` keeps its count in the process: the public routes' requests per
address, which must cost no write to the database.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

from service.adapters.db import Database

WINDOW_SECONDS = 60.0


class TooManyRequests(Exception):
    """This client asked too often; ``retry_after`` seconds to wait."""

    code = "too-many-requests"
    title = "Quá nhiều yêu cầu"

    def __init__(self, retry_after: int, detail: str = "") -> None:
        self.retry_after = retry_after
        self.detail = detail or (
            f"Bạn đã gửi quá nhiều yêu cầu trong một phút; hãy thử lại sau {retry_after} giây."
        )
        super().__init__(self.detail)


class TooManyFailures(TooManyRequests):
    """This client failed to authenticate too often."""

    code = "too-many-failed-authentications"
    title = "Quá nhiều lần xác thực sai"

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            retry_after,
            "Địa chỉ này đã gửi quá nhiều mã truy cập sai, đã thu hồi hoặc đã hết hạn; "
            f"hãy thử lại sau {retry_after} giây. "
            "Mã truy cập hợp lệ vẫn được chấp nhận.",
        )


class SharedCount:
    """At most ``limit`` counted events of one ``kind`` per client in a minute, counted in
    the database (table ``request_counts``) across every process that shares it."""

    def __init__(
        self,
        db: Callable[[], Database],
        kind: str,
        limit: int,
        *,
        clock: Callable[[], float] = time.time,
        refusal: Callable[[int], TooManyRequests] = TooManyRequests,
    ) -> None:
        self.db = db
        self.kind = kind
        self.limit = limit
        self.clock = clock
        self.refusal = refusal

    def count(self, client: str) -> None:
        """Counts one more event of ``client``; refuses it (without counting it) when the
        client has used up its minute."""
        now = self.clock()
        with self.db().transaction(write=True) as tx:
            tx.execute("DELETE FROM request_counts WHERE at <= :cutoff", {"cutoff": now - 60})
            row = tx.one(
                "SELECT count(*) AS n, min(at) AS first FROM request_counts "
                "WHERE kind = :kind AND client = :client AND at > :cutoff",
                {"kind": self.kind, "client": client, "cutoff": now - WINDOW_SECONDS},
            )
            assert row is not None
            if int(row["n"]) >= self.limit:
                wait = float(row["first"]) + WINDOW_SECONDS - now
                raise self.refusal(max(1, math.ceil(wait)))
            tx.execute(
                "INSERT INTO request_counts (kind, client, at) VALUES (:kind, :client, :at)",
                {"kind": self.kind, "client": client, "at": now},
            )


class LocalRate:
    """A budget of requests per client in this process: ``burst`` at once, refilled at
    ``per_minute`` a minute (a token bucket), so that a client asking without pause
    gets its fair share of work and is refused the rest at once."""

    def __init__(
        self, per_minute: int, burst: int, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate = max(per_minute, 1) / WINDOW_SECONDS
        self.burst = float(max(burst, 1))
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def wait(self, client: str) -> int:
        """Takes one request from ``client``'s budget: 0 if it may go on, else the whole
        seconds to wait for the next."""
        with self._lock:
            now = self.clock()
            tokens, at = self._buckets.get(client, (self.burst, now))
            tokens = min(self.burst, tokens + (now - at) * self.rate)
            if tokens < 1:
                self._buckets[client] = (tokens, now)
                return max(1, math.ceil((1 - tokens) / self.rate))
            self._buckets[client] = (tokens - 1, now)
            if len(self._buckets) > 100_000:
                self._forget(now)
            return 0

    def _forget(self, now: float) -> None:
        full = self.burst / self.rate
        for client in [c for c, (_, at) in self._buckets.items() if now - at >= full]:
            del self._buckets[client]
