"""Fixtures: every test that takes ``store`` runs once on SQLite and once on PostgreSQL.

PostgreSQL tests get a database of their own, a copy of a migrated template that no test
has written to since it was emptied (tests/postgres.py). They skip only when no server
answers and CI is not set; under CI=true they fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from flask import Flask
from flask.testing import FlaskClient

from service.adapters import keyfiles, personal_data, schema, signing, tokens
from service.adapters.db import Database, StoreUrl
from service.adapters.migrate import migrate
from service.application import Ledger, Request
from service.bootstrap import Services
from service.config import Config
from service.domain.actors import Actor
from service.domain.notes import Signer
from service.domain.vocabulary import Role
from service.entrypoints.wsgi import create_app
from service.projections import counting
from tests.postgres import (
    PG_SERVER,
    PostgresDatabases,
    database_name,
    drop_left_behind,
    drop_soon,
)
from tests.postgres import admin_connection as _admin_connection

TEMPLATE = database_name("template")


#: Modules whose tests start several servers on PostgreSQL or measure latencies under
#: load: ``make test`` runs them (marked ``alone``) after the others, one at a time. Beside
#: other tests they would open more connections than the server takes, and measure the
#: other tests' load as well as their own. (The races of tests/e2e/test_concurrency.py
#: run beside the others: about 30 connections, and no time measured but bounded waits.)
ALONE = {
    "tests/e2e/test_faults.py",
    "tests/e2e/test_many_hosts.py",
    "tests/e2e/test_public_flood.py",
    "tests/e2e/test_soak.py",
    "tests/e2e/test_standby.py",
}


def pytest_itemcollected(item: pytest.Item) -> None:
    if module_of(item) in ALONE:
        item.add_marker(pytest.mark.alone)


#: The modules that take longest for their number of tests (a real `sovang serve`,
#: Chromium, a wheel built and installed, LibreOffice, many generated requests), longest
#: first. ``make test`` hands whole modules to its processes in the order collected
#: (``--dist loadscope --no-loadscope-reorder``): these first, then the others by their
#: number of tests, so that no long module starts when the other process has little left.
LONGEST = (
    "tests/api/test_fuzz.py",
    "tests/e2e/test_serve.py",
    "tests/e2e/test_browser.py",
    "tests/e2e/test_treasurer_browser.py",
    "tests/e2e/test_offline_browser.py",
    "tests/e2e/test_wheel.py",
    "tests/api/test_authorisation.py",
    "tests/e2e/test_projection_runner.py",
    "tests/e2e/test_slips_browser.py",
    "tests/e2e/test_witness_cli.py",
    "tests/e2e/test_people_check_browser.py",
    "tests/e2e/test_backup.py",
    "tests/e2e/test_accounts_browser.py",
    "tests/api/test_exports_in_libreoffice.py",
    "tests/e2e/test_upgrade.py",
    "tests/e2e/test_concurrency.py",
    "tests/e2e/test_tampering.py",
    "tests/e2e/test_store_not_migrated.py",
    "tests/e2e/test_giving_browser.py",
    "tests/e2e/test_committee_browser.py",
    "tests/e2e/test_projections_check.py",
    "tests/e2e/test_audit_export.py",
)


def module_of(item: pytest.Item) -> str:
    return item.nodeid.split("::", 1)[0]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The modules in ``LONGEST`` first, the others by their number of tests (as xdist's
    own reordering would); the tests that restart the PostgreSQL server after every other."""
    counts: dict[str, int] = {}
    for item in items:
        counts[module_of(item)] = counts.get(module_of(item), 0) + 1
    rank = {module: place for place, module in enumerate(LONGEST)}

    def order(item: pytest.Item) -> tuple[bool, int, int]:
        module = module_of(item)
        return (
            item.get_closest_marker("restarts_postgres") is not None,
            rank.get(module, len(LONGEST)),
            -counts[module],
        )

    items.sort(key=order)


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    """A migrated database that each PostgreSQL test copies."""
    try:
        admin = _admin_connection()
    except psycopg.OperationalError as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL must be reachable under CI: {error}")
        pytest.skip(f"no PostgreSQL server at {PG_SERVER}: {error}")
    with admin:
        admin.execute(f"DROP DATABASE IF EXISTS {TEMPLATE} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {TEMPLATE}")
    drop_left_behind()
    migrate(StoreUrl.parse(f"{PG_SERVER}/{TEMPLATE}"))
    yield TEMPLATE
    drop_soon([TEMPLATE])


