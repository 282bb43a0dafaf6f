"""The PostgreSQL tests' databases (tests/postgres.py): a database a test gives back is
handed out again only as the migrated template was, under a new name; one whose schema or
migrations' rows a test changed is never handed out again."""

from __future__ import annotations

import psycopg
import pytest

from tests.postgres import PG_SERVER, Contents, PostgresDatabases


def _connect(name: str) -> psycopg.Connection[tuple[object, ...]]:
    return psycopg.connect(f"{PG_SERVER}/{name}", autocommit=True)


def _as_made(name: str) -> Contents:
    with _connect(name) as conn:
        return Contents.of(conn)


def _exists(name: str) -> bool:
    with _connect("postgres") as admin:
        row = admin.execute("SELECT count(*) FROM pg_database WHERE datname = %s", (name,))
        return row.fetchone() == (1,)


def _write(conn: psycopg.Connection[tuple[object, ...]]) -> None:
    conn.execute(
        "INSERT INTO sovang_events (originator_id, originator_version, topic, state)"
        " VALUES (gen_random_uuid(), 1, 'a topic', '\\x00')"
    )
    conn.execute(
        "INSERT INTO witnesses (name, verifier_key, registered_at, position)"
        " VALUES (gen_random_uuid()::text, 'a key', now(), 1)"
    )


def test_a_database_given_back_is_emptied_renamed_and_cut_off_from_who_was_connected(
    postgres_databases: PostgresDatabases,
) -> None:
    template = _as_made(postgres_databases.template)
    used = postgres_databases.take()
    with _connect(used) as conn:
        _write(conn)
        _write(conn)  # the events' sequence moves on
        assert _as_made(used) != template
        again = postgres_databases.recycled(used)
        assert again is not None
        with pytest.raises(psycopg.OperationalError):
            conn.execute("SELECT 1")
    assert again != used
    assert not _exists(used)
    assert _as_made(again) == template
    with _connect(again) as conn:
        row = conn.execute("SELECT nextval('sovang_events_notification_id_seq')").fetchone()
        assert row == (1,)
    postgres_databases.drop(again)


@pytest.mark.parametrize(
    "change",
    [
        "ALTER TABLE witnesses ADD COLUMN note text",
        "CREATE TABLE extra (id int)",
        "CREATE INDEX witnesses_by_key ON witnesses (verifier_key)",
        "DROP VIEW IF EXISTS no_such_view; ALTER TABLE units ALTER COLUMN code SET NOT NULL",
        "DELETE FROM _yoyo_migration WHERE migration_id = "
        "(SELECT max(migration_id) FROM _yoyo_migration)",
        "ALTER SEQUENCE sovang_events_notification_id_seq INCREMENT BY 2",
        "CREATE FUNCTION answer() RETURNS int LANGUAGE sql AS 'SELECT 42'",
    ],
)
def test_a_database_whose_schema_or_migrations_a_test_changed_is_not_handed_out_again(
    postgres_databases: PostgresDatabases, change: str
) -> None:
    used = postgres_databases.take()
    with _connect(used) as conn:
        _write(conn)
        conn.execute(change)
    assert postgres_databases.recycled(used) is None
