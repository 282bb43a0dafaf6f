"""Funds: every rule of money in and out, checked on the aggregate alone (no store)."""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta
from typing import Any, cast
from uuid import UUID, uuid4

import pytest

from service.domain.actors import Meta
from service.domain.errors import (
    AlreadyReversed,
    DomainError,
    EntryNotFound,
    IdempotencyKeyReused,
    InsufficientFunds,
    InsufficientStock,
    InvalidInput,
    NotReversible,
    PeriodClosed,
)
from service.domain.funds import (
    EARLIEST_VOUCHER_DATE,
    Disbursement,
    Donor,
    Fund,
    InKind,
    Receipt,
    entry_id_for,
    entry_version,
    transfer,
)
from service.domain.idempotency import RequestRecord
from service.domain.money import Money
from service.domain.vocabulary import Category, Channel, DonorKind, EntryKind, FundKind

TODAY = date(2025, 6, 30)
DAY = date(2025, 3, 1)
META = Meta(actor_id="thu-quy", actor="Thủ quỹ", role="treasurer", unit_id=None)
DONOR = Donor("Nguyễn Văn An", DonorKind.INDIVIDUAL)


def open_fund(name: str = "Quỹ Vì người nghèo") -> Fund:
    unit_id = uuid4()
    return Fund.open(unit_id, [unit_id], name, FundKind.FOR_THE_POOR, META)


def receive(fund: Fund, amount: int, on: date = DAY) -> Fund.EntryRecorded:
    fund.record_receipt(Receipt(Money(amount), on, DONOR, Channel.CASH), TODAY, META)
    return last_entry(fund)


def disburse(fund: Fund, amount: int, on: date = DAY) -> Fund.EntryRecorded:
    fund.record_disbursement(Disbursement(Money(amount), on, Category.HOUSE_REPAIR), TODAY, META)
    return last_entry(fund)


def give_goods(fund: Fund, value: int, on: date = DAY) -> Fund.EntryRecorded:
    goods = InKind("Máy tính xách tay", 5, "chiếc")
    fund.record_receipt(
        Receipt(Money(value), on, DONOR, Channel.IN_KIND, in_kind=goods), TODAY, META
    )
    return last_entry(fund)


def send(source: Fund, destination: Fund, amount: int, on: date = DAY) -> None:
    transfer(source, destination, Money(amount), on, "Điều tiết quỹ", TODAY, META)


def reverse(fund: Fund, entry: Fund.EntryRecorded, reason: str = "Ghi nhầm") -> Fund.EntryReversed:
    fund.reverse(entry, reason, TODAY, META)
    return cast(Fund.EntryReversed, last_entry(fund))


def last_entry(fund: Fund) -> Fund.EntryRecorded:
    event = fund.pending_events[-1]
    assert isinstance(event, Fund.EntryRecorded)
    return event


def replayed(fund: Fund) -> Fund:
    """The fund rebuilt from its events alone, as the store would load it."""
    aggregate: Any = None
    for event in fund.collect_events():
        aggregate = event.mutate(aggregate)
    return cast(Fund, aggregate)


# Opening ---------------------------------------------------------------------


def test_a_new_fund_holds_nothing_and_has_no_closed_period() -> None:
    fund = open_fund()
    assert fund.balance == 0
    assert fund.closed_through is None
    assert fund.reversed == []
    assert fund.kind == "for_the_poor"


def test_a_fund_name_typed_in_nfd_with_stray_spaces_is_the_nfc_name() -> None:
    nfd = unicodedata.normalize("NFD", "  Quỹ   Vì người nghèo ")
    assert nfd.strip() != "Quỹ Vì người nghèo"
    assert open_fund(nfd).name == "Quỹ Vì người nghèo"


def test_refuses_a_fund_without_a_name() -> None:
    with pytest.raises(InvalidInput) as refused:
        open_fund("   ")
    assert refused.value.field == "name"


# Receipts --------------------------------------------------------------------


