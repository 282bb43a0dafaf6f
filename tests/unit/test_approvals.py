"""Maker-checker on the aggregates alone: payments above a unit's threshold wait for an
approver, their money is reserved, and the recorder never decides on their own payment."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from service.domain.actors import Meta
from service.domain.errors import (
    AlreadyDecided,
    ApproverIsRecorder,
    InsufficientFunds,
    InvalidInput,
    PaymentNotFound,
    PeriodClosed,
)
from service.domain.funds import (
    Disbursement,
    Donor,
    Fund,
    Receipt,
    entry_id_for,
    needs_approval,
    transfer,
)
from service.domain.money import Money
from service.domain.units import Unit
from service.domain.vocabulary import Category, Channel, DonorKind, FundKind, Level

TODAY = date(2025, 6, 30)
DAY = date(2025, 3, 1)
MAKER = Meta(actor_id="thu-quy", actor="Trần Thị Thu", role="treasurer", unit_id=None)
CHECKER = Meta(actor_id="chu-tich", actor="Lê Văn Chính", role="approver", unit_id=None)
THRESHOLD = 5_000_000


def funded(amount: int = 10_000_000) -> Fund:
    unit_id = uuid4()
    fund = Fund.open(unit_id, [unit_id], "Quỹ Vì người nghèo", FundKind.FOR_THE_POOR, MAKER)
    gift = Receipt(Money(amount), DAY, Donor("Nguyễn Văn An", DonorKind.INDIVIDUAL), Channel.CASH)
    fund.record_receipt(gift, TODAY, MAKER)
    return fund


def request_disbursement(
    fund: Fund, amount: int = 6_000_000, by: Meta = MAKER
) -> Fund.PaymentRequested:
    payment = Disbursement(Money(amount), DAY, Category.HOUSE_NEW_BUILD, voucher_no="PC-01")
    fund.record_disbursement(payment, TODAY, by, THRESHOLD)
    event = fund.pending_events[-1]
    assert isinstance(event, Fund.DisbursementRequested)
    return event


def test_a_payment_waits_only_when_strictly_above_the_threshold() -> None:
    assert not needs_approval(5_000_000, None)
    assert not needs_approval(5_000_000, 5_000_000)
    assert needs_approval(5_000_001, 5_000_000)
    assert needs_approval(1, 0)


def test_a_disbursement_at_the_threshold_is_recorded_at_once() -> None:
    fund = funded()

    fund.record_disbursement(
        Disbursement(Money(THRESHOLD), DAY, Category.MEDICAL), TODAY, MAKER, THRESHOLD
    )

    assert isinstance(fund.pending_events[-1], Fund.DisbursementRecorded)
    assert (fund.balance, fund.reserved, fund.available) == (5_000_000, 0, 5_000_000)


def test_a_disbursement_above_the_threshold_reserves_its_amount_without_paying_it() -> None:
    fund = funded()

    requested = request_disbursement(fund)

    assert requested.pending_id == entry_id_for(fund.id, fund.version)
    assert (fund.balance, fund.reserved, fund.available) == (10_000_000, 6_000_000, 4_000_000)
    assert fund.pending == {str(requested.pending_id): 6_000_000}


def test_reserved_money_cannot_be_paid_out_twice() -> None:
    fund = funded()
    request_disbursement(fund)

    with pytest.raises(InsufficientFunds) as refused:
        fund.record_disbursement(
            Disbursement(Money(4_000_001), DAY, Category.MEDICAL), TODAY, MAKER, THRESHOLD
        )

    assert "đang giữ cho các khoản chi chờ duyệt" in refused.value.detail
    assert refused.value.extra == {"balance": 10_000_000, "available": 4_000_000}
    with pytest.raises(InsufficientFunds):
        request_disbursement(fund, 5_000_001)


def test_a_reversal_may_not_take_the_balance_below_the_money_reserved() -> None:
    fund = funded()
    gift = fund.pending_events[-1]
    assert isinstance(gift, Fund.EntryRecorded)
    request_disbursement(fund, 6_000_000)

    with pytest.raises(InsufficientFunds) as refused:
        fund.reverse(gift, "Ghi nhầm", TODAY, MAKER)

    assert "đang giữ" in refused.value.detail


def test_approving_records_the_disbursement_as_the_recorder_asked_and_releases_the_money() -> None:
    fund = funded()
    requested = request_disbursement(fund)

    fund.approve(requested, None, TODAY, CHECKER)

    approved, entry = fund.pending_events[-2:]
    assert isinstance(approved, Fund.PaymentApproved)
    assert isinstance(entry, Fund.DisbursementRecorded)
    assert (approved.pending_id, approved.entry_id, approved.meta) == (
        requested.pending_id,
        entry.entry_id,
        CHECKER,
    )
    assert (entry.amount, entry.category, entry.voucher_no, entry.meta) == (
        6_000_000,
        "house_new_build",
        "PC-01",
        MAKER,
    )
    assert (fund.balance, fund.reserved, fund.available) == (4_000_000, 0, 4_000_000)


def test_rejecting_releases_the_money_and_pays_nothing() -> None:
    fund = funded()
    requested = request_disbursement(fund)

    fund.reject(requested, "  Hồ sơ  chưa đủ ", CHECKER)

    rejected = fund.pending_events[-1]
    assert isinstance(rejected, Fund.PaymentRejected)
    assert rejected.reason == "Hồ sơ chưa đủ"
    assert (fund.balance, fund.reserved, fund.available) == (10_000_000, 0, 10_000_000)


def test_a_rejection_needs_a_reason() -> None:
    fund = funded()
    requested = request_disbursement(fund)

    with pytest.raises(InvalidInput) as refused:
        fund.reject(requested, "   ", CHECKER)

    assert refused.value.field == "reason"


@pytest.mark.parametrize(
    "recorder",
    [
        MAKER,
        Meta(actor_id="another-token", actor="trần  thị THU", role="approver", unit_id=None),
    ],
    ids=["the same token", "another token in the same name, recorded before people were named"],
)
def test_the_recorder_may_neither_approve_nor_reject_their_own_payment(recorder: Meta) -> None:
    fund = funded()
    requested = request_disbursement(fund)

    with pytest.raises(ApproverIsRecorder):
        fund.approve(requested, None, TODAY, recorder)
    with pytest.raises(ApproverIsRecorder):
        fund.reject(requested, "Tự hủy", recorder)

    assert fund.reserved == 6_000_000


def test_a_payment_is_decided_once() -> None:
    fund = funded(20_000_000)
    first, second = request_disbursement(fund, 6_000_000), request_disbursement(fund, 7_000_000)
    fund.approve(first, None, TODAY, CHECKER)
    fund.reject(second, "Trùng hồ sơ", CHECKER)

    for requested in (first, second):
        with pytest.raises(AlreadyDecided):
            fund.approve(requested, None, TODAY, CHECKER)
        with pytest.raises(AlreadyDecided):
            fund.reject(requested, "Lần nữa", CHECKER)


def test_a_payment_of_another_fund_is_not_found() -> None:
    fund, other = funded(), funded()
    requested = request_disbursement(other)

    with pytest.raises(PaymentNotFound):
        fund.approve(requested, None, TODAY, CHECKER)


def test_an_approval_is_refused_once_the_voucher_dates_period_is_closed() -> None:
    fund = funded()
    requested = request_disbursement(fund)
    fund.close_period(date(2025, 3, 31), TODAY, MAKER)

    with pytest.raises(PeriodClosed):
        fund.approve(requested, None, TODAY, CHECKER)

    fund.reject(requested, "Kỳ đã khóa sổ", CHECKER)
    assert fund.available == 10_000_000


def test_a_transfer_above_the_threshold_changes_neither_fund_until_approved() -> None:
    source, destination = funded(), funded(1)

    transfer(source, destination, Money(7_000_000), DAY, "Điều tiết", TODAY, MAKER, THRESHOLD)

    requested = source.pending_events[-1]
    assert isinstance(requested, Fund.TransferRequested)
    assert requested.to_fund_id == destination.id
    assert (source.available, destination.balance) == (3_000_000, 1)
    assert destination.version == 2

    source.approve(requested, destination, TODAY, CHECKER)

    sent, received = source.pending_events[-1], destination.pending_events[-1]
    assert isinstance(sent, Fund.TransferSent)
    assert isinstance(received, Fund.TransferReceived)
    assert (sent.counterpart_entry_id, received.counterpart_entry_id) == (
        received.entry_id,
        sent.entry_id,
    )
    assert (sent.meta, received.meta, sent.note) == (MAKER, MAKER, "Điều tiết")
    assert (source.balance, source.reserved, destination.balance) == (3_000_000, 0, 7_000_001)


def test_approving_a_transfer_needs_the_fund_it_goes_to() -> None:
    source, destination = funded(), funded(1)
    transfer(source, destination, Money(7_000_000), DAY, None, TODAY, MAKER, THRESHOLD)
    requested = source.pending_events[-1]
    assert isinstance(requested, Fund.TransferRequested)

    with pytest.raises(InvalidInput):
        source.approve(requested, None, TODAY, CHECKER)
    with pytest.raises(InvalidInput):
        source.approve(requested, funded(), TODAY, CHECKER)


def test_a_unit_has_no_threshold_until_one_is_set_and_it_can_be_lifted() -> None:
    unit = Unit.register("Xã Mẫu", Level.COMMUNE, None, None, CHECKER)
    assert unit.approval_threshold is None

    unit.set_approval_threshold(5_000_000, CHECKER)
    assert unit.approval_threshold == 5_000_000
    unit.set_approval_threshold(None, CHECKER)
    assert unit.approval_threshold is None


@pytest.mark.parametrize("amount", [-1, True, 10_000_000_000_001])
def test_a_threshold_must_be_a_whole_number_of_dong_within_bounds(amount: int) -> None:
    unit = Unit.register("Xã Mẫu", Level.COMMUNE, None, None, CHECKER)

    with pytest.raises(InvalidInput) as refused:
        unit.set_approval_threshold(amount, CHECKER)

    assert refused.value.field == "amount"


def test_a_fund_restored_from_a_snapshot_older_than_maker_checker_has_nothing_reserved() -> None:
    fund = funded()
    del fund.__dict__["pending"]

    assert (fund.reserved, fund.available) == (0, 10_000_000)
    request_disbursement(fund)
    assert fund.reserved == 6_000_000
    assert Fund.pending == {}


MAKER_PERSON = Meta(
    actor_id="thu-quy", actor="Trần Thị Thu", role="treasurer", unit_id=None, person_id="p-thu"
)


def test_another_token_of_the_same_person_may_not_decide_whatever_its_name() -> None:
    fund = funded()
    requested = request_disbursement(fund, by=MAKER_PERSON)
    own = Meta(
        actor_id="tok-2", actor="Chủ tịch xã", role="approver", unit_id=None, person_id="p-thu"
    )

    with pytest.raises(ApproverIsRecorder):
        fund.approve(requested, None, TODAY, own)


@pytest.mark.parametrize(
    "name", ["Trần Thị Thu", "Trần\u200b Thị Thu", "trần  thị THU", "\u0422r\u1ea7n Th\u1ecb Thu"]
)
def test_a_different_person_may_decide_whatever_their_name_looks_like(name: str) -> None:
    fund = funded()
    requested = request_disbursement(fund, by=MAKER_PERSON)
    other = Meta(actor_id="tok-3", actor=name, role="approver", unit_id=None, person_id="p-chinh")

    fund.approve(requested, None, TODAY, other)

    assert fund.reserved == 0
