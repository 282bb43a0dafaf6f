"""One fund's writers queue instead of bouncing off each other.

Every write loads its aggregates, decides, and saves them with optimistic concurrency:
two writers of one fund that load the same version cannot both save, and the loser
reloads and tries again. On a hot fund (a national appeal on a televised evening) most
writers lose most of the time, and some run out of attempts. So a write takes its
fund's lock before it loads the fund and keeps it until it has saved:

- in the process, a lock per stripe of funds (a fixed array of locks, a fund's stripe
  chosen by its id), so threads of one worker queue in the process;
- across processes and hosts on PostgreSQL, a session-level advisory lock keyed by the
  fund, taken on a connection of a small set of this module's own (the recorder's
  transactions cannot hold it: loading and saving are separate transactions). The wait
  is bounded by ``lock_timeout``; past it the write is answered 503, not left to hang.

A write locks the first fund it loads, and only that one: holding one lock at a time, no
two writers can wait on each other. Other aggregates it changes (a transfer's
destination, a pledge) stay optimistic, and the engine's bounded retry remains the
guard for every aggregate. SQLite lets one process write at a time but two threads may
still load the same version, so the lock in the process serves it too.
"""

from __future__ import annotations

import hashlib
import threading
import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from uuid import UUID

from service.adapters.db import StoreUnavailable

if TYPE_CHECKING:
    import psycopg

    from service.adapters.db import StoreUrl

#: How long a write waits for its fund before it is answered 503.
WAIT_SECONDS = 10.0
#: Stripes of the locks in the process: two funds on one stripe queue together.
STRIPES = 1024
#: The advisory locks' first key (the two-number form, apart from the projections'
#: leadership locks, which use the one-number form).
ADVISORY_CLASS = int.from_bytes(hashlib.sha256(b"sovang.fund").digest()[:4], "big", signed=True)
#: Idle connections kept for the advisory locks; more are opened while more writers wait.
IDLE_CONNECTIONS = 4


@dataclass(frozen=True)
class Reading:
    """A read run on the lock's connection as soon as the lock is granted, in the same
    round trip: the statement ``name``, prepared once a connection by ``prepare``
    (``PREPARE name (...) AS ...``), executed with ``params``. Under READ COMMITTED each
    statement reads its own snapshot, so the read sees every write that the fund's
    previous holder committed before it unlocked."""

    name: str
    prepare: str
    params: Sequence[Any]


@dataclass
class _Session:
    """The database lock the current write holds: its connection and key, and whether
    the write's save has already unlocked it (``save_and_unlock``)."""

    conn: Any
    key: tuple[int, int]
    unlocked: bool = False


class FundBusy(StoreUnavailable):
    """A write waited longer than it may for the other writers of its fund."""