def test_a_receipt_adds_its_amount_to_the_balance() -> None:
    fund = open_fund()
    entry = receive(fund, 5_000_000)
    receive(fund, 2_500_000)
    assert fund.balance == 7_500_000
    assert isinstance(entry, Fund.ReceiptRecorded)
    assert (entry.kind, entry.amount, entry.effect) == (EntryKind.RECEIPT, 5_000_000, 5_000_000)
    assert entry.occurred_on == DAY
    assert entry.meta == META


def test_a_receipt_stores_the_donor_name_in_nfc_single_spaced() -> None:
    fund = open_fund()
    donor = Donor(unicodedata.normalize("NFD", " Nguyễn  Văn   An "), DonorKind.INDIVIDUAL)
    fund.record_receipt(
        Receipt(
            Money(100_000), DAY, donor, Channel.BANK, voucher_no=" PT 001 ", bank_ref=" ", note=None
        ),
        TODAY,
        META,
    )
    entry = cast(Fund.ReceiptRecorded, last_entry(fund))
    assert entry.donor_name == "Nguyễn Văn An"
    assert entry.voucher_no == "PT 001"
    assert entry.bank_ref is None


def test_an_anonymous_donor_needs_no_name() -> None:
    fund = open_fund()
    fund.record_receipt(
        Receipt(Money(200_000), DAY, Donor(None, DonorKind.ANONYMOUS), Channel.CASH), TODAY, META
    )
    entry = cast(Fund.ReceiptRecorded, last_entry(fund))
    assert (entry.donor_name, entry.donor_kind) == (None, "anonymous")
    assert fund.balance == 200_000


@pytest.mark.parametrize("kind", [DonorKind.INDIVIDUAL, DonorKind.ORGANISATION])
@pytest.mark.parametrize("name", [None, "", "   ", "\u00a0\t"])
def test_refuses_a_named_donor_kind_without_a_name(kind: DonorKind, name: str | None) -> None:
    with pytest.raises(InvalidInput) as refused:
        Donor(name, kind)
    assert refused.value.field == "donor.name"


def test_an_in_kind_receipt_changes_no_balance_but_records_the_goods() -> None:
    fund = open_fund()
    receive(fund, 1_000_000)
    entry = give_goods(fund, 75_000_000)
    assert fund.balance == 1_000_000
    assert isinstance(entry, Fund.ReceiptRecorded)
    assert (entry.amount, entry.effect, entry.channel) == (75_000_000, 0, "in_kind")
    assert entry.in_kind == {"description": "Máy tính xách tay", "quantity": 5, "unit": "chiếc"}


def test_in_kind_goods_cannot_be_disbursed_as_money() -> None:
    fund = open_fund()
    give_goods(fund, 75_000_000)
    with pytest.raises(InsufficientFunds):
        disburse(fund, 1)
    assert fund.balance == 0


def test_refuses_an_in_kind_channel_without_the_goods() -> None:
    with pytest.raises(InvalidInput) as refused:
        Receipt(Money(1_000), DAY, DONOR, Channel.IN_KIND)
    assert refused.value.field == "in_kind"


@pytest.mark.parametrize("channel", [c for c in Channel if c is not Channel.IN_KIND])
def test_refuses_goods_on_a_money_channel(channel: Channel) -> None:
    with pytest.raises(InvalidInput) as refused:
        Receipt(Money(1_000), DAY, DONOR, channel, in_kind=InKind("Gạo", 10, "bao"))
    assert refused.value.field == "in_kind"


@pytest.mark.parametrize("quantity", [0, -1, True, 1.5, "10"])
def test_refuses_goods_without_a_positive_whole_quantity(quantity: Any) -> None:
    with pytest.raises(InvalidInput) as refused:
        InKind("Gạo", quantity, "bao")
    assert refused.value.field == "in_kind.quantity"


def test_refuses_goods_without_a_description() -> None:
    fund = open_fund()
    goods = InKind("  ", 10, "bao")
    with pytest.raises(InvalidInput) as refused:
        fund.record_receipt(
            Receipt(Money(1_000), DAY, DONOR, Channel.IN_KIND, in_kind=goods), TODAY, META
        )
    assert refused.value.field == "in_kind.description"
    assert fund.pending_events[-1].originator_version == 1


