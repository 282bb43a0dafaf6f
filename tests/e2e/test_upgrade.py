"""An upgrade from the previous release: its stores, made and filled by its own code
(tests/fixtures/make-release-store.sh), are migrated by this release's ``sovang migrate``;
then the log verifies against the checkpoint the old release signed, the old token still
reads the balances the old release projected, and the read models, carried on from where
the old release left them, are what this release projects from the whole log.
"""

from __future__ import annotations

import gzip
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from service.adapters.db import Database, StoreUrl
from service.config import Config
from service.entrypoints.wsgi import create_app
from tests.conftest import PG_SERVER, READ_MODELS, read_models
from tests.e2e.cli import SOVANG, sovang_env
from tests.postgres import PostgresDatabases

pytestmark = pytest.mark.e2e

PREVIOUS = Path(__file__).resolve().parents[1] / "fixtures" / "release-0.1.0"


@pytest.fixture(params=["sqlite", "postgresql"])
def old_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A store of the previous release, as it left it: its schema, its data, its token."""
    dump = gzip.decompress((PREVIOUS / f"{request.param}.sql.gz").read_bytes()).decode()
    if request.param == "sqlite":
        path = tmp_path / "sovang.db"
        with sqlite3.connect(path) as conn:
            conn.executescript(dump)
        conn.close()
        yield f"sqlite:///{path}"
        return
    databases: PostgresDatabases = request.getfixturevalue("postgres_databases")
    name = databases.blank()
    subprocess.run(
        ["psql", "-q", "-X", "-v", "ON_ERROR_STOP=1", f"{PG_SERVER}/{name}"],
        input=dump,
        text=True,
        capture_output=True,
        check=True,
        timeout=120,
    )
    yield f"{PG_SERVER}/{name}"


@pytest.fixture
def keys(tmp_path: Path) -> Path:
    """The previous release's keys, copied (a key file is never shared between stores)."""
    return Path(shutil.copytree(PREVIOUS / "keys", tmp_path / "keys"))


def run(database_url: str, keys: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = sovang_env(
        database_url,
        signing_key=keys / "log-signing.key",
        personal_data_key=keys / "personal-data.key",
        session_key=keys / "session.key",
    )
    return subprocess.run(
        [SOVANG, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def snapshot(db: Database, tables: dict[str, list[str]]) -> dict[str, list[dict[str, Any]]]:
    """The rows of these tables, in key order, with only the named columns."""
    with db.transaction() as tx:
        return {
            table: [
                {column: row[column] for column in columns}
                for row in tx.all(f"SELECT * FROM {table} ORDER BY {READ_MODELS[table]}")
            ]
            for table, columns in tables.items()
        }


def columns_of(db: Database) -> dict[str, list[str]]:
    """The read-model tables the store has, each with its columns."""
    found: dict[str, list[str]] = {}
    with db.transaction() as tx:
        for table in READ_MODELS:
            if db.dialect == "sqlite":
                columns = [row["name"] for row in tx.all(f"PRAGMA table_info({table})")]
            else:
                columns = [
                    row["column_name"]
                    for row in tx.all(
                        "SELECT column_name FROM information_schema.columns "
                        "WHERE table_name = :table ORDER BY ordinal_position",
                        {"table": table},
                    )
                ]
            if columns:
                found[table] = columns
    return found


def test_a_store_of_the_previous_release_migrates_verifies_and_reads_the_same(
    old_store: str, keys: Path
) -> None:
    dialect = StoreUrl.parse(old_store).dialect
    before_db = Database(StoreUrl.parse(old_store), pool_size=1)
    old_tables = columns_of(before_db)
    projected_by_old_release = snapshot(before_db, old_tables)
    before_db.close()
    assert projected_by_old_release["ledger_entries"], "the previous release's store is empty"

    migrated = run(old_store, keys, "migrate")
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr
    verified = run(
        old_store, keys, "audit", "verify", "--checkpoint", str(PREVIOUS / f"{dialect}.checkpoint")
    )
    assert verified.returncode == 0, verified.stdout + verified.stderr
    # every event stored by the previous release is a leaf, and both its checkpoints match
    assert " 0 chỗ trống " in verified.stdout, verified.stdout
    assert "; 2 điểm kiểm tra khớp" in verified.stdout, verified.stdout

    config = Config(
        database_url=old_store,
        signing_key_path=keys / "log-signing.key",
        personal_data_key_path=keys / "personal-data.key",
        session_key_path=keys / "session.key",
    )
    app = create_app(config)
    try:
        client: FlaskClient = app.test_client()
        ready = client.get("/readyz")
        assert ready.status_code == 200, ready.get_json()
        token = (PREVIOUS / f"{dialect}.token").read_text().strip()
        units = client.get("/api/v1/units", headers={"Authorization": f"Bearer {token}"})
        assert units.status_code == 200, units.get_json()
        funds = {row["id"]: row for row in projected_by_old_release["funds"]}
        for fund_id, row in funds.items():
            answer = client.get(
                f"/api/v1/funds/{fund_id}", headers={"Authorization": f"Bearer {token}"}
            )
            assert answer.status_code == 200, answer.get_json()
            assert answer.get_json()["balance"] == row["balance"]

        services = app.extensions["sovang"]
        services.runner.catch_up()
        carried_on = read_models(services.db)
        services.runner.rebuild()
        assert read_models(services.db) == carried_on
    finally:
        app.extensions["sovang"].close()
