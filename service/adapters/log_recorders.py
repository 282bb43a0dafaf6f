"""The event store's recorders, refusing to load an event that is not a leaf of the log.

An aggregate is loaded from the rows of the events table with its id, whatever their
notification ids; the log's tree covers the rows at notification ids 1, 2, 3, ... So a
row inserted by hand outside that walk (notification id 0 or below), or altered in
place, would change an aggregate that ``sovang audit verify`` never looks at. These
recorders read each event's notification id and the leaf the tree recorded at that
position (one indexed join, no extra round trip) and refuse the load unless:

- the notification id is a position of the log (1 or more), and
- where the tree already holds that position, the event gives that leaf.

An event newer than the tree (the projections have not reached it yet) is loaded: the
tree records it as it is when it reaches it, and ``sovang audit verify`` checks it then.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any, cast
from uuid import UUID

import psycopg
from eventsourcing.persistence import IntegrityError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteDatastore
from eventsourcing.utils import retry
from psycopg import ClientCursor
from psycopg.errors import InterfaceError, OperationalError
from psycopg.pq import ExecStatus
from psycopg.sql import SQL, Identifier

from service.adapters.db import StoreUnavailable
from service.adapters.fund_locks import Reading
from service.domain.logfile import event_leaf


class EventOutsideLog(Exception):
    """A stored event of an aggregate is not the leaf the log's tree holds at its
    position, or lies outside the log's positions: the store was changed by hand."""

    def __init__(self, originator_id: UUID | str, version: int, notification_id: int) -> None:
        where = (
            f"ở vị trí {notification_id}, khác với lá cây của sổ ghi ở vị trí đó"
            if notification_id >= 1
            else f"với notification_id {notification_id}, ngoài các vị trí của sổ (từ 1)"
        )
        super().__init__(
            f"Sự kiện phiên bản {version} của đối tượng {originator_id} nằm {where}: "
            "dữ liệu đã bị sửa trực tiếp trong cơ sở dữ liệu, nên không được nạp. "
            "Người vận hành cần chạy `sovang audit verify` để xác định chỗ bị sửa."
        )
        self.originator_id = str(originator_id)
        self.version = version
        self.notification_id = notification_id


def checked(
    originator_id: UUID | str,
    version: int,
    topic: str,
    state: bytes,
    notification_id: int,
    leaf: bytes | None,
) -> StoredEvent:
    """The stored event, once it is shown to be in the log; raises EventOutsideLog."""
    if notification_id < 1 or (
        leaf is not None
        and bytes(leaf) != event_leaf(notification_id, originator_id, version, topic, state)
    ):
        raise EventOutsideLog(originator_id, version, notification_id)
    return StoredEvent(
        originator_id=originator_id,
        originator_version=version,
        topic=topic,
        state=state,
    )


def _checked_row(row: Any, originator_id: UUID | str) -> StoredEvent:
    """A row of an event joined to its leaf (``_POSTGRES_WITH_LEAF`` or the SQLite
    recorder's select), checked as ``checked`` does."""
    return checked(
        originator_id,
        row["originator_version"],
        row["topic"],
        bytes(row["state"]),
        int(row["notification_id"]),
        row["leaf"],
    )


def _select_options(
    gt: int | None, lte: int | None, desc: bool, limit: int | None, placeholder: str
) -> tuple[str, list[Any]]:
    clause, params = "", []
    if gt is not None:
        clause += f" AND e.originator_version > {placeholder}"
        params.append(gt)
    if lte is not None:
        clause += f" AND e.originator_version <= {placeholder}"
        params.append(lte)
    clause += " ORDER BY e.originator_version " + ("DESC" if desc else "ASC")
    if limit is not None:
        clause += f" LIMIT {placeholder}"
        params.append(limit)
    return clause, params


#: The most events a write saves by one statement string (``insert_events``).
ONE_STRING_EVENTS = 16

#: An event with the hash of its leaf in the log's tree (NULL if it has none).
_POSTGRES_WITH_LEAF = (
    "SELECT e.originator_id, e.originator_version, e.topic, e.state, "
    "e.notification_id, n.hash AS leaf FROM {schema}.{table} e "
    "LEFT JOIN {schema}.log_nodes n ON n.level = 0 AND n.idx = e.notification_id - 1 "
)