# Disbursements ---------------------------------------------------------------


def test_a_disbursement_takes_its_amount_from_the_balance() -> None:
    fund = open_fund()
    receive(fund, 5_000_000)
    entry = disburse(fund, 2_000_000)
    assert fund.balance == 3_000_000
    assert isinstance(entry, Fund.DisbursementRecorded)
    assert (entry.kind, entry.amount, entry.effect) == (
        EntryKind.DISBURSEMENT,
        2_000_000,
        -2_000_000,
    )
    assert entry.category == "house_repair"


def test_a_disbursement_may_empty_the_fund_exactly() -> None:
    fund = open_fund()
    receive(fund, 5_000_000)
    disburse(fund, 5_000_000)
    assert fund.balance == 0


def test_refuses_disbursement_that_would_overdraw_the_fund() -> None:
    fund = open_fund()
    receive(fund, 5_000_000)
    version = fund.version
    with pytest.raises(InsufficientFunds) as refused:
        disburse(fund, 5_000_001)
    assert refused.value.extra == {"balance": 5_000_000, "available": 5_000_000}
    assert fund.balance == 5_000_000
    assert fund.version == version
    assert len(fund.pending_events) == 2


def test_refuses_any_disbursement_from_an_empty_fund() -> None:
    fund = open_fund()
    with pytest.raises(InsufficientFunds):
        disburse(fund, 1)
    assert fund.balance == 0


# Voucher dates ----------------------------------------------------------------


def test_refuses_a_voucher_dated_in_the_future() -> None:
    fund = open_fund()
    tomorrow = TODAY + timedelta(days=1)
    with pytest.raises(InvalidInput) as refused:
        receive(fund, 1_000, on=tomorrow)
    assert refused.value.field == "occurred_on"
    receive(fund, 1_000, on=TODAY)
    with pytest.raises(InvalidInput):
        disburse(fund, 1_000, on=tomorrow)
    assert fund.balance == 1_000


def test_refuses_a_voucher_dated_before_1990() -> None:
    fund = open_fund()
    with pytest.raises(InvalidInput) as refused:
        receive(fund, 1_000, on=EARLIEST_VOUCHER_DATE - timedelta(days=1))
    assert refused.value.field == "occurred_on"
    receive(fund, 1_000, on=EARLIEST_VOUCHER_DATE)
    assert fund.balance == 1_000


# Period closes ---------------------------------------------------------------


def test_refuses_entries_dated_on_or_before_a_closed_period() -> None:
    fund = open_fund()
    receive(fund, 5_000_000, on=date(2025, 1, 15))
    fund.close_period(date(2025, 3, 31), TODAY, META)
    assert fund.closed_through == date(2025, 3, 31)
    for day in (date(2025, 3, 31), date(2025, 3, 1), date(2024, 12, 31)):
        with pytest.raises(PeriodClosed) as refused:
            receive(fund, 1_000, on=day)
        assert refused.value.extra == {"closed_through": "2025-03-31"}
        with pytest.raises(PeriodClosed):
            disburse(fund, 1_000, on=day)
    assert fund.balance == 5_000_000
    receive(fund, 1_000, on=date(2025, 4, 1))
    assert fund.balance == 5_001_000


def test_a_closed_period_is_refused_before_the_balance_is_checked() -> None:
    fund = open_fund()
    fund.close_period(date(2025, 3, 31), TODAY, META)
    with pytest.raises(PeriodClosed):
        disburse(fund, 1_000_000, on=date(2025, 3, 1))


def test_refuses_closing_the_books_through_a_future_date() -> None:
    fund = open_fund()
    with pytest.raises(InvalidInput) as refused:
        fund.close_period(TODAY + timedelta(days=1), TODAY, META)
    assert refused.value.field == "through"
    assert fund.closed_through is None
    fund.close_period(TODAY, TODAY, META)
    assert fund.closed_through == TODAY


