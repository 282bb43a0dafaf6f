"""`sovang projections check`: read models changed by hand are found and named."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from service.bootstrap import Services
from service.config import Config
from tests.e2e.cli import run, sovang_env, sovang_here
from tests.e2e.conftest import DemoStores


@pytest.fixture
def database_url(database_url: str, demo_stores: DemoStores) -> Iterator[str]:
    """A store of each kind with the demo loaded (`sovang demo`, run once a session)."""
    yield from demo_stores.copied(database_url)


def change(url: str, sql: str) -> None:
    services = Services(Config(database_url=url))
    try:
        with services.db.transaction(write=True) as tx:
            tx.execute(sql)
    finally:
        services.close()


def refused(url: str) -> str:
    result = run(sovang_env(url), "projections", "check")
    assert result.returncode != 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    return result.stderr


def first_fund(url: str) -> tuple[str, int]:
    services = Services(Config(database_url=url))
    try:
        with services.db.transaction() as tx:
            row = tx.one("SELECT id, balance FROM funds ORDER BY id LIMIT 1")
            assert row is not None
            return str(row["id"]), int(row["balance"])
    finally:
        services.close()


def test_a_balance_and_an_amount_changed_by_hand_are_named(
    database_url: str, tmp_path: Path
) -> None:
    passed = sovang_here(database_url, "projections", "check", "--workdir", str(tmp_path)).stdout
    assert "các bảng đọc khớp với sổ sự kiện" in passed

    fund_id, balance = first_fund(database_url)
    change(database_url, "UPDATE funds SET balance = balance + 1000000000")
    stderr = refused(database_url)
    assert "bảng funds" in stderr, stderr
    assert f"id = {fund_id}" in stderr, stderr
    assert "cột balance" in stderr, stderr
    assert str(balance + 1_000_000_000) in stderr, stderr
    assert str(balance) in stderr

    sovang_here(database_url, "projections", "rebuild", "funds")
    assert "khớp" in sovang_here(database_url, "projections", "check").stdout

    change(
        database_url,
        "UPDATE ledger_entries SET amount = amount + 1 WHERE entry_id = "
        "(SELECT entry_id FROM ledger_entries WHERE kind = 'receipt' ORDER BY entry_id LIMIT 1)",
    )
    stderr = refused(database_url)
    assert "bảng ledger_entries" in stderr, stderr
    assert "cột amount" in stderr, stderr

    change(
        database_url,
        "DELETE FROM ledger_entries WHERE entry_id = "
        "(SELECT entry_id FROM ledger_entries ORDER BY entry_id DESC LIMIT 1)",
    )
    assert "bảng ledger_entries" in refused(database_url)
