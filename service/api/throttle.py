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
from collections import defaultdict, deque
from collections.abc import Callable

from service.db import Database

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
    """At most ``limit`` requests per client in a minute, counted in this process."""

    def __init__(self, limit: int, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.clock = clock
        self._seen: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def count(self, client: str) -> None:
        """Counts a request of ``client``, or refuses it once the minute is used up."""
        with self._lock:
            now = self.clock()
            seen = self._seen[client]
            while seen and seen[0] <= now - WINDOW_SECONDS:
                seen.popleft()
            if len(seen) >= self.limit:
                raise TooManyRequests(max(1, math.ceil(seen[0] + WINDOW_SECONDS - now)))
            seen.append(now)
            if len(self._seen) > 100_000:
                self._forget(now)

    def _forget(self, now: float) -> None:
        for client in [c for c, s in self._seen.items() if not s or s[-1] <= now - 60]:
            del self._seen[client]