@pytest.mark.parametrize("through", [date(2025, 3, 31), date(2025, 1, 31)])
def test_refuses_closing_again_through_the_same_or_an_earlier_date(through: date) -> None:
    fund = open_fund()
    fund.close_period(date(2025, 3, 31), TODAY, META)
    with pytest.raises(PeriodClosed):
        fund.close_period(through, TODAY, META)
    assert fund.closed_through == date(2025, 3, 31)
    fund.close_period(date(2025, 4, 30), TODAY, META)
    assert fund.closed_through == date(2025, 4, 30)


def test_a_transfer_is_refused_when_either_funds_period_is_closed() -> None:
    source, destination = open_fund(), open_fund()
    receive(source, 1_000_000, on=date(2025, 1, 2))
    destination.close_period(date(2025, 3, 31), TODAY, META)
    with pytest.raises(PeriodClosed):
        send(source, destination, 100_000, on=date(2025, 3, 15))
    source.close_period(date(2025, 4, 30), TODAY, META)
    with pytest.raises(PeriodClosed):
        send(source, destination, 100_000, on=date(2025, 4, 15))
    assert (source.balance, destination.balance) == (1_000_000, 0)
    send(source, destination, 100_000, on=date(2025, 5, 1))
    assert (source.balance, destination.balance) == (900_000, 100_000)


# Reversals -------------------------------------------------------------------


def test_reversing_a_receipt_takes_its_amount_back_and_names_the_entry() -> None:
    fund = open_fund()
    receipt = receive(fund, 5_000_000)
    receive(fund, 1_000_000)
    reversal = reverse(fund, receipt, "  Ghi   nhầm số tiền ")
    assert fund.balance == 1_000_000
    assert reversal.reversed_entry_id == receipt.entry_id
    assert (reversal.kind, reversal.reversed_kind) == (EntryKind.REVERSAL, "receipt")
    assert (reversal.amount, reversal.effect) == (5_000_000, -5_000_000)
    assert reversal.reason == "Ghi nhầm số tiền"
    assert reversal.occurred_on == TODAY
    assert fund.reversed == [receipt.entry_id]


def test_reversing_a_disbursement_gives_its_amount_back() -> None:
    fund = open_fund()
    receive(fund, 5_000_000)
    payment = disburse(fund, 5_000_000)
    reverse(fund, payment)
    assert fund.balance == 5_000_000


def test_refuses_reversing_an_entry_twice() -> None:
    fund = open_fund()
    receipt = receive(fund, 5_000_000)
    reverse(fund, receipt)
    with pytest.raises(AlreadyReversed) as refused:
        reverse(fund, receipt)
    assert refused.value.extra == {"entry_id": str(receipt.entry_id)}
    assert fund.balance == 0


def test_refuses_reversing_a_reversal() -> None:
    fund = open_fund()
    receipt = receive(fund, 5_000_000)
    reversal = reverse(fund, receipt)
    with pytest.raises(NotReversible):
        fund.reverse(reversal, "Hủy bút toán hủy", TODAY, META)
    assert fund.balance == 0
    assert fund.reversed == [receipt.entry_id]


def test_refuses_a_reversal_that_would_take_the_balance_below_zero() -> None:
    fund = open_fund()
    receipt = receive(fund, 5_000_000)
    disburse(fund, 3_000_000)
    version = fund.version
    with pytest.raises(InsufficientFunds):
        reverse(fund, receipt)
    assert fund.balance == 2_000_000
    assert fund.version == version
    assert fund.reversed == []


def test_a_reversal_that_empties_the_fund_exactly_is_allowed() -> None:
    fund = open_fund()
    receipt = receive(fund, 5_000_000)
    reverse(fund, receipt)
    assert fund.balance == 0


def test_reversing_an_in_kind_receipt_changes_no_balance() -> None:
    fund = open_fund()
    goods = give_goods(fund, 75_000_000)
    reversal = reverse(fund, goods)
    assert fund.balance == 0
    assert (reversal.effect, reversal.reversed_effect, reversal.amount) == (0, 0, 75_000_000)


@pytest.mark.parametrize("reason", ["", "   "])
def test_refuses_a_reversal_without_a_reason(reason: str) -> None:
    fund = open_fund()
    receipt = receive(fund, 5_000_000)
    with pytest.raises(InvalidInput) as refused:
        reverse(fund, receipt, reason)
    assert refused.value.field == "reason"
    assert fund.balance == 5_000_000


