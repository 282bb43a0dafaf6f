"""`sovang import receipts`, run as an operator would, on both stores: the README's
command prints the README's counts, the first time and the second."""

from __future__ import annotations

import csv
import re
import shlex
import shutil
import subprocess
from datetime import date
from pathlib import Path
from uuid import UUID

import pytest
from eventsourcing.persistence import IntegrityError

from service.adapters.db import StoreUrl
from service.bootstrap import Services
from service.config import Config
from service.domain.actors import Meta
from service.domain.funds import Donor, Receipt
from service.domain.imports import ImportedTransfer
from service.domain.money import Money
from service.domain.pledges import Commitment
from service.domain.vocabulary import Channel, DonorKind, FundKind, Level
from tests.conftest import ADMIN, treasurer_of
from tests.e2e.cli import SOVANG, sovang_env, sovang_here

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "sao-ke-vietcombank.csv"


def readme_block(marker: str) -> str:
    """The fenced block that follows ``<!-- marker -->`` in the README."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(rf"<!-- {marker} -->\n```\w*\n(.*?)```", text, re.DOTALL)
    assert found is not None, marker
    return found.group(1)


def fund_with_pledge(database_url: str) -> str:
    """A commune's fund with the pledge of the README's walkthrough ("UH BAO LU")."""
    services = Services(Config(database_url=database_url))
    try:
        ledger = services.ledger
        unit = UUID(
            ledger.register_unit(ADMIN, "Xã Cẩm Bình", Level.COMMUNE, None, None).body["id"]
        )
        treasurer = treasurer_of(unit)
        fund = ledger.open_fund(treasurer, unit, "Quỹ Cứu trợ", FundKind.RELIEF).body["id"]
        ledger.make_pledge(
            treasurer,
            UUID(fund),
            Commitment(
                Donor("Trần Thị Bình", DonorKind.INDIVIDUAL), Money(2_500_000), code="UH BAO LU"
            ),
        )
        return str(fund)
    finally:
        services.close()


def test_the_readme_command_prints_the_readme_counts_on_the_first_and_second_import(
    database_url: str, tmp_path: Path
) -> None:
    fund = fund_with_pledge(database_url)
    shutil.copytree(ROOT / "samples", tmp_path / "samples")
    command = readme_block("import-sample-command").strip().replace("$FUND", fund)
    argv = [SOVANG if word == "sovang" else word for word in shlex.split(command)]

    def run() -> str:
        done = subprocess.run(
            argv, cwd=tmp_path, env=sovang_env(database_url), capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    first, second = run(), run()

    assert first.startswith(readme_block("import-sample-first"))
    assert second.startswith(readme_block("import-sample-second"))
    assert "các dòng 12, 13 giống hệt nhau ở mọi cột" in first
    assert "--confirm-repeats 13" in first
    report = list(csv.reader((tmp_path / "sao-ke-vietcombank.bao-cao.csv").open(encoding="utf-8")))
    assert [int(line[0]) for line in report[1:]] == list(range(1, 18))
    services = Services(Config(database_url=database_url))
    try:
        assert services.ledger.fund(UUID(fund)).balance == 15_650_000
        with services.db.transaction() as tx:
            actors = tx.all(
                "SELECT DISTINCT actor FROM ledger_entries WHERE fund_id = :fund", {"fund": fund}
            )
        assert actors == [{"actor": "Thủ quỹ xã Cẩm Bình"}]
    finally:
        services.close()


def test_a_dry_run_prints_what_the_import_then_does_and_a_confirmed_repeat_is_recorded(
    database_url: str, tmp_path: Path
) -> None:
    fund = fund_with_pledge(database_url)
    args = ("import", "receipts", str(SAMPLE), "--fund", fund, "--preset", "vietcombank")
    report = str(tmp_path / "bao-cao.csv")

    dry = sovang_here(database_url, *args, "--dry-run", "--report", report).stdout
    done = sovang_here(database_url, *args, "--report", report).stdout
    confirmed = sovang_here(
        database_url, *args, "--confirm-repeats", "13", "--report", report
    ).stdout

    assert dry.replace("chạy thử, sẽ ghi", "đã ghi").replace("sẽ ghi", "đã ghi") == done
    assert confirmed.startswith("đã ghi 1 khoản thu, 150.000 đ; 0 gắn với cam kết\n")
    assert "giống hệt một dòng trước, chưa ghi: 0 dòng, 0 đ" in confirmed


def test_a_repeated_import_leaves_no_gap_and_audit_verify_counts_events_and_gaps_apart(
    database_url: str, tmp_path: Path, signing_key_path: Path
) -> None:
    fund = fund_with_pledge(database_url)
    args = ("import", "receipts", str(SAMPLE), "--fund", fund, "--preset", "vietcombank")
    report = ("--report", str(tmp_path / "bao-cao.csv"))
    sovang_here(database_url, *args, *report)
    sovang_here(database_url, *args, *report)
    sovang_here(database_url, *args, "--dry-run", *report)

    verified = sovang_here(database_url, "audit", "verify", signing_key=signing_key_path).stdout
    size = int(verified.split()[3])
    assert f"đã kiểm chứng {size} vị trí của sổ: {size} sự kiện và 0 chỗ trống" in verified

    # A save the store refuses: PostgreSQL's sequence keeps the number it gave the insert.
    services = Services(Config(database_url=database_url))
    try:
        ledger = services.ledger
        treasurer = treasurer_of(ledger.fund(UUID(fund)).unit_id)
        meta = Meta.of(treasurer.actor, None, None)
        ledger.save(ImportedTransfer.mark(UUID(fund), UUID(int=1), "line:0#0", meta))
        with pytest.raises(IntegrityError):
            ledger.save(ImportedTransfer.mark(UUID(fund), UUID(int=1), "line:0#0", meta))
        ledger.record_receipt(
            treasurer,
            UUID(fund),
            Receipt(
                Money(100_000), date(2025, 9, 12), Donor(None, DonorKind.ANONYMOUS), Channel.CASH
            ),
        )
    finally:
        services.close()
    gaps = 1 if StoreUrl.parse(database_url).dialect == "postgresql" else 0

    verified = sovang_here(database_url, "audit", "verify", signing_key=signing_key_path).stdout
    assert (
        f"đã kiểm chứng {size + 2 + gaps} vị trí của sổ: {size + 2} sự kiện và {gaps} chỗ trống"
        in verified
    )


def test_a_usd_accounts_statement_is_imported_in_usd_with_the_currency_given(
    database_url: str, tmp_path: Path
) -> None:
    fund = fund_with_pledge(database_url)
    statement = tmp_path / "sao-ke-usd.csv"
    statement.write_text(
        "Ngày,Mã giao dịch,Số tiền,Số tiền quy đổi,Nội dung,Người chuyển\n"
        '07/03/2025,FT25066000201,"1.250,50",31.637.650,DONATION,VIET ASSOCIATION\n',
        encoding="utf-8",
    )
    args = ("import", "receipts", str(statement), "--fund", fund, "--currency", "USD")
    done = sovang_here(database_url, *args, "--report", str(tmp_path / "bao-cao.csv")).stdout
    assert done.startswith("đã ghi 1 khoản thu, 31.637.650 đ"), done
    services = Services(Config(database_url=database_url))
    try:
        held = services.ledger.fund(UUID(fund))
        assert dict(held.holdings) == {"bank:USD": {"amount": 125_050, "value": 31_637_650}}
        assert (held.balance, held.dong) == (31_637_650, 0)
    finally:
        services.close()
