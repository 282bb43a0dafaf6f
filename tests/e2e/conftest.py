"""The demo's stores: `sovang demo` run once a session on each kind of store (without
keys, and with a personal-data key, which adds the households and their cases), then
copied for each test that starts from it; and the browser tests' Chromium, started once
a session."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from service.adapters import personal_data
from service.adapters.db import StoreUrl
from tests.e2e.cli import run, sovang_env
from tests.postgres import PG_SERVER, PostgresDatabases


def sqlite_copy(source: str | Path, target: str | Path) -> None:
    with closing(sqlite3.connect(source)) as read, closing(sqlite3.connect(target)) as written:
        read.backup(written)


class DemoStores:
    """Copies of a store that `sovang demo` loaded, one for each test."""

    def __init__(self, request: pytest.FixtureRequest, tmp: Path) -> None:
        self.request = request
        self.tmp = tmp
        #: The personal-data key of the demos loaded with cases (and of the tests that
        #: read their copies).
        self.personal_data_key = tmp / "keys" / "personal-data.key"
        personal_data.write(self.personal_data_key)
        # Each demo loaded: (dialect, with cases) → its store (a path or a database) and
        # what `sovang demo` printed.
        self.loaded: dict[tuple[str, bool], tuple[str, str]] = {}
        self.databases: PostgresDatabases | None = None

    def copied(self, database_url: str, *, cases: bool = False) -> Iterator[str]:
        """Yields the URL of a store of ``database_url``'s kind with the demo loaded as
        `sovang demo` loads it into a fresh, migrated store (with ``cases``, given the
        key ``personal_data_key``); drops it afterwards."""
        url = StoreUrl.parse(database_url)
        loaded = self._loaded(url, cases)
        if url.dialect == "sqlite":
            sqlite_copy(loaded, url.path)
            yield database_url
            return
        assert self.databases is not None
        name = self.databases.copy(loaded)
        yield f"{PG_SERVER}/{name}"
        self.databases.drop(name)

    def printed(self, database_url: str, *, cases: bool = False) -> str:
        """What `sovang demo` printed when it loaded the store that ``copied`` copies."""
        url = StoreUrl.parse(database_url)
        self._loaded(url, cases)
        return self.loaded[(url.dialect, cases)][1]

    def _loaded(self, url: StoreUrl, cases: bool) -> str:
        if (url.dialect, cases) not in self.loaded:
            self.loaded[(url.dialect, cases)] = self._load(url, cases)
        return self.loaded[(url.dialect, cases)][0]

    def _load(self, url: StoreUrl, cases: bool) -> tuple[str, str]:
        # Without cases, a key file that does not exist (not the data directory's).
        key = self.personal_data_key if cases else self.tmp / "no-key" / "personal-data.key"
        if url.dialect == "sqlite":
            path = self.tmp / f"demo{'-cases' if cases else ''}.db"
            sqlite_copy(url.path, path)
            return str(path), _demo(f"sqlite:///{path}", key)
        self.databases = self.request.getfixturevalue("postgres_databases")
        name = self.databases.take()
        return name, _demo(f"{PG_SERVER}/{name}", key)

    def close(self) -> None:
        if self.databases is not None:
            for (dialect, _), (name, _) in self.loaded.items():
                if dialect == "postgresql":
                    self.databases.drop(name)


def _demo(database_url: str, personal_data_key: Path) -> str:
    """Runs `sovang demo` on the store (in this process: what is tested is the copies)
    and returns what it printed."""
    loaded = run(sovang_env(database_url, personal_data_key=personal_data_key), "demo")
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    return loaded.stdout


@pytest.fixture(scope="session")
def demo_stores(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DemoStores]:
    """`sovang demo` run once a session on each kind of store, for ``DemoStores.copied``."""
    stores = DemoStores(request, tmp_path_factory.mktemp("demo"))
    yield stores
    stores.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's headless Chromium, driven by Playwright: one for all the browser tests of a
    session, each of which opens contexts (pages, cookies, storage) of its own."""
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("SOVANG_CHROMIUM", "/usr/bin/chromium")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=chromium, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            yield launched
        finally:
            launched.close()
