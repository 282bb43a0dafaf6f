"""The store: which database a URL names, the event store's settings for it, and
plain-SQL transactions for the read models on PostgreSQL or SQLite alike.

SQL in this project is written once with ``:name`` parameters and runs on both.
"""

from __future__ import annotations

import functools
import math
import queue
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Literal, TypeVar
from urllib.parse import unquote, urlsplit
from uuid import UUID

import psycopg
import psycopg_pool
from psycopg.rows import dict_row, tuple_row

Dialect = Literal["postgresql", "sqlite"]
Row = dict[str, Any]

#: The event store's name: its tables are ``sovang_events`` and ``sovang_snapshots``.
APPLICATION_NAME = "sovang"
#: The recorders that load only events that are leaves of the log.
_RECORDERS = "service.adapters.log_recorders"

_NAMED_PARAMETER = re.compile(r"(?<![:\w]):(\w+)")


class StoreUnavailable(Exception):
    """The database cannot be reached or is too busy to answer in time."""


class QueryTimedOut(StoreUnavailable):
    """A read ran past the time its connection allows (the public reads' limit)."""


class BadDatabaseUrl(ValueError):
    """SOVANG_DATABASE_URL names no store that Sổ Vàng can use."""


T = TypeVar("T")


@dataclass(frozen=True)
class StoreUrl:
    dialect: Dialect
    url: str
    path: str = ""

    @classmethod
    def parse(cls, url: str) -> StoreUrl:
        parts = urlsplit(url)
        if parts.scheme in ("postgresql", "postgres", "postgresql+psycopg"):
            return cls("postgresql", url)
        if (
            parts.scheme == "sqlite"
            and url.startswith("sqlite:///")
            and len(url) > len("sqlite:///")
        ):
            # sqlite:///relative/file.db and sqlite:////absolute/file.db, as SQLAlchemy reads them.
            return cls("sqlite", url, url[len("sqlite:///") :])
        raise BadDatabaseUrl(
            "SOVANG_DATABASE_URL phải có dạng postgresql://user:password@host:port/dbname "
            f"hoặc sqlite:///đường/dẫn/tệp.db; không dùng được {url!r}. Hãy sửa biến này "
            "rồi chạy lại lệnh."
        )

    def eventsourcing_env(self, *, create_table: bool, pool_size: int) -> dict[str, str]:
        """The eventsourcing library's settings for its recorders on this store: the
        application's recorder loads only events that are leaves of the log
        (``service.adapters.log_recorders``)."""
        common = {
            "IS_SNAPSHOTTING_ENABLED": "y",
            # Recently used aggregates stay in memory and are brought up to date with
            # one query for the events saved since (by this or any other process).
            "AGGREGATE_CACHE_MAXSIZE": "10000",
            "AGGREGATE_CACHE_FASTFORWARD": "y",
            "CREATE_TABLE": "y" if create_table else "n",
        }
        if self.dialect == "sqlite":
            return {
                **common,
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "APPLICATION_RECORDER_TOPIC": f"{_RECORDERS}:CheckedSQLiteRecorder",
                "SQLITE_DBNAME": self.path,
                "SQLITE_LOCK_TIMEOUT": "10",
            }
        parts = urlsplit(self.url)
        return {
            **common,
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "APPLICATION_RECORDER_TOPIC": f"{_RECORDERS}:CheckedPostgresRecorder",
            "POSTGRES_DBNAME": unquote(parts.path.lstrip("/")),
            "POSTGRES_HOST": parts.hostname or "127.0.0.1",
            "POSTGRES_PORT": str(parts.port or 5432),
            "POSTGRES_USER": unquote(parts.username or "postgres"),
            "POSTGRES_PASSWORD": unquote(parts.password or ""),
            "POSTGRES_CONNECT_TIMEOUT": "5",
            "POSTGRES_LOCK_TIMEOUT": "5",
            "POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT": "10",
            "POSTGRES_POOL_SIZE": str(pool_size),
            "POSTGRES_MAX_OVERFLOW": str(pool_size),
            # No ping before each use: a connection broken by a restart of the server fails
            # its request (503, retried by the library where safe) and is discarded.
            "POSTGRES_PRE_PING": "n",
        }

    @property
    def yoyo_url(self) -> str:
        if self.dialect == "sqlite":
            return self.url
        return "postgresql+psycopg://" + self.url.split("://", 1)[1]

    @property
    def libpq_url(self) -> str:
        return "postgresql://" + self.url.split("://", 1)[1]


