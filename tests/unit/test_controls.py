"""The controls as pure rules, and the fund applying them: what waits for an approver."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID, uuid4

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.domain.actors import Meta
from service.domain.controls import (
    Controls,
    Hold,
    checked_limit,
    default_plausibility_limit,
    payment_groups,
)
from service.domain.errors import InvalidInput, ReversalPending
from service.domain.funds import Disbursement, Donor, Fund, Receipt
from service.domain.money import Money
from service.domain.vocabulary import Category, Channel, DonorKind, FundKind

DAY = date(2025, 3, 1)
TODAY = date(2025, 6, 30)
MAKER = Meta(actor_id="t", actor="Thủ quỹ", role="treasurer", unit_id=None, person_id="p1")
CHECKER = Meta(actor_id="a", actor="Chủ tịch", role="approver", unit_id=None, person_id="p2")
CONTROLS = Controls(approval_threshold=5_000_000, plausibility_limit=5_000_000_000)
HOUSEHOLDS = (uuid4(), uuid4())


def funded(amount: int = 100_000_000) -> Fund:
    unit_id = uuid4()
    fund = Fund.open(unit_id, [unit_id], "Quỹ", FundKind.FOR_THE_POOR, MAKER)
    fund.record_receipt(
        Receipt(Money(amount), DAY, Donor("Nguyễn Văn An", DonorKind.INDIVIDUAL), Channel.CASH),
        TODAY,
        MAKER,
    )
    return fund


def pay(fund: Fund, amount: int, category: Category = Category.TET_GIFT, on: date = DAY) -> Any:
    fund.record_disbursement(Disbursement(Money(amount), on, category), TODAY, MAKER, CONTROLS)
    return fund.pending_events[-1]


def test_a_payment_waits_above_the_threshold_or_when_it_takes_its_group_above_it() -> None:
    assert CONTROLS.payment_hold(5_000_000) is None
    assert CONTROLS.payment_hold(5_000_001) is Hold.THRESHOLD
    assert CONTROLS.payment_hold(1_000_000, unapproved=4_000_000) is None
    assert CONTROLS.payment_hold(1_000_001, unapproved=4_000_000) is Hold.SPLIT
    assert CONTROLS.payment_hold(5_000_000_001) is Hold.PLAUSIBILITY
    assert Controls().payment_hold(10**13, unapproved=10**13) is None


def test_receipts_wait_only_when_implausible_and_reversals_above_either_line() -> None:
    assert CONTROLS.receipt_hold(5_000_000_000) is None
    assert CONTROLS.receipt_hold(5_000_000_001) is Hold.PLAUSIBILITY
    assert CONTROLS.reversal_hold(5_000_001) is Hold.THRESHOLD
    assert CONTROLS.reversal_hold(5_000_000) is None
    assert Controls(plausibility_limit=10).reversal_hold(11) is Hold.PLAUSIBILITY


def test_each_level_has_a_default_limit_growing_upward() -> None:
    limits = [
        default_plausibility_limit(level)
        for level in ("commune", "district", "province", "central")
    ]
    assert limits == sorted(limits)
    assert limits[0] == 5_000_000_000


@pytest.mark.parametrize("amount", [0, -1, True, 10**16])
def test_a_limit_is_a_positive_whole_number_of_dong(amount: int) -> None:
    with pytest.raises(InvalidInput):
        checked_limit(amount)


def test_a_payment_adds_up_with_its_day_purpose_and_each_payee() -> None:
    household, house = uuid4(), uuid4()
    groups = payment_groups(DAY, category="medical", household_id=household, house_project_id=house)
    assert groups == (
        "2025-03-01|category|medical",
        f"2025-03-01|household|{household}",
        f"2025-03-01|house|{house}",
    )


def test_the_fund_holds_the_payment_that_crosses_the_days_line_and_not_what_was_approved() -> None:
    fund = funded()
    assert isinstance(pay(fund, 3_000_000), Fund.DisbursementRecorded)
    held = pay(fund, 3_000_000)
    assert isinstance(held, Fund.DisbursementRequested)
    assert held.held_because == "split"
    fund.approve(held, None, TODAY, CHECKER)
    assert isinstance(pay(fund, 2_000_000), Fund.DisbursementRecorded)
    assert isinstance(pay(fund, 1_000_000, Category.MEDICAL), Fund.DisbursementRecorded)
    assert isinstance(pay(fund, 1_000_000, on=date(2025, 3, 2)), Fund.DisbursementRecorded)


def test_closing_the_period_forgets_the_sums_of_its_days() -> None:
    fund = funded()
    pay(fund, 3_000_000)
    pay(fund, 1_000_000, on=date(2025, 4, 2))
    fund.close_period(date(2025, 3, 31), TODAY, MAKER)
    assert list(fund.unapproved) == ["2025-04-02|category|tet_gift"]


def test_a_reversal_awaiting_approval_refuses_another_and_reverses_on_approval() -> None:
    fund = funded(20_000_000)
    gift = fund.collect_events()[-1]
    assert isinstance(gift, Fund.ReceiptRecorded)
    fund.reverse(gift, "Nhầm", TODAY, MAKER, CONTROLS)
    asked = fund.pending_events[-1]
    assert isinstance(asked, Fund.ReversalRequested)
    assert (fund.reserved, fund.balance) == (20_000_000, 20_000_000)
    with pytest.raises(ReversalPending):
        fund.reverse(gift, "Lần nữa", TODAY, MAKER, CONTROLS)

    fund.approve(asked, None, TODAY, CHECKER, reversed_entry=gift)

    reversal = fund.pending_events[-1]
    assert isinstance(reversal, Fund.EntryReversed)
    assert (reversal.meta, fund.balance, fund.reserved) == (MAKER, 0, 0)


@settings(max_examples=60, deadline=None)
@given(
    payments=st.lists(
        st.tuples(
            st.integers(1, 7_000_000),
            st.sampled_from([Category.TET_GIFT, Category.MEDICAL]),
            st.sampled_from([None, HOUSEHOLDS[0], HOUSEHOLDS[1]]),
            st.sampled_from([DAY, date(2025, 3, 2)]),
            st.booleans(),
        ),
        max_size=30,
    )
)
def test_no_days_group_paid_without_an_approver_ever_exceeds_the_threshold(
    payments: list[tuple[int, Category, UUID | None, date, bool]],
) -> None:
    fund = funded(10**12)
    for amount, category, household, on, approved in payments:
        payment = Disbursement(Money(amount), on, category, household_id=household)
        fund.record_disbursement(payment, TODAY, MAKER, CONTROLS)
        held = fund.pending_events[-1]
        if isinstance(held, Fund.DisbursementRequested) and approved:
            fund.approve(held, None, TODAY, CHECKER)

    paid: dict[str, int] = {}
    approved_entries = set()
    for event in fund.collect_events():
        if isinstance(event, Fund.PaymentApproved):
            approved_entries.add(event.entry_id)
        elif (
            isinstance(event, Fund.DisbursementRecorded) and event.entry_id not in approved_entries
        ):
            for group in payment_groups(
                event.occurred_on, category=event.category, household_id=event.household_id
            ):
                paid[group] = paid.get(group, 0) + event.amount
    assert all(total <= 5_000_000 for total in paid.values()), paid