def test_refuses_a_reversal_when_today_is_in_a_closed_period() -> None:
    fund = open_fund()
    receipt = receive(fund, 5_000_000)
    fund.close_period(TODAY, TODAY, META)
    with pytest.raises(PeriodClosed):
        reverse(fund, receipt)
    assert fund.balance == 5_000_000


def test_an_entry_of_a_closed_period_is_reversed_in_the_open_period() -> None:
    fund = open_fund()
    receipt = receive(fund, 5_000_000, on=date(2025, 1, 10))
    fund.close_period(date(2025, 3, 31), TODAY, META)
    reversal = reverse(fund, receipt)
    assert reversal.occurred_on == TODAY
    assert fund.balance == 0


# Transfers -------------------------------------------------------------------


def test_a_transfer_moves_money_from_one_fund_to_the_other() -> None:
    source, destination = open_fund(), open_fund("Quỹ cứu trợ")
    receive(source, 5_000_000)
    send(source, destination, 3_000_000)
    assert (source.balance, destination.balance) == (2_000_000, 3_000_000)
    sent, received = last_entry(source), last_entry(destination)
    assert isinstance(sent, Fund.TransferSent)
    assert isinstance(received, Fund.TransferReceived)
    assert (sent.effect, received.effect) == (-3_000_000, 3_000_000)
    assert (sent.to_fund_id, received.from_fund_id) == (destination.id, source.id)
    assert sent.note == received.note == "Điều tiết quỹ"


def test_the_two_sides_of_a_transfer_name_each_other() -> None:
    source, destination = open_fund(), open_fund()
    receive(source, 5_000_000)
    receive(destination, 1_000)
    send(source, destination, 3_000_000)
    sent = cast(Fund.TransferSent, last_entry(source))
    received = cast(Fund.TransferReceived, last_entry(destination))
    assert sent.entry_id != received.entry_id
    assert sent.counterpart_entry_id == received.entry_id
    assert received.counterpart_entry_id == sent.entry_id


def test_refuses_a_transfer_to_the_same_fund() -> None:
    fund = open_fund()
    receive(fund, 5_000_000)
    with pytest.raises(InvalidInput) as refused:
        send(fund, fund, 1_000_000)
    assert refused.value.field == "to_fund_id"
    assert fund.balance == 5_000_000
    assert fund.version == 2


def test_refuses_a_transfer_larger_than_the_source_balance_and_changes_neither_fund() -> None:
    source, destination = open_fund(), open_fund()
    receive(source, 5_000_000)
    with pytest.raises(InsufficientFunds):
        send(source, destination, 5_000_001)
    assert (source.balance, destination.balance) == (5_000_000, 0)
    assert (source.version, destination.version) == (2, 1)


def test_refuses_a_transfer_dated_in_the_future() -> None:
    source, destination = open_fund(), open_fund()
    receive(source, 5_000_000)
    with pytest.raises(InvalidInput):
        send(source, destination, 1_000, on=TODAY + timedelta(days=1))
    assert (source.version, destination.version) == (2, 1)


def test_reversing_the_received_side_refuses_to_overdraw_the_destination() -> None:
    source, destination = open_fund(), open_fund()
    receive(source, 5_000_000)
    send(source, destination, 3_000_000)
    received = last_entry(destination)
    disburse(destination, 1_000_000)
    with pytest.raises(InsufficientFunds):
        reverse(destination, received)
    assert destination.balance == 2_000_000


# Entry ids -------------------------------------------------------------------


@pytest.mark.parametrize("version", [1, 2, 100, 2**32, 2**63 - 1])
def test_an_entry_id_round_trips_to_its_version(version: int) -> None:
    fund_id = uuid4()
    entry_id = entry_id_for(fund_id, version)
    assert entry_version(fund_id, entry_id) == version


def test_an_entry_id_of_another_fund_has_no_version_here() -> None:
    fund_id, other = uuid4(), uuid4()
    assert entry_version(other, entry_id_for(fund_id, 2)) is None
    stranger = UUID(bytes=bytes(b ^ 0xFF for b in fund_id.bytes[:8]) + fund_id.bytes[8:])
    assert entry_version(fund_id, stranger) is None