#: The events of many aggregates with their leaves, each id looked up by the primary key
#: and each leaf by the tree's. ``= ANY(%s)`` let the planner choose a scan of the whole
#: table or a hash of every leaf whenever its statistics were older than the table's
#: growth (an import adds hundreds of thousands of events between two analyses): a
#: second a batch, growing with the store. The ``OFFSET 0`` keeps the lateral subquery
#: from being flattened into such a join.
_POSTGRES_EACH_WITH_LEAF = (
    "SELECT e.originator_id, e.originator_version, e.topic, e.state, e.notification_id, "
    "e.leaf FROM unnest(%s::uuid[]) AS wanted(id) CROSS JOIN LATERAL ("
    "SELECT x.originator_id, x.originator_version, x.topic, x.state, x.notification_id, "
    "(SELECT n.hash FROM {schema}.log_nodes n WHERE n.level = 0 "
    "AND n.idx = x.notification_id - 1) AS leaf "
    "FROM {schema}.{table} x WHERE x.originator_id = wanted.id OFFSET 0) e"
)


class Prefetching:
    """The events a write is about to read, read beforehand in one statement.

    A receipt brings three aggregates up to date from the aggregate cache (its
    Idempotency-Key's record, its fund and the fund's unit), each with a read of the
    events newer than the cached version: three round trips. ``prefetch`` reads them all
    at once, once the fund's writers are queued behind the write's lock; each
    ``select_events`` of this thread that one of them covers (the same aggregate, from
    the same version or a later one) is then answered from it, once, without a read.
    The writer discards what is left (``discard_prefetched``) after its first attempt,
    so that nothing older than the write's own reads is ever answered.
    """

    _prefetch_local: threading.local

    def _prefetch_state(self) -> dict[str, tuple[int, list[StoredEvent]]]:
        local = self._prefetch_local
        found: dict[str, tuple[int, list[StoredEvent]]] | None = getattr(local, "events", None)
        if found is None:
            found = local.events = {}
        return found

    def reading(self, newer_than: Mapping[UUID, int]) -> Reading | None:
        """The read of ``prefetch`` as a statement another connection can run (the fund's
        lock's, in the round trip that takes the lock), or None where there is none."""
        return None

    def prefetch(
        self, newer_than: Mapping[UUID, int], rows: Sequence[Mapping[str, Any]] | None = None
    ) -> None:
        """Reads the events of each aggregate after the version given for it; ``rows``:
        what ``reading`` read, if another connection ran it."""
        kept = self._prefetch_state()
        kept.clear()
        if not newer_than:
            return
        found = (
            self._select_newer(newer_than)
            if rows is None
            else [_checked_row(row, row["originator_id"]) for row in rows]
        )
        events: dict[str, list[StoredEvent]] = {str(i): [] for i in newer_than}
        for event in found:
            events[str(event.originator_id)].append(event)
        for originator_id, version in newer_than.items():
            kept[str(originator_id)] = (version, events[str(originator_id)])

    def discard_prefetched(self) -> None:
        self._prefetch_state().clear()

    def _prefetched(
        self,
        originator_id: UUID | str,
        gt: int | None,
        lte: int | None,
        desc: bool,
        limit: int | None,
    ) -> list[StoredEvent] | None:
        """The events prefetched for this read, taken out, or None when none cover it."""
        kept = self._prefetch_state()
        if not kept or lte is not None or desc:
            return None
        entry = kept.pop(str(originator_id), None)
        if entry is None or (gt or 0) < entry[0]:
            return None
        found = [e for e in entry[1] if e.originator_version > (gt or 0)]
        return found[:limit] if limit is not None else found

    def _select_newer(self, newer_than: Mapping[UUID, int]) -> Sequence[StoredEvent]:
        raise NotImplementedError


