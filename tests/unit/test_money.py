"""Money: a positive, whole, bounded number of đồng."""

from __future__ import annotations

from typing import Any

import pytest

from service.domain.errors import InvalidInput
from service.domain.money import MAX_ENTRY_DONG, Money


@pytest.mark.parametrize("dong", [1, 100_000, 2_300_000_000, MAX_ENTRY_DONG])
def test_accepts_a_positive_whole_number_of_dong_up_to_the_bound(dong: int) -> None:
    assert Money(dong).dong == dong


@pytest.mark.parametrize("dong", [0, -1, -100_000])
def test_refuses_an_amount_that_is_not_greater_than_zero(dong: int) -> None:
    with pytest.raises(InvalidInput, match="lớn hơn 0") as refused:
        Money(dong)
    assert refused.value.field == "amount"


@pytest.mark.parametrize("dong", [MAX_ENTRY_DONG + 1, 10 * MAX_ENTRY_DONG])
def test_refuses_an_amount_above_the_largest_entry(dong: int) -> None:
    with pytest.raises(InvalidInput, match="không được vượt quá") as refused:
        Money(dong)
    assert refused.value.field == "amount"


@pytest.mark.parametrize("dong", [True, False, 100.0, 1.5, "100000", "100.000", None])
def test_refuses_anything_but_a_whole_number(dong: Any) -> None:
    with pytest.raises(InvalidInput, match="số đồng nguyên") as refused:
        Money(dong)
    assert refused.value.field == "amount"


def test_the_bound_is_ten_thousand_billion_dong() -> None:
    assert MAX_ENTRY_DONG == 10_000_000_000_000


def test_amounts_compare_by_their_value() -> None:
    assert Money(100) == Money(100)
    assert Money(100) < Money(101)
    assert Money(100) != Money(101)


def test_prints_with_vietnamese_thousands_separators() -> None:
    assert str(Money(2_300_000_000)) == "2.300.000.000 đ"