class FundLocks:
    """The locks of the funds' writers in one process (and, on PostgreSQL, across them)."""

    def __init__(self, url: StoreUrl | None = None, *, wait_seconds: float = WAIT_SECONDS) -> None:
        self._url = url if url is not None and url.dialect == "postgresql" else None
        self._wait = wait_seconds
        self._stripes = [threading.Lock() for _ in range(STRIPES)]
        self._local = threading.local()
        self._idle: list[psycopg.Connection[tuple[object, ...]]] = []
        self._idle_lock = threading.Lock()
        #: The readings prepared on each of the module's connections.
        self._prepared: weakref.WeakKeyDictionary[Any, set[str]] = weakref.WeakKeyDictionary()

    @contextmanager
    def scope(self) -> Iterator[None]:
        """One write: the fund it loads first stays locked until the write ends."""
        if getattr(self._local, "held", None) is not None:
            # A write inside a write: the outer one holds the lock, and saves through it.
            session, self._local.session = getattr(self._local, "session", None), None
            try:
                yield
            finally:
                self._local.session = session
            return
        self._local.held = []
        try:
            yield
        finally:
            self._local.session = None
            held, self._local.held = self._local.held, None
            for release in reversed(held):
                release()

    def hold(self, fund_id: UUID, then: Reading | None = None) -> list[dict[str, Any]] | None:
        """Called before the fund is loaded: inside a write that holds no fund yet, waits
        for the fund's other writers (bounded) and locks it for the rest of the write.
        ``then`` is read on the lock's connection in the round trip that takes the lock;
        its rows are returned, or None when it was not read (no lock taken here, or none
        in the database)."""
        held: list[Callable[[], None]] | None = getattr(self._local, "held", None)
        if held is None or held:
            return None
        stripe = self._stripes[fund_id.int % STRIPES]
        if not stripe.acquire(timeout=self._wait):
            raise FundBusy(f"the writers of fund {fund_id} did not finish in time")
        held.append(stripe.release)
        if self._url is None:
            return None
        release, rows = self._advisory(fund_id, then)
        held.append(release)
        return rows

    def save_and_unlock(self, statement: str, params: Sequence[Any]) -> list[dict[str, Any]] | None:
        """Runs the write's save on the connection that holds its fund's lock, and unlocks
        it in the same round trip: ``BEGIN; statement; COMMIT; SELECT
        pg_advisory_unlock(...)`` (the unlock after the commit, so the next writer reads
        this one's events). ``statement`` is statements with ``%s`` marks for ``params``,
        the last returning the rows that are returned. None when this thread's write holds
        no database lock (the caller saves on its own connection). A save refused (a
        conflict) is rolled back and the lock kept for the write's next attempt; psycopg's
        error is raised."""
        import psycopg
        from psycopg import ClientCursor
        from psycopg.pq import ExecStatus, TransactionStatus
        from psycopg.rows import dict_row

        session: _Session | None = getattr(self._local, "session", None)
        if session is None or session.unlocked:
            return None
        conn = session.conn
        try:
            with ClientCursor(conn, row_factory=dict_row) as curs:
                curs.execute(
                    f"BEGIN; {statement}; COMMIT; SELECT pg_advisory_unlock(%s, %s)",
                    [*params, *session.key],
                )
                while curs.pgresult is not None and curs.pgresult.status != ExecStatus.TUPLES_OK:
                    curs.nextset()
                rows = curs.fetchall()
        except psycopg.Error:
            if not conn.closed and conn.info.transaction_status == TransactionStatus.INERROR:
                try:
                    conn.execute("ROLLBACK")
                except psycopg.Error:
                    conn.close()  # the session ends, and its lock with it
            if conn.closed or conn.broken:
                session.unlocked = True
            raise
        session.unlocked = True
        return rows

    def close(self) -> None:
        with self._idle_lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()

    def _advisory(
        self, fund_id: UUID, then: Reading | None
    ) -> tuple[Callable[[], None], list[dict[str, Any]] | None]:
        """Takes the fund's advisory lock (and reads ``then``); returns what releases it,
        and the rows read."""
        import psycopg

        key = (ADVISORY_CLASS, int.from_bytes(fund_id.bytes[:4], "big", signed=True))
        try:
            conn = self._connection()
        except psycopg.Error as error:
            raise StoreUnavailable(str(error)) from error
        rows: list[dict[str, Any]] | None = None
        try:
            if then is None:
                conn.execute("SELECT pg_advisory_lock(%s, %s)", key)
            else:
                rows = self._lock_and_read(conn, key, then)
        except psycopg.errors.LockNotAvailable:
            if then is None:
                self._put_back(conn)  # the lock was not granted
            else:
                # The lock may have been granted and the reading timed out after it: a
                # session's lock outlives the statement, so the session is ended with it.
                conn.close()
            raise FundBusy(f"the writers of fund {fund_id} did not finish in time") from None
        except psycopg.Error as error:
            conn.close()
            raise StoreUnavailable(str(error)) from error
        session = self._local.session = _Session(conn, key)

        def release() -> None:
            if session.unlocked:
                if not (conn.closed or conn.broken):
                    self._put_back(conn)
                return
            try:
                conn.execute("SELECT pg_advisory_unlock(%s, %s)", key)
            except psycopg.Error:
                conn.close()  # the session ends, and its locks with it
                return
            self._put_back(conn)

        return release, rows

    def _lock_and_read(
        self, conn: psycopg.Connection[tuple[object, ...]], key: tuple[int, int], then: Reading
    ) -> list[dict[str, Any]]:
        """``pg_advisory_lock`` and ``EXECUTE`` of the reading as one string: one round
        trip (the reading is prepared on the connection first, once)."""
        from psycopg import ClientCursor
        from psycopg.errors import InvalidSqlStatementName
        from psycopg.rows import dict_row

        prepared = self._prepared.setdefault(conn, set())
        if then.name not in prepared:
            conn.execute(then.prepare)
            prepared.add(then.name)
        marks = ", ".join(["%s"] * len(then.params))
        with ClientCursor(conn, row_factory=dict_row) as curs:
            try:
                curs.execute(
                    f"SELECT pg_advisory_lock(%s, %s); EXECUTE {then.name}({marks})",
                    [*key, *then.params],
                )
                curs.nextset()
            except InvalidSqlStatementName:
                # The session lost its prepared statements (a ``DEALLOCATE ALL``). The
                # lock, a session's, was granted before the ``EXECUTE`` failed and is
                # still held: the reading alone is prepared and run again.
                conn.execute(then.prepare)
                curs.execute(f"EXECUTE {then.name}({marks})", then.params)
            return curs.fetchall()

    def _connection(self) -> psycopg.Connection[tuple[object, ...]]:
        import psycopg

        with self._idle_lock:
            if self._idle:
                return self._idle.pop()
        assert self._url is not None
        return psycopg.connect(
            self._url.libpq_url,
            autocommit=True,
            connect_timeout=5,
            application_name="sovang-fund-locks",
            # psycopg prepares no statement of its own here: after a ``ROLLBACK`` it would
            # clear them all by ``DEALLOCATE ALL``, the readings' with them.
            prepare_threshold=None,
            options=f"-c lock_timeout={int(self._wait * 1000)}",
        )

    def _put_back(self, conn: psycopg.Connection[tuple[object, ...]]) -> None:
        if conn.closed:
            return
        with self._idle_lock:
            if len(self._idle) < IDLE_CONNECTIONS:
                self._idle.append(conn)
                return
        conn.close()
