"""Pledges: every rule, on the aggregate alone."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from service.domain.actors import Meta
from service.domain.errors import (
    AlreadyRegistered,
    InvalidInput,
    MergeRefused,
    PledgeClosed,
    PledgeExceeded,
)
from service.domain.funds import Donor
from service.domain.money import Money
from service.domain.pledges import (
    Commitment,
    Instalment,
    Pledge,
    check_new_code,
    memo_names,
    pledge_code,
)
from service.domain.vocabulary import DonorKind, PledgeStatus

META = Meta(actor_id="thu-quy", actor="Thủ quỹ", role="treasurer", unit_id=None)
DONOR = Donor("Nguyễn Văn An", DonorKind.INDIVIDUAL)


def make(amount: int = 10_000_000, **extra: object) -> Pledge:
    unit = uuid4()
    return Pledge.make(uuid4(), [unit], Commitment(DONOR, Money(amount), **extra), META)  # type: ignore[arg-type]


def test_a_code_is_compared_without_case_diacritics_or_extra_spaces() -> None:
    assert pledge_code("  uh  Bão lũ ") == "UH BAO LU"
    assert pledge_code("Đền ơn") == "DEN ON"
    with pytest.raises(InvalidInput):
        pledge_code("   ")


def test_two_pledges_of_one_fund_with_the_same_code_have_the_same_id() -> None:
    fund = uuid4()
    assert Pledge.id_for(fund, "uh bão lũ") == Pledge.id_for(fund, "UH BAO LU")
    assert Pledge.id_for(fund, "UH1") != Pledge.id_for(uuid4(), "UH1")


def test_receipts_fulfil_a_pledge_until_nothing_is_outstanding() -> None:
    pledge = make()

    assert pledge.fulfil(uuid4(), 4_000_000, False, META) == 4_000_000
    assert (pledge.outstanding, pledge.status) == (6_000_000, PledgeStatus.OPEN)
    with pytest.raises(PledgeExceeded):
        pledge.fulfil(uuid4(), 7_000_000, False, META)
    assert pledge.fulfil(uuid4(), 7_000_000, True, META) == 6_000_000
    assert (pledge.outstanding, pledge.status) == (0, PledgeStatus.FULFILLED)
    with pytest.raises(PledgeClosed):
        pledge.fulfil(uuid4(), 1, True, META)


def test_a_reversed_receipt_reopens_what_it_fulfilled() -> None:
    pledge = make()
    entry = uuid4()
    pledge.fulfil(entry, 10_000_000, False, META)

    pledge.unfulfil(entry, META)
    pledge.unfulfil(uuid4(), META)

    assert (pledge.fulfilled, pledge.status) == (0, PledgeStatus.OPEN)


def test_a_closed_pledge_owes_nothing_and_cannot_be_closed_again() -> None:
    cancelled, written_off = make(), make()
    written_off.fulfil(uuid4(), 1_000_000, False, META)

    cancelled.cancel("Rút lại", META)
    written_off.write_off("Không liên lạc được", META)

    assert (cancelled.status, cancelled.outstanding) == (PledgeStatus.CANCELLED, 0)
    assert (written_off.status, written_off.fulfilled) == (PledgeStatus.WRITTEN_OFF, 1_000_000)
    with pytest.raises(PledgeClosed):
        cancelled.write_off("x", META)
    with pytest.raises(InvalidInput):
        make().cancel("  ", META)


def test_instalments_add_up_to_the_pledge_in_order_of_due_date() -> None:
    parts = (
        Instalment(date(2025, 3, 1), Money(4_000_000)),
        Instalment(date(2025, 6, 1), Money(6_000_000)),
    )
    pledge = make(instalments=parts)
    assert pledge.pending_events[0].instalments == [  # type: ignore[attr-defined]
        {"due_on": "2025-03-01", "amount": 4_000_000, "cumulative": 4_000_000},
        {"due_on": "2025-06-01", "amount": 6_000_000, "cumulative": 10_000_000},
    ]
    with pytest.raises(InvalidInput):
        make(instalments=parts[::-1])
    with pytest.raises(InvalidInput):
        make(instalments=parts[:1])
    with pytest.raises(InvalidInput):
        make(instalments=parts, due_on=date(2025, 3, 1))


def test_a_memo_names_a_code_as_a_word_or_a_long_code_anywhere() -> None:
    assert memo_names("CK UH7K2QXM NGUYEN VAN AN", "UH7K2QXM")
    assert memo_names("UNG HO UH7K2QXM", "UH7K2QXM")
    assert memo_names("NGUYENVANAN-UH7K2QXM-BAOLU", "UH7K2QXM")
    assert memo_names("UNG HO BAO LU", "BAO LU")
    assert memo_names("UH1", "UH1")
    assert not memo_names("CK UH12 NGUYEN VAN AN", "UH1")
    assert not memo_names("TRAUH1", "UH1")
    assert not memo_names("UH7K2QXN", "UH7K2QXM")


def test_a_new_pledge_may_not_take_a_code_its_fund_already_holds() -> None:
    check_new_code("UH1", {"UH2"})
    with pytest.raises(AlreadyRegistered) as clash:
        check_new_code("UH1", {"UH1", "UH2"})
    assert clash.value.extra == {"pledge_code": "UH1"}


def test_a_pledge_moves_only_to_a_fund_that_does_not_hold_its_code() -> None:
    pledge = make(code="UH BAO LU")
    pledge.check_code_free_in("Quỹ cứu trợ xã Tân An", {"UH1"})
    with pytest.raises(MergeRefused) as clash:
        pledge.check_code_free_in("Quỹ cứu trợ xã Tân An", {"UH BAO LU"})
    assert clash.value.extra == {"pledge_id": str(pledge.id), "pledge_code": "UH BAO LU"}
    assert clash.value.detail.startswith("Quỹ cứu trợ xã Tân An đã có")