class CheckedPostgresRecorder(Prefetching, PostgresApplicationRecorder):
    """The PostgreSQL application recorder, loading only events that are in the log."""

    def __init__(
        self, datastore: PostgresDatastore, events_table_name: str = "stored_events"
    ) -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        self._prefetch_local = threading.local()
        self._checked_select = SQL(_POSTGRES_WITH_LEAF + "WHERE e.originator_id = %s").format(
            schema=Identifier(self.datastore.schema),
            table=Identifier(self.events_table_name),
        )
        #: The statement as sent, by the clause that ends it (a handful of shapes).
        self._rendered: dict[str, bytes] = {}
        #: ``_select_newer``'s statement, by the number of aggregates it reads.
        self._newer: dict[int, bytes] = {}
        #: ``reading``'s ``PREPARE``, by the number of aggregates it reads.
        self._newer_prepared: dict[int, str] = {}
        #: Where a write that holds its fund's database lock saves, and unlocks, in one
        #: round trip (``FundLocks.save_and_unlock``), set by the application.
        self.save_through: Callable[[str, Sequence[Any]], list[dict[str, Any]] | None] | None = None
        #: ``insert_events``' statement string, by the number of events it saves.
        self._one_string: dict[int, str] = {}
        self._notify = SQL("NOTIFY {}").format(Identifier(self.channel_name))
        self._insert_into = SQL(
            "INSERT INTO {schema}.{table} (originator_id, originator_version, topic, state) VALUES "
        ).format(
            schema=Identifier(self.datastore.schema),
            table=Identifier(self.events_table_name),
        )
        self._checked_select_any = SQL(_POSTGRES_EACH_WITH_LEAF).format(
            schema=Identifier(self.datastore.schema),
            table=Identifier(self.events_table_name),
        )

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def select_events(
        self,
        originator_id: UUID | str,
        *,
        gt: int | None = None,
        lte: int | None = None,
        desc: bool = False,
        limit: int | None = None,
    ) -> Sequence[StoredEvent]:
        prefetched = self._prefetched(originator_id, gt, lte, desc, limit)
        if prefetched is not None:
            return prefetched
        clause, options = _select_options(gt, lte, desc, limit, "%s")
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            statement = self._rendered.get(clause)
            if statement is None:
                # Composed once a clause: rendering the statement's parts on every load
                # cost more than the rest of the load's Python.
                statement = self._rendered[clause] = (self._checked_select + SQL(clause)).as_bytes(
                    conn
                )
            curs.execute(statement, [originator_id, *options], prepare=True)
            return [_checked_row(row, row["originator_id"]) for row in curs.fetchall()]

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        """A request's few events saved by one statement string: the library's table lock
        (``SET LOCAL lock_timeout``, ``LOCK TABLE ... IN EXCLUSIVE MODE``), its ``NOTIFY``
        and the ``INSERT``, which PostgreSQL runs as one implicit transaction (all or
        nothing, committed at its end, so positions stay gap-free in commit order). The
        library sends ``BEGIN``, five statements in a pipeline and ``COMMIT``; the values
        are bound by the client, since a string of several statements takes no
        parameters. Many events (an import's batch) and a tracked write go the library's
        way."""
        if not 0 < len(stored_events) <= ONE_STRING_EVENTS or kwargs.get("tracking"):
            return cast(Sequence[int] | None, super().insert_events(stored_events, **kwargs))
        return cast(list[int], self._insert_in_one_string(stored_events))

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def _insert_in_one_string(self, stored_events: Sequence[StoredEvent]) -> list[int]:
        statement = self._one_string.get(len(stored_events))
        if statement is None:
            values = SQL(", ").join([SQL("(%s, %s, %s, %s)")] * len(stored_events))
            statement = self._one_string[len(stored_events)] = (
                SQL("; ").join([*self.lock_table_statements, self._notify])
                + SQL("; ")
                + self._insert_into
                + values
                + SQL(" RETURNING notification_id")
            ).as_string()
        params = [
            value
            for e in stored_events
            for value in (e.originator_id, e.originator_version, e.topic, e.state)
        ]
        if self.save_through is not None:
            try:
                rows = self.save_through(statement, params)
            except psycopg.IntegrityError as error:
                raise IntegrityError(str(error)) from error
            except (InterfaceError, OperationalError):
                # Tried again, as the library tries its own save: after the table lock's
                # timeout the string was rolled back and the fund's lock is still held;
                # after a lost connection the fund's lock went with it, and the save goes
                # through the pool below (positions are still checked by the insert).
                raise
            except psycopg.Error as error:
                raise StoreUnavailable(str(error)) from error
            if rows is not None:
                return [row["notification_id"] for row in rows]
        # The library's pool keeps its connections in autocommit (its reads rely on it),
        # so the string is a transaction of its own.
        with self.datastore.get_connection() as conn, ClientCursor(conn) as curs:
            curs.execute(statement, params)
            while curs.pgresult is not None and curs.pgresult.status != ExecStatus.TUPLES_OK:
                if not curs.nextset():
                    break
            return [row["notification_id"] for row in curs.fetchall()]

    def reading(self, newer_than: Mapping[UUID, int]) -> Reading | None:
        """``_select_newer`` as a statement prepared on the connection that runs it."""
        count = len(newer_than)
        prepare = self._newer_prepared.get(count)
        if prepare is None:
            branches = [
                SQL(
                    "(" + _POSTGRES_WITH_LEAF + f"WHERE e.originator_id = ${2 * i + 1} "
                    f"AND e.originator_version > ${2 * i + 2})"
                ).format(
                    schema=Identifier(self.datastore.schema),
                    table=Identifier(self.events_table_name),
                )
                for i in range(count)
            ]
            types = ", ".join(["uuid, bigint"] * count)
            prepare = self._newer_prepared[count] = (
                SQL(f"PREPARE sovang_newer_{count} ({types}) AS ")
                + SQL(" UNION ALL ").join(branches)
                + SQL(" ORDER BY 1, 2")
            ).as_string()
        params = [value for pair in newer_than.items() for value in pair]
        return Reading(f"sovang_newer_{count}", prepare, params)

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def _select_newer(self, newer_than: Mapping[UUID, int]) -> Sequence[StoredEvent]:
        """One statement: a branch of ``UNION ALL`` an aggregate, each an indexed read."""
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            statement = self._newer.get(len(newer_than))
            if statement is None:
                branch = SQL("({})").format(
                    self._checked_select + SQL(" AND e.originator_version > %s")
                )
                statement = self._newer[len(newer_than)] = (
                    SQL(" UNION ALL ").join([branch] * len(newer_than)).as_bytes(conn)
                    + b" ORDER BY 1, 2"
                )
            params = [value for pair in newer_than.items() for value in pair]
            curs.execute(statement, params, prepare=True)
            return [_checked_row(row, row["originator_id"]) for row in curs.fetchall()]

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def originators_present(self, originator_ids: Collection[UUID]) -> set[UUID]:
        """Those of the ids that have an event in the store, in one query; each event
        found is checked to be in the log, as ``select_events`` checks it.

        The query looks each id up by the primary key (``_POSTGRES_EACH_WITH_LEAF``),
        without JIT compilation: its cost as the planner estimates it is no guide (see
        there), and compiling it took longer than running it."""
        if not originator_ids:
            return set()
        statement = self._checked_select_any
        with (
            self.datastore.get_connection() as conn,
            conn.transaction(),
            conn.cursor() as curs,
        ):
            curs.execute(b"SET LOCAL jit = off")
            curs.execute(statement, [list(originator_ids)])
            return {
                UUID(str(_checked_row(row, row["originator_id"]).originator_id))
                for row in curs.fetchall()
            }