def test_each_entry_is_identified_by_its_fund_and_version() -> None:
    fund = open_fund()
    predicted = fund.next_entry_id
    first = receive(fund, 1_000)
    second = receive(fund, 1_000)
    assert first.entry_id == predicted == entry_id_for(fund.id, 2)
    assert second.entry_id == entry_id_for(fund.id, 3)
    assert entry_version(fund.id, second.entry_id) == second.originator_version == 3
    assert isinstance(first.entry_id, UUID)
    assert first.entry_id != second.entry_id


# State comes from events -----------------------------------------------------


def test_a_fund_rebuilt_from_its_events_has_the_same_state() -> None:
    fund, other = open_fund(), open_fund()
    receipt = receive(fund, 5_000_000)
    give_goods(fund, 1_000_000)
    disburse(fund, 1_000_000)
    send(fund, other, 500_000)
    reverse(fund, disburse(fund, 200_000))
    fund.close_period(date(2025, 5, 31), TODAY, META)
    expected = (fund.balance, fund.closed_through, list(fund.reversed), fund.version)
    copy = replayed(fund)
    assert (copy.balance, copy.closed_through, copy.reversed, copy.version) == expected
    assert expected[0] == 3_500_000
    with pytest.raises(InsufficientFunds):
        reverse(copy, receipt)


# Idempotency records -----------------------------------------------------------


def record_of(refusal: DomainError | None = None) -> RequestRecord:
    record_id = RequestRecord.id_for("thu-quy", "chi-001")
    if refusal is None:
        return RequestRecord.answered(record_id, "fingerprint-1", {"entry_id": "e1"}, META)
    return RequestRecord.refused(record_id, "fingerprint-1", refusal, META)


def test_a_request_record_replays_the_first_answer() -> None:
    assert record_of().replay("fingerprint-1") == {"entry_id": "e1"}


def test_a_request_record_refuses_the_same_key_with_another_body() -> None:
    with pytest.raises(IdempotencyKeyReused):
        record_of().replay("fingerprint-2")
    with pytest.raises(IdempotencyKeyReused):
        record_of(InsufficientFunds("Không đủ tiền", balance=0)).replay("fingerprint-2")


@pytest.mark.parametrize(
    "refusal",
    [
        InsufficientFunds("The fund holds 0 đồng, less than 1.000 đồng.", balance=0),
        PeriodClosed("The books are closed.", closed_through="2025-03-31"),
        AlreadyReversed("Already reversed.", entry_id="e1"),
        NotReversible("Not reversible.", entry_id="e1"),
        InvalidInput("occurred_on", "The voucher date cannot be in the future."),
    ],
    ids=lambda error: type(error).__name__,
)
def test_a_request_record_raises_the_recorded_refusal_again(refusal: DomainError) -> None:
    record = replayed_record(record_of(refusal))
    with pytest.raises(type(refusal)) as again:
        record.replay("fingerprint-1")
    assert type(again.value) is type(refusal)
    assert again.value.detail == refusal.detail
    assert again.value.extra == refusal.extra
    assert again.value.code == refusal.code


def test_a_replayed_invalid_input_names_the_same_field() -> None:
    record = record_of(InvalidInput("occurred_on", "The voucher date cannot be in the future."))
    with pytest.raises(InvalidInput) as again:
        record.replay("fingerprint-1")
    assert again.value.field == "occurred_on"


def test_the_record_id_depends_on_the_actor_and_the_key() -> None:
    assert RequestRecord.id_for("a", "k") == RequestRecord.id_for("a", "k")
    assert RequestRecord.id_for("a", "k") != RequestRecord.id_for("b", "k")
    assert RequestRecord.id_for("a", "k") != RequestRecord.id_for("a", "k2")


def replayed_record(record: RequestRecord) -> RequestRecord:
    aggregate: Any = None
    for event in record.collect_events():
        aggregate = event.mutate(aggregate)
    return cast(RequestRecord, aggregate)


