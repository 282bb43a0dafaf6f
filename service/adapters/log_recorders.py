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

from collections.abc import Collection, Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteDatastore
from eventsourcing.utils import retry
from psycopg.errors import InterfaceError, OperationalError
from psycopg.sql import SQL, Identifier

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


class CheckedPostgresRecorder(PostgresApplicationRecorder):
    """The PostgreSQL application recorder, loading only events that are in the log."""

    def __init__(
        self, datastore: PostgresDatastore, events_table_name: str = "stored_events"
    ) -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        self._checked_select = SQL(_POSTGRES_WITH_LEAF + "WHERE e.originator_id = %s").format(
            schema=Identifier(self.datastore.schema),
            table=Identifier(self.events_table_name),
        )
        #: The statement as sent, by the clause that ends it (a handful of shapes).
        self._rendered: dict[str, bytes] = {}
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


class CheckedSQLiteRecorder(SQLiteApplicationRecorder):
    """The SQLite application recorder, loading only events that are in the log."""

    def __init__(self, datastore: SQLiteDatastore, events_table_name: str = "stored_events"):
        super().__init__(datastore, events_table_name)
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
        clause, options = _select_options(gt, lte, desc, limit, "?")
        key = originator_id.hex if isinstance(originator_id, UUID) else originator_id
        with self.datastore.transaction(commit=False) as c:
            c.execute(self._checked_select + clause, [key, *options])
            return [
                _checked_row(row, self.convert_originator_id(row["originator_id"]))
                for row in c.fetchall()
            ]

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