class CheckedSQLiteRecorder(Prefetching, SQLiteApplicationRecorder):
    """The SQLite application recorder, loading only events that are in the log."""

    def __init__(self, datastore: SQLiteDatastore, events_table_name: str = "stored_events"):
        super().__init__(datastore, events_table_name)
        self._prefetch_local = threading.local()
        self._checked_select = (
            "SELECT e.originator_id, e.originator_version, e.topic, e.state, "
            f"e.rowid AS notification_id, n.hash AS leaf FROM {self.events_table_name} e "
            "LEFT JOIN log_nodes n ON n.level = 0 AND n.idx = e.rowid - 1 "
            "WHERE e.originator_id = ?"
        )

    def select_events(
        self,
        originator_id: UUID | str,
        *,
        gt: int | None = None,
        lte: int | None = None,
        desc: bool = False,
        limit: int | None = None,
    ) -> Sequence[StoredEvent]:
        prefetched = self._prefetched(originator_id, gt, lte, desc, limit)
        if prefetched is not None:
            return prefetched
        clause, options = _select_options(gt, lte, desc, limit, "?")
        key = originator_id.hex if isinstance(originator_id, UUID) else originator_id
        with self.datastore.transaction(commit=False) as c:
            c.execute(self._checked_select + clause, [key, *options])
            return [
                _checked_row(row, self.convert_originator_id(row["originator_id"]))
                for row in c.fetchall()
            ]

    def _select_newer(self, newer_than: Mapping[UUID, int]) -> Sequence[StoredEvent]:
        """One read transaction, a statement an aggregate (SQLite is read in process)."""
        found: list[StoredEvent] = []
        with self.datastore.transaction(commit=False) as c:
            for originator_id, version in newer_than.items():
                c.execute(
                    self._checked_select + " AND e.originator_version > ? "
                    "ORDER BY e.originator_version",
                    [originator_id.hex, version],
                )
                found += [
                    _checked_row(row, self.convert_originator_id(row["originator_id"]))
                    for row in c.fetchall()
                ]
        return found

    def originators_present(self, originator_ids: Collection[UUID]) -> set[UUID]:
        """Those of the ids that have an event in the store, a query for every
        ``_ANY_CHUNK`` of them; each event found is checked to be in the log, as
        ``select_events`` checks it."""
        keys = [originator_id.hex for originator_id in originator_ids]
        present: set[UUID] = set()
        select = self._checked_select.removesuffix("= ?")
        with self.datastore.transaction(commit=False) as c:
            for start in range(0, len(keys), _ANY_CHUNK):
                chunk = keys[start : start + _ANY_CHUNK]
                c.execute(select + f"IN ({', '.join('?' * len(chunk))})", chunk)
                for row in c.fetchall():
                    event = _checked_row(row, self.convert_originator_id(row["originator_id"]))
                    present.add(UUID(str(event.originator_id)))
        return present


#: Ids to a query of ``originators_present`` on SQLite (whose statements take at most
#: 999 parameters in older builds).
_ANY_CHUNK = 500