@pytest.fixture(scope="session")
def postgres_databases(postgres_template: str) -> Iterator[PostgresDatabases]:
    databases = PostgresDatabases(postgres_template)
    yield databases
    databases.close()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    migrate(StoreUrl.parse(f"sqlite:///{path}"))
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty, migrated store of each kind."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "sovang.db"
        path.write_bytes(template.read_bytes())
        yield f"sqlite:///{path}"
        return
    databases: PostgresDatabases = request.getfixturevalue("postgres_databases")
    name = databases.take()
    yield f"{PG_SERVER}/{name}"
    databases.drop(name)


@pytest.fixture
def postgres_url(postgres_databases: PostgresDatabases) -> Iterator[str]:
    """A fresh, migrated PostgreSQL database for a test that only PostgreSQL can run."""
    name = postgres_databases.take()
    yield f"{PG_SERVER}/{name}"
    postgres_databases.drop(name)


@pytest.fixture
def store(database_url: str) -> str:
    """The dialect under test: 'sqlite' or 'postgresql'."""
    return StoreUrl.parse(database_url).dialect


@pytest.fixture(scope="session")
def log_signer() -> Signer:
    """The log's signing key in tests (made once: generating keys is not what is tested)."""
    return Signer.generate("test.sovang.vn/log")


@pytest.fixture
def signing_key_path(tmp_path: Path, log_signer: Signer) -> Path:
    path = tmp_path / "keys" / "log-signing.key"
    signing.write(path, log_signer)
    return path


@pytest.fixture
def personal_data_key_path(tmp_path: Path) -> Path:
    path = tmp_path / "keys" / "personal-data.key"
    personal_data.write(path)
    return path


@pytest.fixture
def session_key_path(tmp_path: Path) -> Path:
    path = tmp_path / "keys" / "session.key"
    keyfiles.write_random(path)
    return path


@pytest.fixture
def config(
    database_url: str,
    signing_key_path: Path,
    personal_data_key_path: Path,
    session_key_path: Path,
    tmp_path: Path,
) -> Config:
    return Config(
        database_url=database_url,
        bank_feed_keys_dir=tmp_path / "keys" / "bank-feeds",
        photos_path=tmp_path / "photos",
        read_wait_seconds=5.0,
        signing_key_path=signing_key_path,
        personal_data_key_path=personal_data_key_path,
        session_key_path=session_key_path,
        # Tests send many wrong tokens from one address on purpose; the throttle that
        # turns such a client away is tested with its own limit (tests/api/test_tokens.py).
        auth_failures_per_minute=10_000,
        checkpoints_per_minute=10_000,
        public_requests_per_minute=10_000,
        public_burst=10_000,
        # People's passwords are hashed with argon2id at its smallest cost: what is tested
        # is the hashing and the rehash when the parameters change, not their cost.
        password_time_cost=1,
        password_memory_kib=1024,
        password_parallelism=1,
    )


@pytest.fixture
def services(config: Config) -> Iterator[Services]:
    svc = Services(config)
    yield svc
    svc.close()


@pytest.fixture
def ledger(services: Services) -> Ledger:
    return services.ledger


