"""Livelihood grants in the domain: follow-ups due by the calendar, delivered once,
followed up only after delivery, closed for good; a scholarship's student."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from service.domain.errors import (
    AlreadyDelivered,
    FollowUpRecorded,
    GrantClosed,
    GrantNotDelivered,
    InvalidInput,
)
from service.domain.grants import LivelihoodGrant, months_after
from service.domain.support import Student
from service.domain.vocabulary import Category, FollowUpStatus, GrantOutcome
from tests.unit.test_households import META, TODAY, household


def _grant() -> LivelihoodGrant:
    return LivelihoodGrant.approve(
        household(),
        "Bò cái sinh sản",
        {"giống": " Bò  lai Sind "},
        10_000_000,
        date(2025, 1, 2),
        None,
        TODAY,
        META,
    )


def test_a_follow_up_falls_due_on_the_same_day_months_later_or_the_months_last_day() -> None:
    assert months_after(date(2025, 1, 10), 3) == date(2025, 4, 10)
    assert months_after(date(2024, 11, 30), 3) == date(2025, 2, 28)
    assert months_after(date(2025, 8, 31), 6) == date(2026, 2, 28)
    assert months_after(date(2025, 3, 1), 12) == date(2026, 3, 1)


def test_a_grant_is_delivered_once_followed_up_after_delivery_and_closed_for_good() -> None:
    grant = _grant()
    assert grant.status == "approved"
    with pytest.raises(GrantNotDelivered):
        grant.follow_up(3, TODAY, FollowUpStatus.IN_USE, None, TODAY, META)
    with pytest.raises(InvalidInput) as wrong:
        grant.check_delivery(1_000, Category.MEDICAL, None, date(2025, 1, 5))
    assert wrong.value.field == "category"
    with pytest.raises(InvalidInput) as other:
        grant.check_delivery(1_000, Category.LIVELIHOOD, uuid4(), date(2025, 1, 5))
    assert other.value.field == "household_id"
    grant.check_delivery(10_000_000, Category.LIVELIHOOD, grant.household_id, date(2025, 1, 5))
    grant.record_payment(uuid4(), uuid4(), 10_000_000, date(2025, 1, 5), pending=False, meta=META)
    with pytest.raises(AlreadyDelivered):
        grant.check_delivery(1_000, Category.LIVELIHOOD, None, date(2025, 1, 6))
    with pytest.raises(AlreadyDelivered):
        grant.deliver_in_kind(date(2025, 1, 6), None, None, None, TODAY, META)
    grant.follow_up(3, date(2025, 2, 20), FollowUpStatus.MULTIPLIED, "Đẻ bê", TODAY, META)
    with pytest.raises(FollowUpRecorded):
        grant.follow_up(3, date(2025, 2, 21), FollowUpStatus.IN_USE, None, TODAY, META)
    with pytest.raises(InvalidInput):
        grant.close(GrantOutcome.CANCELLED, TODAY, None, TODAY, META)
    grant.close(GrantOutcome.SUSTAINED, TODAY, None, TODAY, META)
    with pytest.raises(GrantClosed):
        grant.follow_up(6, TODAY, FollowUpStatus.IN_USE, None, TODAY, META)
    assert (grant.status, grant.follow_ups) == ("closed", (3,))
    assert grant.pending_events[0].attributes == {"giống": "Bò lai Sind"}  # type: ignore[attr-defined]


def test_a_grant_never_delivered_closes_only_as_cancelled() -> None:
    grant = _grant()
    with pytest.raises(GrantNotDelivered):
        grant.close(GrantOutcome.LOST, TODAY, None, TODAY, META)
    grant.close(GrantOutcome.CANCELLED, TODAY, "Hộ chuyển đi", TODAY, META)
    assert grant.status == "closed"


def test_a_students_school_year_is_two_years_in_a_row() -> None:
    assert Student.of(" Lê  Thị Na ", "THCS", "2025-2026").name == "Lê Thị Na"
    for year in ("2025", "2025-2027", "25-26"):
        with pytest.raises(InvalidInput):
            Student.of("Lê Thị Na", "THCS", year)
