"""`sovang audit verify`, run as an operator would, before and after a change by hand."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from service.adapters.db import StoreUrl
from service.bootstrap import Services
from service.config import Config
from tests.e2e.cli import run, sovang_env, sovang_here
from tests.e2e.conftest import DemoStores


@pytest.fixture
def database_url(database_url: str, demo_stores: DemoStores) -> Iterator[str]:
    """A store of each kind with the demo loaded (`sovang demo`, run once a session)."""
    yield from demo_stores.copied(database_url)


def test_audit_verify_passes_on_the_demo_and_names_the_position_changed_by_hand(
    database_url: str, signing_key_path: Path
) -> None:
    verified = sovang_here(database_url, "audit", "verify", signing_key=signing_key_path).stdout
    assert verified.startswith("đã kiểm chứng ")
    events = int(verified.split()[3])
    assert events > 400

    table, column = (
        ("stored_events", "rowid")
        if StoreUrl.parse(database_url).dialect == "sqlite"
        else ("sovang_events", "notification_id")
    )
    services = Services(Config(database_url=database_url))
    try:
        with services.db.transaction(write=True) as tx:
            state = bytes(tx.scalar(f"SELECT state FROM {table} WHERE {column} = 42"))
            tx.execute(
                f"UPDATE {table} SET state = :state WHERE {column} = 42",
                {"state": state.replace(b'"amount":', b'"amount": ', 1)},
            )
    finally:
        services.close()

    refused = run(sovang_env(database_url, signing_key_path), "audit", "verify")
    assert refused.returncode != 0
    assert "vị trí hỏng đầu tiên: 42" in refused.stderr


def test_a_checkpoint_without_the_signing_key_is_refused_in_vietnamese(
    database_url: str, tmp_path: Path
) -> None:
    refused = run(sovang_env(database_url, tmp_path / "khong-co.key"), "audit", "checkpoint")
    assert refused.returncode == 1
    assert "Traceback" not in refused.stderr
    assert "Không đọc được khóa ký nhật ký" in refused.stderr
    assert "sovang audit keygen" in refused.stderr
