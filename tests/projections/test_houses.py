"""The `houses` projection: a house project with its budget and stage, each stage reached
with its evidence, and the tranches paid, awaiting approval or released by a reversal."""

from __future__ import annotations

import json
from datetime import date
from typing import Any
from uuid import UUID

from service.bootstrap import Services
from service.domain.vocabulary import Category, CostSource, HouseKind, Stage
from service.projections.houses import HousesProjection
from tests.conftest import ADMIN
from tests.projections.conftest import Commune, approver_of, one, register_commune, replay, rows

BUDGET = {CostSource.FUND: 40_000_000, CostSource.HOUSEHOLD: 10_000_000}


def approve(commune: Commune, household: UUID) -> UUID:
    written = commune.ledger.approve_house(
        commune.treasurer, household, HouseKind.NEW_BUILD, BUDGET, date(2025, 2, 1), "Nhà 3 gian"
    )
    return UUID(written.body["id"])


def project(services: Services, project_id: UUID) -> dict[str, Any]:
    return one(services, "SELECT * FROM house_projects WHERE id = :id", id=str(project_id))


def tranche(commune: Commune, project_id: UUID, amount: int) -> dict[str, Any]:
    return commune.pay(amount, category=Category.HOUSE_NEW_BUILD, house_project_id=project_id)


def test_an_approved_project_and_its_stages_are_rows_with_their_dates_and_evidence(
    services: Services, commune: Commune
) -> None:
    house = approve(commune, commune.household())
    commune.ledger.record_house_stage(
        commune.treasurer, house, Stage.STARTED, date(2025, 2, 10), ["ảnh-1"]
    )
    commune.ledger.record_house_stage(
        commune.treasurer, house, Stage.COMPLETED, date(2025, 5, 20), ["ảnh-2", "biên-bản"]
    )

    position = replay(services, HousesProjection())

    row = project(services, house)
    assert (row["kind"], row["status"], row["stage"], row["stage_on"]) == (
        "new_build",
        "open",
        "completed",
        "2025-05-20",
    )
    budget = {source.value: 0 for source in CostSource} | {
        "fund": 40_000_000,
        "household": 10_000_000,
    }
    assert json.loads(str(row["budget"])) == budget  # every source, those not given at 0
    assert (row["fund_share"], row["paid"], row["reserved"]) == (40_000_000, 0, 0)
    assert (row["approved_on"], row["started_on"], row["completed_on"]) == (
        "2025-02-01",
        "2025-02-10",
        "2025-05-20",
    )
    assert (row["note"], row["position"]) == ("Nhà 3 gian", position)
    stages = rows(
        services,
        "SELECT stage, reached_on, evidence FROM house_stages WHERE project_id = :p "
        "ORDER BY reached_on",
        p=str(house),
    )
    assert [(s["stage"], s["reached_on"], json.loads(s["evidence"])) for s in stages] == [
        ("approved", "2025-02-01", []),
        ("started", "2025-02-10", ["ảnh-1"]),
        ("completed", "2025-05-20", ["ảnh-2", "biên-bản"]),
    ]


def test_tranches_paid_held_and_reversed_move_the_money_paid_and_reserved(
    services: Services, commune: Commune
) -> None:
    commune.receive(50_000_000)
    house = approve(commune, commune.household())
    commune.ledger.record_house_stage(commune.treasurer, house, Stage.STARTED, date(2025, 2, 10))
    paid = UUID(tranche(commune, house, 6_000_000)["entry_id"])
    reversed_ = UUID(tranche(commune, house, 2_000_000)["entry_id"])
    commune.reverse(reversed_, "Chi nhầm số tiền")
    commune.ledger.set_approval_threshold(approver_of(commune.unit), commune.unit, 3_000_000)
    held = UUID(tranche(commune, house, 4_000_000)["pending_id"])

    replay(services, HousesProjection())

    assert (project(services, house)["paid"], project(services, house)["reserved"]) == (
        6_000_000,
        4_000_000,
    )
    found = rows(services, "SELECT * FROM house_tranches ORDER BY position")
    assert [(t["payment_id"], t["status"], t["amount"]) for t in found] == [
        (str(paid), "paid", 6_000_000),
        (str(reversed_), "released", 2_000_000),
        (str(held), "pending", 4_000_000),
    ]
    assert {t["fund_id"] for t in found} == {str(commune.fund)}

    approved = commune.ledger.approve_payment(approver_of(commune.unit), commune.fund, held).body[
        "entry_id"
    ]
    replay(services, HousesProjection())

    row = project(services, house)
    assert (row["paid"], row["reserved"]) == (10_000_000, 0)
    last = one(services, "SELECT * FROM house_tranches WHERE payment_id = :p", p=str(held))
    assert (last["status"], last["entry_id"]) == ("paid", approved)


def test_a_cancelled_project_says_why_and_a_merger_moves_it_to_the_successor(
    services: Services, commune: Commune
) -> None:
    cancelled = approve(commune, commune.household("Lò Văn Páo"))
    moved = approve(commune, commune.household("Hồ Thị Mai"))
    commune.ledger.cancel_house(commune.treasurer, cancelled, "Hộ chuyển đi nơi khác")
    successor = register_commune(commune.ledger, "Xã Mới")
    commune.ledger.merge_unit(ADMIN, commune.unit, successor.unit, date(2025, 7, 1))

    replay(services, HousesProjection())

    row = project(services, cancelled)
    assert (row["status"], row["cancel_reason"]) == ("cancelled", "Hộ chuyển đi nơi khác")
    assert project(services, moved)["unit_id"] == str(successor.unit)
    assert project(services, moved)["status"] == "open"
