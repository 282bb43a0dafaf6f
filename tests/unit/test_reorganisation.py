"""The merger of a unit into its successor: what refuses it, on values alone."""

from __future__ import annotations

from datetime import date

import pytest

from service.domain.errors import InvalidInput, MergeRefused
from service.domain.funds import Disbursement
from service.domain.money import Money
from service.domain.reorganisation import UnitContents, check_can_merge, check_fund_can_close
from service.domain.vocabulary import Category
from tests.unit.test_funds import DAY, META, TODAY, give_goods, open_fund, receive

MERGED_ON = date(2025, 7, 1)


def test_a_unit_with_units_below_not_merged_yet_is_refused() -> None:
    held = UnitContents(unmerged_children=["Thôn Đông", "Thôn Tây"])
    with pytest.raises(MergeRefused) as refused:
        check_can_merge("Xã An Bình", held, MERGED_ON)
    assert "Thôn Đông, Thôn Tây" in refused.value.detail


def test_a_merger_dated_before_the_units_latest_entry_is_refused() -> None:
    held = UnitContents(last_entry_on=date(2025, 7, 2))
    with pytest.raises(InvalidInput) as refused:
        check_can_merge("Xã An Bình", held, MERGED_ON)
    assert refused.value.field == "merged_on"
    assert "02/07/2025" in refused.value.detail


def test_a_unit_merged_on_or_after_its_latest_entry_may_merge() -> None:
    check_can_merge("Xã An Bình", UnitContents(), MERGED_ON)
    check_can_merge("Xã An Bình", UnitContents(last_entry_on=MERGED_ON), MERGED_ON)


def test_a_fund_with_money_only_may_close() -> None:
    fund = open_fund()
    receive(fund, 5_000_000)
    check_fund_can_close(fund)


def test_a_fund_with_a_payment_awaiting_approval_may_not_close() -> None:
    fund = open_fund()
    receive(fund, 5_000_000)
    payment = Disbursement(Money(3_000_000), DAY, Category.HOUSE_REPAIR)
    fund.record_disbursement(payment, TODAY, META, approval_threshold=1_000_000)
    with pytest.raises(MergeRefused) as refused:
        check_fund_can_close(fund)
    assert refused.value.extra == {"fund_id": str(fund.id)}
    assert "chờ duyệt" in refused.value.detail


def test_a_fund_holding_goods_may_not_close() -> None:
    fund = open_fund()
    give_goods(fund, 2_000_000)
    with pytest.raises(MergeRefused) as refused:
        check_fund_can_close(fund)
    assert "hiện vật" in refused.value.detail