def test_a_gift_given_anonymously_keeps_no_name_even_when_one_was_typed() -> None:
    fund = open_fund()
    fund.record_receipt(
        Receipt(Money(200_000), DAY, Donor("Trần Thị Bình", DonorKind.ANONYMOUS), Channel.CASH),
        TODAY,
        META,
    )
    entry = cast(Fund.ReceiptRecorded, last_entry(fund))
    assert entry.donor_name is None


def test_refuses_to_reverse_an_entry_of_another_fund() -> None:
    fund, other = open_fund(), open_fund("Quỹ Cứu trợ")
    receive(fund, 1_000_000)
    receive(other, 1_000_000)
    with pytest.raises(EntryNotFound):
        reverse(fund, last_entry(other))
    assert fund.balance == 1_000_000


# Receipt slips ------------------------------------------------------------------


def test_receipt_slips_are_numbered_from_one_in_each_accounting_year() -> None:
    fund = open_fund()
    numbers = []
    for on in (date(2024, 12, 30), date(2025, 1, 2), date(2024, 12, 31), date(2025, 3, 1)):
        entry = cast(Fund.ReceiptRecorded, receive(fund, 100_000, on))
        numbers.append((on.year, entry.slip_no))

    assert numbers == [(2024, 1), (2025, 1), (2024, 2), (2025, 2)]
    assert fund.next_slip_no(date(2025, 12, 31)) == 3


def test_a_slip_reference_names_the_year_the_number_and_the_fund() -> None:
    fund = open_fund()
    entry = cast(Fund.ReceiptRecorded, receive(fund, 100_000, date(2025, 2, 1)))

    assert entry.slip_ref == f"PT-2025-000001-{fund.id.hex[:12].upper()}"
    assert entry.slip_ref != cast(Fund.ReceiptRecorded, receive(open_fund(), 1, DAY)).slip_ref


def test_disbursements_and_reversals_take_no_slip_number() -> None:
    fund = open_fund()
    receive(fund, 500_000)
    fund.reverse(disburse(fund, 100_000), "Ghi nhầm", TODAY, META)
    second = cast(Fund.ReceiptRecorded, receive(fund, 100_000))

    assert second.slip_no == 2


# Goods in stock ------------------------------------------------------------------


def give_out(fund: Fund, quantity: int, description: str = "Máy tính xách tay") -> None:
    goods = InKind(description, quantity, "chiếc")
    fund.record_disbursement(
        Disbursement(Money(1_000_000 * quantity), DAY, Category.SCHOLARSHIP, in_kind=goods),
        TODAY,
        META,
        approval_threshold=0,
    )


def test_goods_received_are_held_in_stock_and_given_out_without_moving_money() -> None:
    fund = open_fund()
    give_goods(fund, 15_000_000)

    give_out(fund, 3, " máy tính  XÁCH tay ")

    given = last_entry(fund)
    assert isinstance(given, Fund.DisbursementRecorded)
    assert (given.effect, fund.balance) == (0, 0)
    assert fund.stock == {"máy tính xách tay|chiếc": 2}


def test_goods_cannot_be_given_out_beyond_the_stock() -> None:
    fund = open_fund()
    give_goods(fund, 15_000_000)

    with pytest.raises(InsufficientStock) as refused:
        give_out(fund, 6)
    with pytest.raises(InsufficientStock):
        give_out(fund, 1, "Gạo")

    assert refused.value.extra == {"held": 5}
    assert fund.stock == {"máy tính xách tay|chiếc": 5}


def test_a_reversal_moves_goods_back_and_never_below_zero() -> None:
    fund = open_fund()
    received = give_goods(fund, 15_000_000)
    give_out(fund, 4)
    given = last_entry(fund)

    with pytest.raises(InsufficientStock):
        reverse(fund, received)
    reversal = reverse(fund, given)
    assert fund.stock == {"máy tính xách tay|chiếc": 5}
    assert reversal.reversed_goods is not None
    assert reversal.reversed_goods["quantity"] == 4
    reverse(fund, received)
    assert fund.stock == {}
    assert fund.balance == 0
