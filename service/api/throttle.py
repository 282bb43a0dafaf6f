"""Guessing tokens does not pay: a client that presents too many unknown, revoked or
expired tokens in a minute is refused (429) until the minute has passed.

Counted per client address in each process; with several workers a client gets at
most the limit per worker, which still bounds guessing to a few per second.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable

WINDOW_SECONDS = 60.0


class TooManyFailures(Exception):
    """This client failed to authenticate too often; ``retry_after`` seconds to wait."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many failed authentications; retry after {retry_after} s")
        self.retry_after = retry_after


class FailedAuthentications:
    def __init__(self, limit: int, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.clock = clock
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def check(self, client: str) -> None:
        """Refuses a client that has used up its failures of the last minute."""
        with self._lock:
            recent = self._recent(client)
            if len(recent) >= self.limit:
                raise TooManyFailures(max(1, int(recent[0] + WINDOW_SECONDS - self.clock()) + 1))

    def failed(self, client: str) -> None:
        with self._lock:
            self._recent(client).append(self.clock())

    def _recent(self, client: str) -> deque[float]:
        failures = self._failures[client]
        while failures and failures[0] <= self.clock() - WINDOW_SECONDS:
            failures.popleft()
        if not failures:
            del self._failures[client]
            failures = self._failures[client]
        return failures
