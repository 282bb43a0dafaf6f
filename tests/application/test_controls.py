"""The controls through the application on a real store (SQLite and PostgreSQL): held
reversals and receipts survive reloading, an implausible statement line is refused by
the import, and the read models rebuilt from the log equal those built as it happened."""

from __future__ import annotations

import io
from datetime import date
from uuid import UUID

import pytest

from service.application import Ledger
from service.application import import_jobs as imports
from service.bootstrap import Services
from service.domain.errors import ReversalPending
from service.domain.funds import Disbursement, Donor, Receipt
from service.domain.money import Money
from service.domain.vocabulary import Category, Channel, DonorKind, FundKind, Level
from tests.application.test_approvals import approver_of, controlled_fund
from tests.conftest import ADMIN, read_models, treasurer_of

DAY = date(2025, 3, 1)


def gift(amount: int) -> Receipt:
    return Receipt(Money(amount), DAY, Donor("Nguyễn Văn An", DonorKind.INDIVIDUAL), Channel.CASH)


def test_a_held_reversal_survives_reloading_and_a_second_one_is_refused(ledger: Ledger) -> None:
    unit, fund = controlled_fund(ledger)
    entry = UUID(ledger.record_receipt(treasurer_of(unit), fund, gift(3_000_000)).body["entry_id"])

    asked = ledger.reverse_entry(treasurer_of(unit), fund, entry, "Ghi nhầm")

    reloaded = ledger.fund(fund)
    assert (reloaded.balance, reloaded.reserved) == (13_000_000, 3_000_000)
    assert asked.body["held_because"] == "threshold"
    with pytest.raises(ReversalPending):
        ledger.reverse_entry(treasurer_of(unit), fund, entry, "Lần nữa")
    ledger.approve_payment(approver_of(unit), fund, UUID(asked.body["pending_id"]))
    assert (ledger.fund(fund).balance, ledger.fund(fund).reserved) == (10_000_000, 0)


def test_an_imported_line_above_the_plausibility_limit_is_refused_and_the_rest_recorded(
    services: Services,
) -> None:
    ledger = services.ledger
    unit = UUID(ledger.register_unit(ADMIN, "Xã Cẩm Bình", Level.COMMUNE, None, None).body["id"])
    fund = UUID(
        ledger.open_fund(treasurer_of(unit), unit, "Quỹ Cứu trợ", FundKind.RELIEF).body["id"]
    )
    text = (
        "Ngày,Mã giao dịch,Số tiền,Nội dung,Người chuyển\n"
        "10/09/2025,FT00000001,500000,UNG HO,NGUYEN VAN AN\n"
        "10/09/2025,FT00000002,50000000000,UNG HO,TRAN THI BINH\n"
    )
    prepared = imports.prepare(io.BytesIO(text.encode()), "s.csv", imports.layout_of("sovang"))

    report = imports.run(services, treasurer_of(unit), fund, prepared, dry_run=False)

    assert (report.recorded, report.bad) == (1, 1)
    [refused] = [line for line in report.not_recorded if line["outcome"] == "bad"]
    assert refused["row"] == 3
    assert "giới hạn hợp lý" in refused["reason"]
    assert ledger.fund(fund).balance == 500_000


def test_rebuilding_gives_the_rows_built_as_held_entries_were_decided(
    services: Services, ledger: Ledger
) -> None:
    unit, fund = controlled_fund(ledger)
    treasurer, approver = treasurer_of(unit), approver_of(unit)
    big = ledger.record_receipt(treasurer, fund, gift(6_000_000_000))
    small = ledger.record_receipt(treasurer, fund, gift(2_000_000))
    reversal = ledger.reverse_entry(treasurer, fund, UUID(small.body["entry_id"]), "Trùng")
    split = [
        ledger.record_disbursement(
            treasurer, fund, Disbursement(Money(600_000), DAY, Category.MEDICAL)
        )
        for _ in range(2)
    ]
    ledger.approve_payment(approver, fund, UUID(big.body["pending_id"]))
    ledger.reject_payment(approver, fund, UUID(reversal.body["pending_id"]), "Không trùng")
    last = ledger.approve_payment(approver, fund, UUID(split[1].body["pending_id"]))
    services.runner.wait_for(last.position, timeout=10)

    with services.db.transaction() as tx:
        rows = tx.all("SELECT kind, held_because, status FROM pending_payments ORDER BY seq")
    assert [tuple(r.values()) for r in rows] == [
        ("receipt", "plausibility", "approved"),
        ("reversal", "threshold", "rejected"),
        ("disbursement", "split", "approved"),
    ]
    assert "entry_id" in split[0].body
    incremental = read_models(services.db)
    services.runner.rebuild()
    assert read_models(services.db) == incremental