@pytest.fixture
def app(config: Config) -> Iterator[Flask]:
    app = create_app(config)
    app.config["TESTING"] = True
    yield app
    app.extensions["sovang"].close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def make_token(app: Flask) -> Callable[..., str]:
    """make_token(role, unit_id=None) → a bearer token for the app under test;
    ``personal_data=True`` grants it the reading of beneficiaries' personal data, and
    ``same_person_as`` (another token) gives it to that token's holder."""

    def make(
        role: str,
        unit_id: str | None = None,
        name: str = "test",
        personal_data: bool = False,
        same_person_as: str | None = None,
    ) -> str:
        db = app.extensions["sovang"].db
        holder = tokens.authenticate(db, same_person_as) if same_person_as else None
        return tokens.create(
            db,
            name=name,
            role=Role(role),
            unit_id=uuid.UUID(unit_id) if unit_id else None,
            personal_data=personal_data,
            person_id=holder.person if holder else None,
        )[1]

    return make


#: Every read-model table and the key that orders it.
READ_MODELS = {
    "units": "id",
    "unit_tree": "ancestor_id, unit_id",
    "unit_targets": "unit_id, year, fund_kind",
    "funds": "id",
    "in_kind_stock": "fund_id, item",
    "ledger_entries": "entry_id",
    "supervisions": "id",
    "supervision_findings": "finding_id",
    "questions": "id",
    "supervision_plans": "id",
    "recommendations": "id",
    "thanks_letters": "id",
    "pending_payments": "pending_id",
    "households": "id",
    "household_categories": "household_id, category, since",
    "household_index": "kind, token, household_id",
    "house_projects": "id",
    "house_stages": "project_id, stage",
    "house_tranches": "payment_id",
    "livelihood_grants": "id",
    "grant_follow_ups": "grant_id, months",
    "pledges": "pledge_id",
    "pledge_instalments": "pledge_id, seq",
    "pledge_fulfilments": "pledge_id, entry_id",
    "giving_accounts": "fund_id",
    "notified_credits": "id",
    "audit_events": "position",
    "audit_aggregate_units": "aggregate_id",
    "log_nodes": "level, idx",
    "checkpoints": "tree_size",
    "checkpoint_cosignatures": "tree_size, witness",
    "witnesses": "name",
}


def read_models(db: Database, *, tracking: bool = False) -> dict[str, list[dict[str, Any]]]:
    """Every row of every projection, in key order (and the tracking rows if asked)."""
    chosen = {**READ_MODELS, **({"projection_tracking": "name"} if tracking else {})}
    with db.transaction() as tx:
        return {
            name: tx.all(f"SELECT * FROM {name} ORDER BY {key}") for name, key in chosen.items()
        }


ADMIN = Request(Actor(id="admin", name="Quản trị", role=Role.ADMIN))


def treasurer_of(unit_id: uuid.UUID | str) -> Request:
    return Request(
        Actor(
            id=f"treasurer-{unit_id}",
            name="Thủ quỹ",
            role=Role.TREASURER,
            unit_id=uuid.UUID(str(unit_id)),
        )
    )


@pytest.fixture(params=["funds listed", "funds by subquery"])
def fund_scope(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Runs a roll-up test with the scope's funds named one by one and, as for a scope of
    very many funds, by their subquery."""
    if request.param == "funds by subquery":
        monkeypatch.setattr(counting, "LISTED_FUNDS", 0)
    return str(request.param)


@pytest.fixture(params=["never migrated", "migrated by an older release"])
def lacking_store(
    request: pytest.FixtureRequest, database_url: str, tmp_path: Path
) -> Iterator[tuple[str, list[str]]]:
    """A store of each kind that was never migrated, or was migrated by an older release
    (the last migration of this one missing), and the migrations it lacks."""
    url = StoreUrl.parse(database_url)
    shipped = list(schema.shipped(url.dialect))
    if request.param == "migrated by an older release":
        db = Database(url, pool_size=1)
        with db.transaction(write=True) as tx:
            tx.execute(
                f"DELETE FROM {schema.APPLIED_TABLE} WHERE migration_id = :id", {"id": shipped[-1]}
            )
        db.close()
        yield database_url, shipped[-1:]
    elif url.dialect == "sqlite":
        yield f"sqlite:///{tmp_path / 'never' / 'sovang.db'}", shipped
    else:
        databases: PostgresDatabases = request.getfixturevalue("postgres_databases")
        yield f"{PG_SERVER}/{databases.blank()}", shipped
