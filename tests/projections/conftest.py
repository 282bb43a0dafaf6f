"""What the projection tests share: a commune with a fund, the entries they record through
the application, and the replay of the whole log through one projection alone.

Each test records events through the application on a freshly migrated store (SQLite
and PostgreSQL), then drops the rows of the projection under test and feeds it the log
from the start, with no other projection running, and reads the rows it wrote.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

import pytest

from service.application import Ledger, Request
from service.bootstrap import Services
from service.domain.actors import Actor
from service.domain.funds import Disbursement, Donor, Receipt
from service.domain.households import PersonalData
from service.domain.money import Money
from service.domain.vocabulary import (
    Category,
    Channel,
    DonorKind,
    FundKind,
    HouseholdCategory,
    Level,
    Role,
)
from service.projections.base import Projection
from service.projections.runner import ProjectionRunner
from tests.conftest import ADMIN, treasurer_of

DAY = date(2025, 3, 1)


def replay(services: Services, projection: Projection, *, page_size: int = 500) -> int:
    """Drops the projection's rows and feeds it the whole log, alone; returns the position
    it reached."""
    ledger = services.ledger
    runner = ProjectionRunner(
        ledger.recorder, ledger.mapper, services.db, [projection], page_size=page_size
    )
    return runner.rebuild()


def rows(services: Services, sql: str, **params: Any) -> list[dict[str, Any]]:
    with services.db.transaction() as tx:
        return tx.all(sql, params)


def one(services: Services, sql: str, **params: Any) -> dict[str, Any]:
    found = rows(services, sql, **params)
    assert len(found) == 1, found
    return found[0]


def approver_of(unit: UUID) -> Request:
    return Request(Actor(id=f"approver-{unit}", name="Chủ tịch", role=Role.APPROVER, unit_id=unit))


def gift(amount: int, on: date = DAY, **details: Any) -> Receipt:
    donor = details.pop("donor", Donor("Nguyễn Văn An", DonorKind.INDIVIDUAL))
    channel = details.pop("channel", Channel.CASH)
    return Receipt(Money(amount), on, donor, channel, **details)


def payment(amount: int, on: date = DAY, **details: Any) -> Disbursement:
    category = details.pop("category", Category.MEDICAL)
    return Disbursement(Money(amount), on, category, **details)


@dataclass
class Commune:
    """A commune, its treasurer and one fund, registered through the application."""

    ledger: Ledger
    unit: UUID
    fund: UUID

    @property
    def treasurer(self) -> Request:
        return treasurer_of(self.unit)

    def receive(self, amount: int, **details: Any) -> UUID:
        written = self.ledger.record_receipt(self.treasurer, self.fund, gift(amount, **details))
        return UUID(written.body["entry_id"])

    def pay(self, amount: int, **details: Any) -> dict[str, Any]:
        return self.ledger.record_disbursement(
            self.treasurer, self.fund, payment(amount, **details)
        ).body

    def reverse(self, entry: UUID, reason: str = "Ghi nhầm") -> dict[str, Any]:
        return self.ledger.reverse_entry(self.treasurer, self.fund, entry, reason).body

    def household(self, name: str = "Lò Văn Páo", members: int = 4) -> UUID:
        written = self.ledger.register_household(
            self.treasurer,
            self.unit,
            PersonalData.of(name, "Bản Co Mạ"),
            members,
            [(HouseholdCategory.POOR, date(2024, 1, 1))],
        )
        return UUID(written.body["id"])


def register_commune(ledger: Ledger, name: str = "Xã Mẫu", parent: UUID | None = None) -> Commune:
    unit = UUID(ledger.register_unit(ADMIN, name, Level.COMMUNE, parent, None).body["id"])
    fund = ledger.open_fund(treasurer_of(unit), unit, "Quỹ Vì người nghèo", FundKind.FOR_THE_POOR)
    return Commune(ledger, unit, UUID(fund.body["id"]))


@pytest.fixture
def commune(ledger: Ledger) -> Commune:
    """A commune with an open fund and nothing recorded in it."""
    return register_commune(ledger)
