"""The PostgreSQL tests' databases: copies of a migrated template, kept in a pool and
emptied between tests rather than dropped.

PostgreSQL 15 takes a checkpoint for each DROP DATABASE: about a second when the server is
idle, and far longer when it is busy, since every drop waits for a checkpoint of its own to
begin and end. A test's database is therefore emptied after it and given to a later test,
and the few databases a session made are dropped together at its end, by a process that
the session does not wait for (PostgreSQL takes one checkpoint for drops that come at the
same time). Every name made here holds the process id of the session that made it, so a
later session drops what a session that died left behind.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import psycopg

PG_SERVER = os.environ.get("SOVANG_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432")
ROOT = Path(__file__).resolve().parents[1]

#: Names of the databases the tests make: the maker's process id, then what makes it unique.
PREFIX = "sovang_test_p"
OWNED = re.compile(rf"^{PREFIX}(\d+)_|^sovang_test_template_(\d+)$")


def admin_connection() -> psycopg.Connection[tuple[object, ...]]:
    return psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=5)


def database_name(kind: str | None = None) -> str:
    """A name no database has had, owned by this process."""
    return f"{PREFIX}{os.getpid()}_{kind or uuid.uuid4().hex[:12]}"


#: One line for every object of the schema that a test could change: tables, columns,
#: constraints, indexes, triggers, functions, views, sequences' settings, types, rules,
#: policies, grants, extensions, and the database's own settings. Two databases with the
#: same lines have the same schema.
SCHEMA = r"""
WITH ns AS (
    SELECT oid, nspname FROM pg_namespace
    WHERE nspname NOT IN ('pg_catalog', 'information_schema')
      AND nspname NOT LIKE 'pg\_toast%' AND nspname NOT LIKE 'pg\_temp%'
)
SELECT md5(string_agg(line, E'\n' ORDER BY line)) FROM (
    SELECT concat_ws(' ', 'schema', n.nspname, pg_get_userbyid(n.nspowner), n.nspacl::text)
    FROM pg_namespace n JOIN ns USING (oid)
  UNION ALL
    SELECT concat_ws(' ', 'relation', ns.nspname, c.relname, c.relkind, c.relpersistence,
                     pg_get_userbyid(c.relowner), c.relacl::text, c.reloptions::text,
                     c.relrowsecurity)
    FROM pg_class c JOIN ns ON ns.oid = c.relnamespace
  UNION ALL
    SELECT concat_ws(' ', 'column', c.oid::regclass, a.attnum, a.attname,
                     format_type(a.atttypid, a.atttypmod), a.attnotnull, a.attidentity,
                     a.attgenerated, a.attisdropped, a.attacl::text,
                     pg_get_expr(d.adbin, d.adrelid))
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid JOIN ns ON ns.oid = c.relnamespace
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE a.attnum > 0
  UNION ALL
    SELECT concat_ws(' ', 'constraint', conrelid::regclass, contypid::regtype, conname,
                     pg_get_constraintdef(oid), convalidated)
    FROM pg_constraint WHERE connamespace IN (SELECT oid FROM ns)
  UNION ALL
    SELECT concat_ws(' ', 'index', pg_get_indexdef(i.indexrelid), i.indisvalid)
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN ns ON ns.oid = c.relnamespace
  UNION ALL
    SELECT concat_ws(' ', 'trigger', pg_get_triggerdef(t.oid), t.tgenabled)
    FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN ns ON ns.oid = c.relnamespace
    WHERE NOT t.tgisinternal
  UNION ALL
    SELECT concat_ws(' ', 'function', p.oid::regprocedure, p.prokind, p.provolatile,
                     p.prosecdef, md5(p.prosrc), p.proacl::text, p.proconfig::text)
    FROM pg_proc p JOIN ns ON ns.oid = p.pronamespace
  UNION ALL
    SELECT concat_ws(' ', 'view', c.oid::regclass, md5(pg_get_viewdef(c.oid)))
    FROM pg_class c JOIN ns ON ns.oid = c.relnamespace WHERE c.relkind IN ('v', 'm')
  UNION ALL
    SELECT concat_ws(' ', 'sequence', seqrelid::regclass, seqtypid::regtype, seqstart,
                     seqincrement, seqmax, seqmin, seqcache, seqcycle)
    FROM pg_sequence
  UNION ALL
    SELECT concat_ws(' ', 'rule', r.ev_class::regclass, r.rulename, r.ev_enabled,
                     md5(pg_get_ruledef(r.oid)))
    FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class JOIN ns ON ns.oid = c.relnamespace
  UNION ALL
    SELECT concat_ws(' ', 'policy', polrelid::regclass, polname, polcmd, polpermissive,
                     polroles::text, pg_get_expr(polqual, polrelid),
                     pg_get_expr(polwithcheck, polrelid))
    FROM pg_policy
  UNION ALL
    SELECT concat_ws(' ', 'type', t.oid::regtype, t.typtype, pg_get_userbyid(t.typowner))
    FROM pg_type t JOIN ns ON ns.oid = t.typnamespace
  UNION ALL
    SELECT concat_ws(' ', 'enum', enumtypid::regtype, enumsortorder, enumlabel) FROM pg_enum
  UNION ALL
    SELECT concat_ws(' ', 'extension', extname, extversion) FROM pg_extension
  UNION ALL
    SELECT concat_ws(' ', 'event trigger', evtname, evtevent, evtenabled) FROM pg_event_trigger
  UNION ALL
    SELECT concat_ws(' ', 'publication', pubname) FROM pg_publication
  UNION ALL
    SELECT concat_ws(' ', 'large objects', count(*)) FROM pg_largeobject_metadata
  UNION ALL
    SELECT concat_ws(' ', 'default grant', defaclrole, defaclnamespace, defaclobjtype,
                     defaclacl::text)
    FROM pg_default_acl
  UNION ALL
    SELECT concat_ws(' ', 'database', datallowconn, datconnlimit, datacl::text)
    FROM pg_database WHERE datname = current_database()
  UNION ALL
    SELECT concat_ws(' ', 'setting', setrole, setconfig::text)
    FROM pg_db_role_setting
    WHERE setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database())
) AS lines (line)
"""

TABLES = r"""
SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp%'
ORDER BY 1
"""

SEQUENCES = r"""
SELECT format('%I.%I', schemaname, sequencename) FROM pg_sequences
WHERE schemaname NOT LIKE 'pg\_temp%' ORDER BY 1
"""


@dataclass(frozen=True)
class Contents:
    """What a freshly copied template holds: its schema, the rows of the few tables that
    migrating filled (the migrations applied), and where each sequence stands."""

    schema: str
    filled: dict[str, str]  # table → a digest of its rows
    empty: tuple[str, ...]  # the tables migrating left empty
    sequences: dict[str, tuple[int, bool]]  # sequence → (last_value, is_called)

    @classmethod
    def of(cls, conn: psycopg.Connection[tuple[object, ...]]) -> Contents:
        tables = [str(row[0]) for row in conn.execute(TABLES)]
        filled: dict[str, str] = {}
        empty: list[str] = []
        for table in tables:
            if conn.execute(f"SELECT EXISTS (SELECT 1 FROM {table})").fetchone() == (True,):
                filled[table] = _digest(conn, table)
            else:
                empty.append(table)
        return cls(_schema(conn), filled, tuple(empty), _sequences(conn))

    def reset(self, conn: psycopg.Connection[tuple[object, ...]]) -> bool:
        """Empties the tables a test filled and sets the sequences back; True if the
        database is then as the template was, False if a test changed more than rows."""
        if not self.empty:
            written: list[str] = []
        else:
            probe = " UNION ALL ".join(
                f"SELECT {i} WHERE EXISTS (SELECT 1 FROM {table})"
                for i, table in enumerate(self.empty)
            )
            written = [self.empty[int(str(row[0]))] for row in conn.execute(probe)]
        with conn.transaction():
            if written:
                conn.execute(f"TRUNCATE {', '.join(written)} CASCADE")
            for sequence, (value, called) in self.sequences.items():
                conn.execute("SELECT setval(%s::regclass, %s, %s)", (sequence, value, called))
        return (
            _schema(conn) == self.schema
            and all(_digest(conn, table) == digest for table, digest in self.filled.items())
            and _sequences(conn) == self.sequences
        )


def _schema(conn: psycopg.Connection[tuple[object, ...]]) -> str:
    row = conn.execute(SCHEMA).fetchone()
    return str(row[0]) if row else ""


def _digest(conn: psycopg.Connection[tuple[object, ...]], table: str) -> str:
    row = conn.execute(
        f"SELECT md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM {table} t"
    ).fetchone()
    return str(row[0]) if row else ""


def _sequences(conn: psycopg.Connection[tuple[object, ...]]) -> dict[str, tuple[int, bool]]:
    states: dict[str, tuple[int, bool]] = {}
    for (sequence,) in conn.execute(SEQUENCES).fetchall():
        row = conn.execute(f"SELECT last_value, is_called FROM {sequence}").fetchone()
        assert row is not None
        states[str(sequence)] = (int(str(row[0])), bool(row[1]))
    return states


class PostgresDatabases:
    """The pool of one test process. ``take`` hands out a copy of the template that no test
    has used since it was emptied, under a new name; ``drop`` gives it back. One thread keeps
    a few ready: it cuts off whoever is still connected to a database given back, renames
    it (what remembers the old name reaches it no more), empties it, and checks it against
    the template. One whose schema or migrations' rows a test changed is set aside to be
    dropped at the end, and a new copy made. Used from the tests' thread only through
    ``take``, ``copy``, ``blank``, ``drop``, ``discard`` and ``close``."""

    SPARES = 2

    def __init__(self, template: str) -> None:
        self.template = template
        self._ready: list[str] = []
        self._used: list[str] = []
        self._doomed: list[str] = []
        with _connection(template) as conn:
            self._contents = Contents.of(conn)
        self._closing = False
        self._changed = threading.Condition()
        self.emptied = 0  # databases given back and emptied for another test
        self._thread = threading.Thread(target=self._keep_ready, name="test-databases", daemon=True)
        self._thread.start()

    def take(self) -> str:
        """A fresh copy of the template, made now if none is ready within a few seconds."""
        with self._changed:
            self._changed.wait_for(lambda: self._ready, timeout=10)
            if self._ready:
                name = self._ready.pop(0)
                self._changed.notify_all()
                return name
        return self.copy(self.template)

    def copy(self, source: str) -> str:
        """A new database copied from ``source`` (which nobody may be connected to);
        ``drop`` it after use as any other."""
        name = database_name()
        if not _on_server(f"CREATE DATABASE {name} TEMPLATE {source}"):
            raise RuntimeError(f"PostgreSQL did not copy {source}")
        return name

    def blank(self) -> str:
        """A new database that nothing has touched (not migrated), dropped at the end."""
        name = database_name()
        with admin_connection() as admin:
            admin.execute(f"CREATE DATABASE {name}")
        self.discard(name)
        return name

    def drop(self, name: str) -> None:
        """Gives the database ``name`` back: it is emptied for another test soon, whoever
        is still connected to it."""
        with self._changed:
            self._used.append(name)
            self._changed.notify_all()

    def discard(self, name: str) -> None:
        """Drops the database ``name`` with the others at the end (one not to be reused)."""
        with self._changed:
            self._doomed.append(name)

    def close(self) -> None:
        """Drops every database made, used or not, in a process of its own."""
        with self._changed:
            self._closing = True
            self._changed.notify_all()
        self._thread.join()
        with self._changed:
            names = [*self._ready, *self._used, *self._doomed]
            self._ready.clear()
            self._used.clear()
            self._doomed.clear()
        drop_soon(names)

    def _keep_ready(self) -> None:
        while True:
            with self._changed:
                self._changed.wait_for(
                    lambda: self._closing or self._used or len(self._ready) < self.SPARES
                )
                if self._closing:
                    return
                used = self._used.pop(0) if self._used else None
            made = self.recycled(used) if used else self._fresh()
            with self._changed:
                if made is not None:
                    self._ready.append(made)
                    self._changed.notify_all()
            if made is None and used is None:
                time.sleep(1)  # the server is restarting: take() makes its own meanwhile

    def _fresh(self) -> str | None:
        name = database_name()
        if not _on_server(f"CREATE DATABASE {name} TEMPLATE {self.template}"):
            return None
        return name

    def recycled(self, used: str) -> str | None:
        """The database ``used``, renamed and emptied, or None if it cannot be reused."""
        name = database_name()
        try:
            with admin_connection() as admin:
                admin.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = %s AND pid <> pg_backend_pid()",
                    (used,),
                )
                admin.execute(f"ALTER DATABASE {used} RENAME TO {name}")
        except psycopg.Error:
            self.discard(used)
            return None
        try:
            with _connection(name) as conn:
                clean = self._contents.reset(conn)
        except psycopg.Error:
            clean = False
        if not clean:
            self.discard(name)
            return None
        self.emptied += 1
        return name


def _connection(name: str) -> psycopg.Connection[tuple[object, ...]]:
    return psycopg.connect(f"{PG_SERVER}/{name}", autocommit=True, connect_timeout=5)


def _on_server(statement: str) -> bool:
    """Runs a statement on the server, trying again for a while if it is restarting."""
    for attempt in range(20):
        try:
            with admin_connection() as admin:
                admin.execute(statement)
            return True
        except psycopg.OperationalError:
            time.sleep(0.5 * (attempt + 1))
    return False


#: The processes dropping databases, kept so that none is reaped while it runs.
_DROPPERS: list[subprocess.Popen[bytes]] = []


def drop_soon(names: list[str]) -> None:
    """Drops the databases ``names``, whoever is connected to them, in a process that
    outlives this one: nobody waits for PostgreSQL's checkpoints."""
    if names:
        _DROPPERS.append(
            subprocess.Popen(
                [sys.executable, "-m", "tests.postgres", "--force", *names],
                cwd=ROOT,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        )


def drop_left_behind() -> None:
    """Drops, soon, the databases of test sessions that ended without dropping theirs: those
    whose maker is no longer running and that nobody is connected to."""
    with admin_connection() as admin:
        names = [str(row[0]) for row in admin.execute("SELECT datname FROM pg_database")]
    orphans = []
    for name in names:
        owned = OWNED.match(name)
        if owned and not alive(int(owned.group(1) or owned.group(2))):
            orphans.append(name)
    if orphans:
        _DROPPERS.append(
            subprocess.Popen(
                [sys.executable, "-m", "tests.postgres", *orphans],
                cwd=ROOT,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        )


def alive(pid: int) -> bool:
    """Whether a process of this id runs (one of another user counts as running)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _drop_all(names: list[str], force: bool) -> None:
    """Drops the databases together: PostgreSQL serves drops that wait at once with one
    checkpoint. Without ``force``, a database someone is connected to is left alone."""
    option = " WITH (FORCE)" if force else ""

    def drop(name: str) -> None:
        with contextlib.suppress(psycopg.Error), admin_connection() as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name}{option}")

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(drop, names))


if __name__ == "__main__":
    arguments = sys.argv[1:]
    _drop_all([a for a in arguments if a != "--force"], force="--force" in arguments)
