"""`sovang keys bank-feed` and `sovang giving`, run as an operator would: a source's key
made once, a fund's giving account set, and the credits waiting for the treasurer listed."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from uuid import UUID

from click.testing import CliRunner, Result

from service.adapters import bank_feeds
from service.bootstrap import Services
from service.config import Config
from service.domain.giving import NotifiedTransfer
from service.domain.vocabulary import FundKind, Level
from service.entrypoints.cli.main import main
from tests.conftest import ADMIN


def test_an_operator_makes_a_sources_key_once_sets_the_account_and_lists_the_queue(
    database_url: str, tmp_path: Path
) -> None:
    keys = tmp_path / "bank-feeds"
    env = {"SOVANG_DATABASE_URL": database_url, "SOVANG_BANK_FEED_KEYS": str(keys)}

    def run(*args: str) -> Result:
        return CliRunner().invoke(main, list(args), env=env)

    services = Services(Config(database_url=database_url, bank_feed_keys_dir=keys))
    try:
        ledger = services.ledger
        unit = ledger.register_unit(ADMIN, "Xã Cam Lộ", Level.COMMUNE, None, None).body
        fund_id = ledger.open_fund(ADMIN, UUID(unit["id"]), "Quỹ cứu trợ", FundKind.RELIEF).body[
            "id"
        ]
        made = run("keys", "bank-feed", "sepay")
        again = run("keys", "bank-feed", "sepay")
        connected = run(
            "giving",
            "account",
            fund_id,
            "--bin",
            "970436",
            "--number",
            "0011001932418",
            "--name",
            "UB MTTQ XA CAM LO",
        )
        ledger.record_notified(
            "sepay",
            "SePay",
            NotifiedTransfer(
                "77",
                "0011001932418",
                True,
                250_000,
                date(2025, 9, 10),
                "10:00:00",
                "FT77",
                "NGUYEN VAN A ung ho",
            ),
        )
        queue = run("giving", "credits", fund_id)
    finally:
        services.close()

    assert made.exit_code == 0, made.output
    key = bank_feeds.load_key(keys, "sepay").decode()
    assert made.output.strip().splitlines()[-1] == key
    assert (keys / "sepay.key").stat().st_mode & 0o777 == 0o600
    assert again.exit_code != 0
    assert "đã có" in again.output
    assert connected.exit_code == 0, connected.output
    assert "0011001932418" in connected.output
    assert "UNG HO" in connected.output
    assert queue.exit_code == 0, queue.output
    assert queue.output.startswith("1 khoản chưa gắn với cam kết nào, 250.000")
    assert "sepay 77" in queue.output
