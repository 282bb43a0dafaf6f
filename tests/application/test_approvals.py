"""Maker-checker through the application on a real store (SQLite and PostgreSQL):
payments awaiting approval survive reloading, decisions are saved atomically, and the
read models rebuilt from the log equal the ones built as it happened."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest

from service.application import Ledger, Request
from service.bootstrap import Services
from service.domain.actors import Actor
from service.domain.errors import AlreadyDecided, ApproverIsRecorder, Forbidden
from service.domain.funds import Disbursement, Donor, Receipt
from service.domain.money import Money
from service.domain.vocabulary import Category, Channel, DonorKind, FundKind, Level, Role
from service.projections import funds as fund_view
from tests.conftest import ADMIN, read_models, treasurer_of

DAY = date(2025, 3, 1)


def approver_of(unit: UUID, name: str = "Chủ tịch") -> Request:
    return Request(Actor(id=f"approver-{unit}", name=name, role=Role.APPROVER, unit_id=unit))


def payment(amount: int) -> Disbursement:
    return Disbursement(Money(amount), DAY, Category.HOUSE_REPAIR)


def controlled_fund(ledger: Ledger, threshold: int = 1_000_000) -> tuple[UUID, UUID]:
    unit = UUID(ledger.register_unit(ADMIN, "Xã Mẫu", Level.COMMUNE, None, None).body["id"])
    ledger.set_approval_threshold(approver_of(unit), unit, threshold)
    fund = UUID(ledger.open_fund(treasurer_of(unit), unit, "Quỹ", FundKind.FOR_THE_POOR).body["id"])
    gift = Receipt(
        Money(10_000_000), DAY, Donor("Nguyễn Văn An", DonorKind.INDIVIDUAL), Channel.CASH
    )
    ledger.record_receipt(treasurer_of(unit), fund, gift)
    return unit, fund


def test_a_reservation_survives_reloading_the_fund_and_is_released_by_the_decision(
    ledger: Ledger,
) -> None:
    unit, fund = controlled_fund(ledger)
    first = ledger.record_disbursement(treasurer_of(unit), fund, payment(3_000_000))
    second = ledger.record_disbursement(treasurer_of(unit), fund, payment(2_000_000))

    reloaded = ledger.fund(fund)
    assert (reloaded.balance, reloaded.reserved, reloaded.available) == (
        10_000_000,
        5_000_000,
        5_000_000,
    )

    approved = ledger.approve_payment(approver_of(unit), fund, UUID(first.body["pending_id"]))
    ledger.reject_payment(approver_of(unit), fund, UUID(second.body["pending_id"]), "Trùng")

    reloaded = ledger.fund(fund)
    assert (reloaded.balance, reloaded.reserved) == (7_000_000, 0)
    assert approved.body["entry_id"] != first.body["pending_id"]
    with pytest.raises(AlreadyDecided):
        ledger.approve_payment(approver_of(unit), fund, UUID(second.body["pending_id"]))


def test_the_approver_role_reaching_the_unit_is_required_and_the_recorder_never_decides(
    ledger: Ledger,
) -> None:
    unit, fund = controlled_fund(ledger)
    asked = ledger.record_disbursement(treasurer_of(unit), fund, payment(3_000_000))
    pending_id = UUID(asked.body["pending_id"])
    recorder = treasurer_of(unit).actor
    same_person = Request(
        Actor("other-token", "Chủ tịch (kiêm)", Role.APPROVER, unit, person_id=recorder.person)
    )

    with pytest.raises(Forbidden):
        ledger.approve_payment(treasurer_of(unit), fund, pending_id)
    with pytest.raises(ApproverIsRecorder):
        ledger.approve_payment(same_person, fund, pending_id)
    with pytest.raises(Forbidden):
        ledger.set_approval_threshold(treasurer_of(unit), unit, None)

    assert ledger.fund(fund).reserved == 3_000_000


def test_rebuilding_the_read_models_gives_the_rows_built_as_payments_were_decided(
    services: Services, ledger: Ledger
) -> None:
    unit, fund = controlled_fund(ledger)
    other = UUID(ledger.open_fund(treasurer_of(unit), unit, "Quỹ 2", FundKind.RELIEF).body["id"])
    treasurer, approver = treasurer_of(unit), approver_of(unit)
    asked = [
        ledger.record_disbursement(treasurer, fund, payment(2_000_000)),
        ledger.record_disbursement(treasurer, fund, payment(1_500_000)),
        ledger.record_transfer(treasurer, fund, other, Money(3_000_000), DAY, "Điều tiết"),
        ledger.record_disbursement(treasurer, fund, payment(1_000_000)),
    ]
    ledger.approve_payment(approver, fund, UUID(asked[0].body["pending_id"]))
    ledger.reject_payment(approver, fund, UUID(asked[1].body["pending_id"]), "Thiếu hồ sơ")
    last = ledger.approve_payment(approver, fund, UUID(asked[2].body["pending_id"]), "Đã duyệt")
    services.runner.wait_for(last.position, timeout=10)

    with services.db.transaction() as tx:
        row = fund_view.get(tx, str(fund))
        statuses = [r["status"] for r in tx.all("SELECT status FROM pending_payments ORDER BY seq")]
    assert row is not None
    assert (row["balance"], row["reserved"], row["available"]) == (4_000_000, 0, 4_000_000)
    assert statuses == ["approved", "rejected", "approved"]
    assert "entry_id" in asked[3].body  # at the threshold: recorded at once

    incremental = read_models(services.db)
    services.runner.rebuild()
    assert read_models(services.db) == incremental
