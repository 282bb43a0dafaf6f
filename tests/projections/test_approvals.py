"""The `pending_payments` projection (and the money the `funds` projection holds reserved):
each entry held for an approver is a row awaiting a decision, then approved with the entry
it became or rejected with the reason."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest

from service.bootstrap import Services
from service.projections.approvals import PendingPaymentsProjection
from service.projections.funds import FundsProjection
from tests.projections.conftest import DAY, Commune, approver_of, one, replay, rows


@pytest.fixture
def held(commune: Commune) -> Commune:
    """The commune with a threshold of 1,000,000 đồng and 10,000,000 đồng in its fund."""
    commune.ledger.set_approval_threshold(approver_of(commune.unit), commune.unit, 1_000_000)
    commune.receive(10_000_000)
    return commune


def payments(services: Services) -> list[dict[str, Any]]:
    return rows(services, "SELECT * FROM pending_payments ORDER BY seq")


def test_a_payment_above_the_threshold_is_a_row_awaiting_a_decision(
    services: Services, held: Commune
) -> None:
    asked = held.pay(3_000_000, voucher_no="PC-07", note="Viện phí")
    held.pay(500_000)  # below the threshold: recorded at once

    replay(services, PendingPaymentsProjection())

    (row,) = payments(services)
    assert row["pending_id"] == asked["pending_id"]
    assert (row["fund_id"], row["kind"], row["amount"], row["status"]) == (
        str(held.fund),
        "disbursement",
        3_000_000,
        "pending",
    )
    assert (row["category"], row["voucher_no"], row["note"]) == ("medical", "PC-07", "Viện phí")
    assert (row["occurred_on"], row["requested_by"]) == (DAY.isoformat(), "Thủ quỹ")
    assert row["held_because"] is not None
    assert (row["decided_at"], row["decided_by"], row["entry_id"]) == (None, None, None)


def test_decisions_mark_the_rows_and_release_the_money_held_in_reserve(
    services: Services, held: Commune
) -> None:
    first = UUID(held.pay(3_000_000)["pending_id"])
    second = UUID(held.pay(2_000_000)["pending_id"])
    replay(services, FundsProjection())
    reserved = one(services, "SELECT reserved FROM funds WHERE id = :id", id=str(held.fund))
    assert reserved["reserved"] == 5_000_000

    approver = approver_of(held.unit)
    entry = held.ledger.approve_payment(approver, held.fund, first, "Đủ hồ sơ").body["entry_id"]
    held.ledger.reject_payment(approver, held.fund, second, "Thiếu hồ sơ")
    position = replay(services, PendingPaymentsProjection())
    replay(services, FundsProjection())

    approved, rejected = payments(services)
    assert (approved["status"], approved["entry_id"], approved["decision_note"]) == (
        "approved",
        entry,
        "Đủ hồ sơ",
    )
    assert (rejected["status"], rejected["entry_id"], rejected["decision_note"]) == (
        "rejected",
        None,
        "Thiếu hồ sơ",
    )
    assert {approved["decided_by"], rejected["decided_by"]} == {"Chủ tịch"}
    assert rejected["decided_position"] == position
    fund = one(services, "SELECT reserved, balance FROM funds WHERE id = :id", id=str(held.fund))
    assert (fund["reserved"], fund["balance"]) == (0, 7_000_000)


def test_a_reversal_held_for_an_approver_names_the_entry_it_would_reverse(
    services: Services, held: Commune
) -> None:
    receipt = held.receive(4_000_000)
    asked = held.reverse(receipt, "Ghi trùng")

    replay(services, PendingPaymentsProjection())

    row = one(
        services, "SELECT * FROM pending_payments WHERE pending_id = :p", p=asked["pending_id"]
    )
    assert (row["kind"], row["reversed_entry_id"], row["note"], row["status"]) == (
        "reversal",
        str(receipt),
        "Ghi trùng",
        "pending",
    )
