"""The `grants` projection: a livelihood grant from approval to its close, delivered as
goods or paid from a fund (at once or after approval), its follow-ups due and made, and
each delivery counted +1 where it was made and -1 where a reversal undid it."""

from __future__ import annotations

import json
from datetime import date
from typing import Any
from uuid import UUID

from service.bootstrap import Services
from service.domain.vocabulary import Category, FollowUpStatus, GrantOutcome
from service.projections.grants import GrantsProjection
from tests.projections.conftest import DAY, Commune, approver_of, one, replay, rows


def approve(commune: Commune, value: int = 5_000_000) -> UUID:
    written = commune.ledger.approve_grant(
        commune.treasurer,
        commune.household(),
        "Bò cái sinh sản",
        {"giống": "bò vàng"},
        value,
        date(2025, 2, 1),
    )
    return UUID(written.body["id"])


def grant(services: Services, grant_id: UUID) -> dict[str, Any]:
    return one(services, "SELECT * FROM livelihood_grants WHERE id = :id", id=str(grant_id))


def follow_ups(services: Services, grant_id: UUID) -> list[tuple[object, ...]]:
    found = rows(
        services,
        "SELECT months, due_on, followed_on, status FROM grant_follow_ups WHERE grant_id = :g "
        "ORDER BY months",
        g=str(grant_id),
    )
    return [(f["months"], f["due_on"], f["followed_on"], f["status"]) for f in found]


def deliveries(services: Services, grant_id: UUID) -> list[tuple[object, ...]]:
    found = rows(
        services,
        "SELECT counted_on, change FROM grant_deliveries WHERE grant_id = :g ORDER BY position",
        g=str(grant_id),
    )
    return [(d["counted_on"], d["change"]) for d in found]


def test_a_grant_given_as_goods_is_followed_up_and_closed(
    services: Services, commune: Commune
) -> None:
    cow = approve(commune)
    commune.ledger.deliver_grant_in_kind(
        commune.treasurer, cow, DAY, 4_500_000, "Bò cái 2 năm tuổi"
    )
    commune.ledger.record_follow_up(
        commune.treasurer, cow, 3, date(2025, 6, 2), FollowUpStatus.MULTIPLIED
    )
    commune.ledger.close_grant(
        commune.treasurer, cow, GrantOutcome.SUSTAINED, date(2025, 12, 1), "Tốt"
    )

    position = replay(services, GrantsProjection())

    row = grant(services, cow)
    assert (row["item"], json.loads(str(row["attributes"])), row["value"]) == (
        "Bò cái sinh sản",
        {"giống": "bò vàng"},
        5_000_000,
    )
    assert (row["status"], row["delivery"], row["delivered_on"], row["delivered_value"]) == (
        "closed",
        "in_kind",
        DAY.isoformat(),
        4_500_000,
    )
    assert (row["fund_id"], row["payment_id"], row["description"]) == (
        None,
        None,
        "Bò cái 2 năm tuổi",
    )
    assert (row["outcome"], row["closed_on"], row["close_note"]) == (
        "sustained",
        "2025-12-01",
        "Tốt",
    )
    assert row["position"] == position
    assert follow_ups(services, cow) == [
        (3, "2025-06-01", "2025-06-02", "multiplied"),
        (6, "2025-09-01", None, None),
        (12, "2026-03-01", None, None),
    ]
    assert deliveries(services, cow) == [(DAY.isoformat(), 1)]


def test_a_paid_delivery_reversed_counts_minus_one_on_the_day_of_the_reversal(
    services: Services, commune: Commune
) -> None:
    commune.receive(10_000_000)
    cow = approve(commune)
    paid = commune.pay(5_000_000, category=Category.LIVELIHOOD, grant_id=cow)
    replay(services, GrantsProjection())
    row = grant(services, cow)
    assert (row["status"], row["delivery"], row["fund_id"], row["payment_id"]) == (
        "delivered",
        "disbursement",
        str(commune.fund),
        paid["entry_id"],
    )
    assert len(follow_ups(services, cow)) == 3

    commune.reverse(UUID(paid["entry_id"]), "Chi nhầm hộ")
    replay(services, GrantsProjection())

    row = grant(services, cow)
    assert (row["status"], row["delivery"], row["delivered_on"], row["payment_id"]) == (
        "approved",
        None,
        None,
        None,
    )
    assert follow_ups(services, cow) == []
    assert deliveries(services, cow) == [
        (DAY.isoformat(), 1),
        (commune.ledger.today().isoformat(), -1),
    ]


def test_a_delivery_awaiting_approval_is_counted_once_approved(
    services: Services, commune: Commune
) -> None:
    commune.receive(10_000_000)
    commune.ledger.set_approval_threshold(approver_of(commune.unit), commune.unit, 1_000_000)
    cow = approve(commune)
    pending = UUID(commune.pay(5_000_000, category=Category.LIVELIHOOD, grant_id=cow)["pending_id"])
    replay(services, GrantsProjection())
    row = grant(services, cow)
    assert (row["status"], row["payment_id"]) == ("awaiting_approval", str(pending))
    assert deliveries(services, cow) == []

    entry = commune.ledger.approve_payment(approver_of(commune.unit), commune.fund, pending).body[
        "entry_id"
    ]
    replay(services, GrantsProjection())

    row = grant(services, cow)
    assert (row["status"], row["payment_id"], row["delivered_on"]) == (
        "delivered",
        entry,
        DAY.isoformat(),
    )
    assert deliveries(services, cow) == [(DAY.isoformat(), 1)]
    assert [months for months, *_ in follow_ups(services, cow)] == [3, 6, 12]
