"""The demo's stores: `sovang demo` (without keys) run once a session on each kind of
store, then copied for each test that starts from it; and the browser tests' Chromium,
started once a session."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

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
        self.loaded: dict[str, str] = {}  # each dialect's loaded store: a path or a database
        self.databases: PostgresDatabases | None = None

    def copied(self, database_url: str) -> Iterator[str]:
        """Yields the URL of a store of ``database_url``'s kind with the demo loaded as
        `sovang demo` loads it into a fresh, migrated store; drops it afterwards."""
        url = StoreUrl.parse(database_url)
        if url.dialect not in self.loaded:
            self.loaded[url.dialect] = self._load(url)
        if url.dialect == "sqlite":
            sqlite_copy(self.loaded["sqlite"], url.path)
            yield database_url
            return
        assert self.databases is not None
        name = self.databases.copy(self.loaded["postgresql"])
        yield f"{PG_SERVER}/{name}"
        self.databases.drop(name)

    def _load(self, url: StoreUrl) -> str:
        if url.dialect == "sqlite":
            path = self.tmp / "demo.db"
            sqlite_copy(url.path, path)
            _demo(f"sqlite:///{path}")
            return str(path)
        self.databases = self.request.getfixturevalue("postgres_databases")
        name = self.databases.take()
        _demo(f"{PG_SERVER}/{name}")
        return name

    def close(self) -> None:
        if "postgresql" in self.loaded and self.databases is not None:
            self.databases.drop(self.loaded["postgresql"])


def _demo(database_url: str) -> None:
    """Runs `sovang demo` on the store (in this process: what is tested is the copies)."""
    loaded = run(sovang_env(database_url), "demo")
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr


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
