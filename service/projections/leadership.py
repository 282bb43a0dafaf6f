"""Which runner follows the log for which projection: one at a time, with failover.

On PostgreSQL each dedicated runner holds, on a connection of its own, a session-level
advisory lock per projection it leads. A runner that dies loses its connection and so
its locks, and another runner takes them over at its next round. A reader that helps a
projection catch up may still apply a page (the tracking row's lock makes that safe);
only the leader follows the log. SQLite lives on one host with one runner, which leads
every projection.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence

import psycopg

from service.adapters.db import Database, StoreUrl

#: How a runner's leadership connection names itself: this, then its process id.
APPLICATION_NAME = "sovang-runner-"


def lock_key(name: str) -> int:
    """The advisory lock of the projection ``name``: a stable signed 64-bit number."""
    digest = hashlib.sha256(f"sovang.projection:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class Leadership:
    def __init__(self, url: StoreUrl, names: Sequence[str]) -> None:
        self.url = url
        self.names = list(names)
        self._held: set[str] = set()
        self._conn: psycopg.Connection[tuple[object, ...]] | None = None

    def held(self) -> frozenset[str]:
        """Takes every projection no other runner leads; returns those this one leads."""
        if self.url.dialect != "postgresql":
            return frozenset(self.names)
        try:
            if self._conn is None or self._conn.closed:
                self._held.clear()
                self._conn = psycopg.connect(
                    self.url.libpq_url,
                    autocommit=True,
                    connect_timeout=5,
                    application_name=f"{APPLICATION_NAME}{os.getpid()}",
                )
            for name in self.names:
                if name not in self._held:
                    row = self._conn.execute(
                        "SELECT pg_try_advisory_lock(%s)", (lock_key(name),)
                    ).fetchone()
                    if row is not None and row[0]:
                        self._held.add(name)
        except psycopg.OperationalError:
            # The server went away: so did the locks. Lead nothing until it is back.
            self.close()
        return frozenset(self._held)

    def close(self) -> None:
        self._held.clear()
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def leaders(db: Database, names: Sequence[str]) -> dict[str, int | None]:
    """The process id of the runner leading each projection, None when none leads (on
    SQLite, whichever runner runs leads them all, and none is named)."""
    if db.dialect != "postgresql":
        return dict.fromkeys(names)
    with db.transaction() as tx:
        rows = tx.all(
            "SELECT l.classid::bigint AS high, l.objid::bigint AS low, "
            "a.application_name AS runner FROM pg_locks l "
            "JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 "
            "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        )
    by_key = {
        (int(row["high"]) << 32) | int(row["low"]): int(
            row["runner"].removeprefix(APPLICATION_NAME)
        )
        for row in rows
        if str(row["runner"]).startswith(APPLICATION_NAME)
    }
    return {name: by_key.get(lock_key(name) & 0xFFFFFFFFFFFFFFFF) for name in names}
