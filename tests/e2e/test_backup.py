"""The backup and restore drill: copy the store while it is in use, restore the copy
into a new store, and the log still verifies and every read model rebuilds the same. The
drill starts from a copy of a store the demo was loaded into once a session."""

from __future__ import annotations

import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from uuid import UUID

import pytest

from service.bootstrap import Services
from service.config import Config
from service.domain.funds import Donor, Receipt
from service.domain.money import Money
from service.domain.vocabulary import Channel, DonorKind
from service.projections.log import Tree
from tests.conftest import PG_SERVER, read_models, treasurer_of
from tests.e2e.cli import SOVANG, sovang, sovang_env
from tests.e2e.conftest import DemoStores
from tests.postgres import PostgresDatabases


@pytest.fixture
def demo_url(database_url: str, demo_stores: DemoStores) -> Iterator[str]:
    """A store of each kind holding the demo (`sovang demo`)."""
    yield from demo_stores.copied(database_url)


def _new_store(store: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    if store == "sqlite":
        return f"sqlite:///{tmp_path / 'restored' / 'sovang.db'}"
    databases: PostgresDatabases = request.getfixturevalue("postgres_databases")
    return f"{PG_SERVER}/{databases.blank()}"


@contextmanager
def _writing(url: str) -> Iterator[list[int]]:
    """Records receipts on a fund of the store, one after another, until the block ends."""
    services = Services(Config(database_url=url))
    with services.db.transaction() as tx:
        fund = tx.one("SELECT id, unit_id FROM funds ORDER BY id LIMIT 1")
    assert fund is not None
    treasurer = treasurer_of(fund["unit_id"])
    gift = Receipt(
        Money(100_000), date(2025, 6, 1), Donor("Lê Thị Hoa", DonorKind.INDIVIDUAL), Channel.CASH
    )
    positions: list[int] = []
    stop = threading.Event()

    def write() -> None:
        while not stop.is_set():
            positions.append(
                services.ledger.record_receipt(treasurer, UUID(fund["id"]), gift).position
            )

    writer = threading.Thread(target=write)
    writer.start()
    try:
        while not positions:
            time.sleep(0.01)
        yield positions
    finally:
        stop.set()
        writer.join()
        services.close()


def _rows(url: str) -> dict[str, list[dict[str, object]]]:
    services = Services(Config(database_url=url))
    try:
        return read_models(services.db)
    finally:
        services.close()


def test_a_backup_taken_while_writing_restores_a_prefix_of_the_log_that_verifies(
    demo_url: str,
    store: str,
    tmp_path: Path,
    signing_key_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    database_url = demo_url
    archived = tmp_path / "archived.txt"
    sovang(
        database_url, "audit", "checkpoint", "--out", str(archived), signing_key=signing_key_path
    )

    backup = tmp_path / "sovang.backup"
    with _writing(database_url) as written:
        sovang(database_url, "backup", "--out", str(backup))
    assert written, "receipts were being recorded while the backup was taken"
    restored = _new_store(store, tmp_path, request)
    sovang(restored, "restore", str(backup))
    verified = sovang(
        restored, "audit", "verify", "--checkpoint", str(archived), signing_key=signing_key_path
    ).stdout
    caught_up = _rows(restored)
    sovang(restored, "projections", "rebuild")
    rebuilt = _rows(restored)

    # The copy is one consistent moment of the log: a prefix of the original, which
    # verifies against the checkpoint archived before it, and whose read models, once
    # caught up, are what a rebuild from its events gives.
    size, root = int(verified.split()[3]), verified.split("gốc cây ")[1].strip()
    services = Services(Config(database_url=database_url))
    services.runner.catch_up()
    with services.db.transaction() as tx:
        assert Tree(tx).root(size).hex() == root
    services.close()
    assert caught_up == rebuilt
    assert len(rebuilt["ledger_entries"]) > 400


def test_a_backup_never_overwrites_a_file(database_url: str, tmp_path: Path) -> None:
    existing = tmp_path / "kept.backup"
    existing.write_text("an earlier backup")

    refused = subprocess.run(
        [SOVANG, "backup", "--out", str(existing)],
        env=sovang_env(database_url),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert refused.returncode != 0
    assert "không bao giờ ghi đè" in refused.stderr
    assert existing.read_text() == "an earlier backup"
