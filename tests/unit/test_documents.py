"""Documents as Vietnamese practice keeps them: phiếu thu for cash received, phiếu chi for
cash paid, each gapless per fund and year in the order issued; the bank's documents for
bank movements; and what the public statement shows of a memo."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from service.domain.actors import Meta
from service.domain.errors import InvalidInput
from service.domain.funds import Disbursement, Donor, Fund, InKind, Receipt
from service.domain.money import Money
from service.domain.public_text import (
    mask_account_numbers,
    public_memo,
    public_search_text,
    shorten_name_in,
)
from service.domain.vocabulary import Category, Channel, DonorKind, FundKind

TODAY = date(2025, 6, 30)
META = Meta(actor_id="thu-quy", actor="Thủ quỹ", role="treasurer", unit_id=None)


def _fund() -> Fund:
    unit = uuid4()
    return Fund.open(unit, [unit], "Quỹ Vì người nghèo", FundKind.FOR_THE_POOR, META)


def _receive(fund: Fund, channel: Channel, on: date = date(2025, 3, 1)) -> int:
    goods = InKind("Gạo", 1, "bao") if channel is Channel.IN_KIND else None
    donor = Donor("Nguyễn Văn An", DonorKind.INDIVIDUAL)
    fund.record_receipt(Receipt(Money(100_000), on, donor, channel, in_kind=goods), TODAY, META)
    event = fund.pending_events[-1]
    assert isinstance(event, Fund.ReceiptRecorded)
    return event.slip_no


def _pay(fund: Fund, channel: str = "cash", on: date = date(2025, 3, 2)) -> int:
    paid = Disbursement(Money(10_000), on, Category.TET_GIFT, channel=channel)
    fund.record_disbursement(paid, TODAY, META)
    event = fund.pending_events[-1]
    assert isinstance(event, Fund.DisbursementRecorded)
    return event.slip_no


def test_only_cash_receipts_take_receipt_slips_and_the_numbers_have_no_gap() -> None:
    fund = _fund()

    numbers = [
        _receive(fund, channel)
        for channel in (Channel.CASH, Channel.BANK, Channel.IN_KIND, Channel.PAYROLL)
    ]

    assert numbers == [1, 0, 0, 2]
    assert _receive(fund, Channel.CASH, date(2024, 12, 31)) == 1


def test_cash_payments_take_payment_slips_of_their_own_sequence() -> None:
    fund = _fund()
    _receive(fund, Channel.CASH)

    numbers = [_pay(fund), _pay(fund, "bank"), _pay(fund), _pay(fund, on=date(2024, 5, 1))]

    assert numbers == [1, 0, 2, 1]
    event = fund.pending_events[-2]
    assert isinstance(event, Fund.DisbursementRecorded)
    assert event.slip_ref is not None
    assert event.slip_ref.startswith("PC-2025-000002-")
    with pytest.raises(InvalidInput):
        Disbursement(Money(1), TODAY, Category.TET_GIFT, channel="momo")


def test_a_memo_shown_to_the_public_keeps_three_digits_of_an_account_and_no_full_name() -> None:
    memo = "CT tu 0123456789 TRAN THI BINH toi 0011001932418 ung ho"

    assert mask_account_numbers("TK 12345 va 123456") == "TK 12345 va ***456"
    assert shorten_name_in("Tran-Thi Binh gui", "Trần Thị Bình") == "Trần T. B. gui"
    assert public_memo(memo, "Trần Thị Bình", "individual") == (
        "CT tu *******789 Trần T. B. toi **********418 ung ho"
    )
    assert public_memo(memo, None, "anonymous") is None
    assert public_memo(memo, "Công ty A", "organisation") == (
        "CT tu *******789 TRAN THI BINH toi **********418 ung ho"
    )
    searched = public_search_text("Trần Thị Bình", "individual", memo, ("FT1", None))
    assert "tran thi binh" not in searched
    assert "0123456789" not in searched
    assert "tran t. b." in searched
