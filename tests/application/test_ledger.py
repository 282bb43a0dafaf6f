"""The application on a real store: use cases, idempotency, projections."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest

from service.application import Ledger, Request
from service.bootstrap import Services
from service.domain.errors import IdempotencyKeyReused, InsufficientFunds
from service.domain.funds import Disbursement, Donor, Receipt
from service.domain.money import Money
from service.domain.vocabulary import Category, Channel, DonorKind, FundKind, Level
from service.projections import funds as fund_view
from tests.conftest import ADMIN, treasurer_of

DAY = date(2025, 3, 1)


def open_fund(ledger: Ledger) -> tuple[UUID, Request]:
    unit = UUID(ledger.register_unit(ADMIN, "Xã Mẫu", Level.COMMUNE, None, None).body["id"])
    treasurer = treasurer_of(unit)
    fund = UUID(
        ledger.open_fund(treasurer, unit, "Quỹ Vì người nghèo", FundKind.FOR_THE_POOR).body["id"]
    )
    return fund, treasurer


def gift(amount: int) -> Receipt:
    return Receipt(Money(amount), DAY, Donor("Nguyễn Văn An", DonorKind.INDIVIDUAL), Channel.CASH)


def test_balances_come_from_projections_after_receipts_and_disbursements(
    services: Services, ledger: Ledger
) -> None:
    fund, treasurer = open_fund(ledger)
    ledger.record_receipt(treasurer, fund, gift(5_000_000))
    written = ledger.record_disbursement(
        treasurer, fund, Disbursement(Money(2_000_000), DAY, Category.TET_GIFT)
    )
    services.runner.wait_for(written.position, timeout=5)
    with services.db.transaction() as tx:
        row = fund_view.get(tx, str(fund))
    assert row is not None
    assert (row["balance"], row["total_received"], row["total_disbursed"]) == (
        3_000_000,
        5_000_000,
        2_000_000,
    )


def test_a_retried_refusal_is_refused_again_even_after_money_arrives(ledger: Ledger) -> None:
    fund, treasurer = open_fund(ledger)
    keyed = Request(treasurer.actor, idempotency_key="chi-001", fingerprint="body-1")
    overdraft = Disbursement(Money(1_000_000), DAY, Category.EMERGENCY)
    with pytest.raises(InsufficientFunds):
        ledger.record_disbursement(keyed, fund, overdraft)
    ledger.record_receipt(treasurer, fund, gift(5_000_000))
    with pytest.raises(InsufficientFunds):
        ledger.record_disbursement(keyed, fund, overdraft)
    assert ledger.fund(fund).balance == 5_000_000


def test_the_same_key_with_another_body_is_refused(ledger: Ledger) -> None:
    fund, treasurer = open_fund(ledger)
    first = Request(treasurer.actor, idempotency_key="thu-001", fingerprint="body-1")
    answer = ledger.record_receipt(first, fund, gift(100_000))
    again = ledger.record_receipt(first, fund, gift(100_000))
    assert again.body == answer.body
    assert again.replayed
    with pytest.raises(IdempotencyKeyReused):
        ledger.record_receipt(
            Request(treasurer.actor, idempotency_key="thu-001", fingerprint="body-2"),
            fund,
            gift(200_000),
        )
    assert ledger.fund(fund).balance == 100_000
