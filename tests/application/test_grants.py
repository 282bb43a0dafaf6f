"""Livelihood grants and scholarships through the application on a real store: a delivery
above the threshold awaits approval with the grant, a reversal releases it, a student's
name is sealed under the household's key, and the read models rebuild to the same rows."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest

from service.application import Ledger
from service.bootstrap import Services
from service.domain.errors import AlreadyDelivered, InvalidInput, RepeatedSupport
from service.domain.funds import Disbursement
from service.domain.households import PersonalData
from service.domain.money import Money
from service.domain.support import Student
from service.domain.vocabulary import Category, FollowUpStatus, HouseholdCategory
from tests.application.test_approvals import DAY, approver_of, controlled_fund
from tests.conftest import read_models, treasurer_of


def test_a_delivery_above_the_threshold_waits_with_the_grant_and_a_reversal_releases_it(
    services: Services, ledger: Ledger
) -> None:
    unit, fund = controlled_fund(ledger, threshold=1_000_000)
    treasurer = treasurer_of(unit)
    household = UUID(
        ledger.register_household(
            treasurer,
            unit,
            PersonalData.of("Lò Văn Páo", "Bản Co Mạ"),
            5,
            [(HouseholdCategory.POOR, date(2024, 1, 1))],
        ).body["id"]
    )
    grant = UUID(
        ledger.approve_grant(
            treasurer, household, "Bò cái sinh sản", {}, 5_000_000, date(2025, 2, 1)
        ).body["id"]
    )
    cow = Disbursement(Money(5_000_000), DAY, Category.LIVELIHOOD, grant_id=grant)

    asked = ledger.record_disbursement(treasurer, fund, cow)
    assert ledger.grant(grant).status == "awaiting_approval"
    with pytest.raises(AlreadyDelivered):
        ledger.record_disbursement(treasurer, fund, cow)
    approved = ledger.approve_payment(approver_of(unit), fund, UUID(asked.body["pending_id"]))
    delivered = ledger.grant(grant)
    assert (delivered.status, delivered.delivered_on) == ("delivered", DAY)
    assert delivered.entry_id == UUID(approved.body["entry_id"])
    ledger.record_follow_up(treasurer, grant, 3, date(2025, 6, 2), FollowUpStatus.IN_USE)
    reversal = ledger.reverse_entry(
        treasurer, fund, UUID(approved.body["entry_id"]), "Chi nhầm quỹ"
    )
    assert ledger.grant(grant).status == "delivered"  # the reversal waits for an approver
    ledger.approve_payment(approver_of(unit), fund, UUID(reversal.body["pending_id"]))
    assert ledger.grant(grant).status == "approved"

    scholarship = Disbursement(Money(500_000), DAY, Category.SCHOLARSHIP, household_id=household)
    student = Student.of("Lò Thị Mai", "Trường THCS Co Mạ", "2024-2025")
    ledger.record_disbursement(treasurer, fund, scholarship, student)
    sister = Student.of("Lò Văn Tùng", "Trường THCS Co Mạ", "2024-2025")
    ledger.record_disbursement(treasurer, fund, scholarship, sister)
    with pytest.raises(RepeatedSupport):
        ledger.record_disbursement(treasurer, fund, scholarship, student)
    with pytest.raises(InvalidInput) as wrong:
        ledger.record_disbursement(
            treasurer,
            fund,
            Disbursement(Money(1), DAY, Category.MEDICAL, household_id=household),
            student,
        )
    assert wrong.value.field == "student"
    services.runner.catch_up()
    live = read_models(services.db)

    services.runner.rebuild(["grants", "ledger", "pending_payments"])

    assert read_models(services.db) == live
    (row,) = live["livelihood_grants"]
    assert (row["status"], row["delivered_on"], row["payment_id"]) == ("approved", None, None)
    assert [f["months"] for f in live["grant_follow_ups"]] == [3]
    sealed = [e for e in live["ledger_entries"] if e["category"] == "scholarship"]
    assert [e["school_year"] for e in sealed] == ["2024-2025", "2024-2025"]
    assert len({e["student_key"] for e in sealed}) == 2
    opened = services.keyring().open(household, {"student_name": sealed[0]["student_name_sealed"]})
    assert opened == {"student_name": "Lò Thị Mai"}