def standby_url(url: str, primary: StoreUrl) -> StoreUrl:
    """The store of the reads that may be served by a hot standby (SOVANG_READ_DATABASE_URL):
    that standby, or the primary itself when none is named."""
    if not url:
        return primary
    try:
        standby = StoreUrl.parse(url)
    except BadDatabaseUrl:
        standby = None
    if standby is None or standby.dialect != "postgresql" or primary.dialect != "postgresql":
        raise BadDatabaseUrl(
            "SOVANG_READ_DATABASE_URL phải là postgresql://user:password@host:port/dbname của "
            "một máy chủ dự phòng (hot standby) sao chép từ SOVANG_DATABASE_URL, và "
            f"SOVANG_DATABASE_URL cũng phải là PostgreSQL; không dùng được {url!r}. "
            "Hãy sửa biến này, hoặc bỏ trống để mọi trang đọc từ máy chủ chính."
        )
    return standby


class Transaction:
    """One transaction on the read-model store, with ``:name`` parameters.

    Writes are sent in batches: consecutive ``execute`` calls of the same statement are
    held and sent together (one round trip on PostgreSQL) when a different statement,
    a read or the commit comes. A projection applying a page of events thus costs a few
    round trips, not one per event, and every read still sees every earlier write.
    """

    def __init__(self, cursor: Any, dialect: Dialect) -> None:
        self._cursor = cursor
        self.dialect = dialect
        self._held_sql = ""
        self._held: list[Mapping[str, Any]] = []
        self._held_table: tuple[str, tuple[str, ...]] | None = None

    def execute(self, sql: str, params: Mapping[str, Any] | None = None) -> None:
        """A write; it reaches the store at the latest when the transaction reads or ends."""
        if sql != self._held_sql:
            self.flush()
            self._held_sql, self._held_table = sql, None
        self._held.append(params or {})

    def insert(self, table: str, row: Mapping[str, Any]) -> None:
        """Adds a row to ``table``; rows with the same columns go together (by COPY on
        PostgreSQL)."""
        columns = tuple(row)
        self.execute(_insert_sql(table, columns), row)
        self._held_table = (table, columns)

    def executemany(self, sql: str, rows: Sequence[Mapping[str, Any]]) -> None:
        self.flush()
        if rows:
            self._cursor.executemany(self._native(sql), rows)

    def flush(self) -> None:
        """Sends the writes held so far."""
        held, self._held = self._held, []
        if self._held_table is not None and self.dialect == "postgresql" and len(held) > 1:
            table, columns = self._held_table
            with self._cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in held:
                    copy.write_row([row[column] for column in columns])
        elif len(held) == 1:
            self._cursor.execute(self._native(self._held_sql), held[0])
        elif held:
            self._cursor.executemany(self._native(self._held_sql), held)

    def stream(
        self, sql: str, params: Mapping[str, Any] | None = None, *, size: int = 2000
    ) -> Iterator[tuple[Any, ...]]:
        """The rows of a long read as tuples, fetched ``size`` at a time (through a
        server-side cursor, in binary, on PostgreSQL), so that memory stays flat and no
        row becomes a dictionary."""
        self.flush()
        if self.dialect == "postgresql":
            connection = self._cursor.connection
            with connection.cursor(
                name="sovang_stream", row_factory=tuple_row, binary=True
            ) as cursor:
                cursor.execute(self._native(sql), params or {})
                yield from _read_ahead(lambda: cursor.fetchmany(size))
        else:
            cursor = self._cursor.connection.cursor()
            try:
                cursor.execute(sql, params or {})
                while rows := cursor.fetchmany(size):
                    yield from (tuple(row) for row in rows)
            finally:
                cursor.close()

    def one(self, sql: str, params: Mapping[str, Any] | None = None) -> Row | None:
        row = self._read(sql, params).fetchone()
        return _plain(row) if row is not None else None

    def all(self, sql: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        return [_plain(row) for row in self._read(sql, params).fetchall()]

    def scalar(self, sql: str, params: Mapping[str, Any] | None = None) -> Any:
        row = self.one(sql, params)
        return None if row is None else next(iter(row.values()))

    def _read(self, sql: str, params: Mapping[str, Any] | None) -> Any:
        self.flush()
        self._cursor.execute(self._native(sql), params or {})
        return self._cursor

    def _native(self, sql: str) -> str:
        return _psycopg_sql(sql) if self.dialect == "postgresql" else sql


def _read_ahead(fetch: Callable[[], list[T]]) -> Iterator[T]:
    """The rows of the pages ``fetch`` returns until an empty one, the next page fetched
    by a thread while the caller works through the current one: the driver waits for the
    server without holding the interpreter's lock, so reading and the caller's work
    overlap. The connection serialises the thread's fetches with the caller's statements."""
    pages: queue.Queue[list[T] | BaseException | None] = queue.Queue(maxsize=2)
    stop = threading.Event()

    def put(item: list[T] | BaseException | None) -> None:
        while not stop.is_set():
            try:
                pages.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    def read() -> None:
        try:
            while not stop.is_set():
                page = fetch()
                put(page or None)
                if not page:
                    return
        except BaseException as error:  # raised again in the caller's thread
            put(error)

    reader = threading.Thread(target=read, name="read-ahead", daemon=True)
    reader.start()
    try:
        while (item := pages.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield from item
    finally:
        stop.set()
        reader.join()


@functools.lru_cache(maxsize=64)
def _insert_sql(table: str, columns: tuple[str, ...]) -> str:
    """The INSERT of a row of these columns, made once per shape, not once per row."""
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) "
        f"VALUES ({', '.join(':' + column for column in columns)})"
    )


