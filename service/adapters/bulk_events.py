"""Writing a large batch of stored events in one transaction, for the bank-file import.

The library's PostgreSQL recorder sends a save's events as one ``INSERT ... SELECT FROM
unnest(%s)`` of an array of composite values, which psycopg builds in Python, value by
value: for a batch of thousands of events that was a third of an import's time. Here the
same transaction is made with ``COPY ... FROM STDIN (FORMAT BINARY)``, whose rows
psycopg writes in C, and every guarantee of the recorder is kept because the same
statements surround it:

- ``SET LOCAL lock_timeout`` and ``LOCK TABLE ... IN EXCLUSIVE MODE`` (the recorder's own
  statements): the batch's notification ids are drawn and committed before any other
  writer's, so positions follow commit order and a reader following the log never passes
  a position that is filled later (a refused batch leaves its drawn positions empty, as
  a refused save does, and the log's tree records them as gaps);
- ``NOTIFY`` on the recorder's channel, as every save sends;
- the primary key ``(originator_id, originator_version)``: a version saved by another
  writer meanwhile refuses the whole batch with the library's ``IntegrityError``, which
  the import answers by loading the fund again, as it does after a refused save.

On SQLite the recorder already writes a save's events with one ``executemany`` under the
database's write lock, so its own ``insert_events`` is used.
"""

from __future__ import annotations

from collections.abc import Sequence

from eventsourcing.persistence import ApplicationRecorder, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.utils import retry
from psycopg.errors import InterfaceError, OperationalError
from psycopg.sql import SQL, Identifier


def insert_in_bulk(recorder: ApplicationRecorder, stored_events: Sequence[StoredEvent]) -> int:
    """Inserts the events in one transaction; returns the log position of the last."""
    if not stored_events:
        raise ValueError("no events to insert")
    if isinstance(recorder, PostgresApplicationRecorder):
        last: int = _copy_events(recorder, stored_events)
        return last
    positions: Sequence[int] | None = recorder.insert_events(stored_events)
    if not positions:
        raise AssertionError("the recorder gives the positions of the events it inserts")
    return int(positions[-1])


@retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
def _copy_events(
    recorder: PostgresApplicationRecorder, stored_events: Sequence[StoredEvent]
) -> int:
    table = SQL("{schema}.{table}").format(
        schema=Identifier(recorder.datastore.schema),
        table=Identifier(recorder.events_table_name),
    )
    copy = SQL(
        "COPY {table} (originator_id, originator_version, topic, state) FROM STDIN (FORMAT BINARY)"
    ).format(table=table)
    last = SQL("SELECT max(notification_id) AS last FROM {table}").format(table=table)
    with recorder.datastore.get_connection() as conn, conn.transaction(), conn.cursor() as curs:
        recorder._lock_table(curs)
        recorder._notify_channel(curs)
        with curs.copy(copy) as rows:
            rows.set_types(["uuid", "int8", "text", "bytea"])
            for event in stored_events:
                rows.write_row(
                    (event.originator_id, event.originator_version, event.topic, event.state)
                )
        # The table is locked against other writers: the highest id is the batch's last.
        curs.execute(last)
        found = curs.fetchone()
    if found is None or found["last"] is None:
        raise AssertionError("the events just copied are in the table")
    return int(found["last"])