@functools.lru_cache(maxsize=512)
def _psycopg_sql(sql: str) -> str:
    """``:name`` parameters as psycopg spells them (``%(name)s``), a literal % doubled."""
    return _NAMED_PARAMETER.sub(r"%(\1)s", sql.replace("%", "%%"))


def _plain(row: Any) -> Row:
    """A row with ids, dates and times as the strings SQLite stores, on either store."""
    return {key: _plain_value(value) for key, value in dict(row).items()}


def _plain_value(value: Any) -> Any:
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


@contextmanager
def _postgres_errors() -> Iterator[None]:
    """PostgreSQL's and the pool's failures as the store's errors."""
    try:
        yield
    except (psycopg_pool.PoolTimeout, psycopg.OperationalError) as error:
        if isinstance(error, psycopg.errors.LockNotAvailable):
            raise StoreBusy(str(error)) from error
        if isinstance(error, psycopg.errors.QueryCanceled):
            raise QueryTimedOut(str(error)) from error
        raise StoreUnavailable(str(error)) from error


class Database:
    """Connections to the read models, opened lazily in the process that uses them."""

    def __init__(
        self, url: StoreUrl, *, pool_size: int = 4, statement_seconds: float | None = None
    ) -> None:
        """``statement_seconds`` stops any statement that runs longer (PostgreSQL's
        statement_timeout, an SQLite progress handler); by default 30 s on PostgreSQL
        and no limit on SQLite."""
        self.url = url
        self.dialect: Dialect = url.dialect
        self._pool_size = pool_size
        self._statement_seconds = statement_seconds
        self._pool: psycopg_pool.ConnectionPool[psycopg.Connection[Row]] | None = None
        self._local = threading.local()
        self._lock = threading.Lock()

    @contextmanager
    def transaction(self, *, write: bool = False, nowait: bool = False) -> Iterator[Transaction]:
        """A transaction; ``write`` takes SQLite's write lock up front, ``nowait``
        gives up at once (StoreBusy) if another writer holds it."""
        if self.dialect == "sqlite":
            with self._sqlite_transaction(write=write, nowait=nowait) as tx:
                yield tx
        else:
            with self._postgres_transaction() as tx:
                yield tx

    def read_one(self, sql: str, params: Mapping[str, Any] | None = None) -> Row | None:
        """The first row of a single SELECT, or None. On PostgreSQL the statement runs on
        its own (autocommit): one round trip instead of ``BEGIN``, the ``SELECT`` and
        ``COMMIT``, and the same answer, since one statement reads one snapshot."""
        if self.dialect == "sqlite":
            with self.transaction() as tx:
                return tx.one(sql, params)
        pool = self._postgres_pool()
        with _postgres_errors(), pool.connection(timeout=5) as conn:
            conn.autocommit = True
            try:
                row = conn.execute(_psycopg_sql(sql), params or {}).fetchone()
            finally:
                conn.autocommit = False
        return _plain(row) if row is not None else None

    @contextmanager
    def _postgres_transaction(self) -> Iterator[Transaction]:
        pool = self._postgres_pool()
        with _postgres_errors():
            conn_cm = pool.connection(timeout=5)
            with conn_cm as conn, conn.transaction(), conn.cursor() as cursor:
                tx = Transaction(cursor, "postgresql")
                yield tx
                tx.flush()

    def _postgres_pool(self) -> psycopg_pool.ConnectionPool[psycopg.Connection[Row]]:
        with self._lock:
            if self._pool is None:
                self._pool = psycopg_pool.ConnectionPool(
                    self.url.libpq_url,
                    min_size=0,
                    max_size=self._pool_size,
                    kwargs={
                        "row_factory": dict_row,
                        "connect_timeout": 5,
                        "options": f"-c statement_timeout={self._statement_ms()}",
                    },
                    # A connection the server dropped fails its transaction (503) and the
                    # pool discards it; no round trip is spent checking each checkout.
                    open=True,
                )
            return self._pool

    def _statement_ms(self) -> int:
        seconds = 30.0 if self._statement_seconds is None else self._statement_seconds
        return max(1, int(seconds * 1000))

    @contextmanager
    def _sqlite_transaction(self, *, write: bool, nowait: bool) -> Iterator[Transaction]:
        conn = self._sqlite_connection()
        conn.execute(f"PRAGMA busy_timeout = {0 if nowait else 10000}")
        try:
            conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        except sqlite3.OperationalError as error:
            if nowait and "locked" in str(error):
                raise StoreBusy(str(error)) from error
            raise StoreUnavailable(str(error)) from error
        if self._statement_seconds is not None:
            self._local.deadline = time.monotonic() + self._statement_seconds
        try:
            tx = Transaction(conn.cursor(), "sqlite")
            yield tx
            tx.flush()
        except sqlite3.OperationalError as error:
            self._local.deadline = math.inf
            conn.rollback()
            if "interrupted" in str(error):
                raise QueryTimedOut(str(error)) from error
            raise
        except BaseException:
            self._local.deadline = math.inf
            conn.rollback()
            raise
        else:
            self._local.deadline = math.inf
            conn.commit()

    def _sqlite_connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.url.path, isolation_level=None, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            if self._statement_seconds is not None:
                local = self._local
                # Called every thousand steps of the virtual machine: a non-zero answer
                # interrupts the statement running past the transaction's deadline.
                conn.set_progress_handler(
                    lambda: int(time.monotonic() > getattr(local, "deadline", math.inf)), 1000
                )
            self._local.conn = conn
        return conn

    def pool_stats(self) -> tuple[int, int, int] | None:
        """Connections open, idle, and requests waiting, of this process's pool."""
        if self._pool is None:
            return None
        stats = self._pool.get_stats()
        return (
            stats.get("pool_size", 0),
            stats.get("pool_available", 0),
            stats.get("requests_waiting", 0),
        )

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None


class StoreBusy(StoreUnavailable):
    """Another process holds the lock this transaction asked for without waiting."""
