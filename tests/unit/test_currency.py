"""Foreign currency: exact rates, đồng values to the nearest đồng, amounts as readers
write them, and holdings carried at average cost."""

from __future__ import annotations

from decimal import Decimal

import pytest

from service.domain.currency import (
    Foreign,
    carrying_out,
    check_held,
    currency_code,
    dong_at,
    holdings_after,
    rate_of,
    shown,
    with_original,
)
from service.domain.errors import InsufficientFunds, InvalidInput


def test_a_rate_is_an_exact_decimal_string_and_never_a_float() -> None:
    assert rate_of("25100.5") == Decimal("25100.5")
    assert rate_of(" 24500 ") == Decimal(24500)
    for bad in ("24,500", "2.45e4", "-1", "0", "abc", ""):
        with pytest.raises(InvalidInput) as refused:
            rate_of(bad)
        assert refused.value.field == "rate"
    with pytest.raises(InvalidInput):
        rate_of(24500.5)  # type: ignore[arg-type]


def test_the_dong_value_rounds_to_the_nearest_dong_halves_up() -> None:
    assert dong_at(5_000, "USD", Decimal("25100.5")) == 1_255_025
    assert dong_at(1, "USD", Decimal("25050")) == 251  # 250,5 đ
    assert dong_at(1, "USD", Decimal("25049.99")) == 250
    assert dong_at(1_000, "JPY", Decimal("165.37")) == 165_370


def test_amounts_are_written_as_vietnamese_readers_write_them() -> None:
    assert shown(10_000, "USD") == "100,00 USD"
    assert shown(125_050, "EUR") == "1.250,50 EUR"
    assert shown(-7, "USD") == "-0,07 USD"
    assert shown(1_500, "JPY") == "1.500 JPY"
    assert with_original(2_450_000, "USD", 10_000) == "2.450.000 đ (100,00 USD)"
    assert with_original(500_000, None, None) == "500.000 đ"


def test_a_gift_needs_exactly_one_of_the_banks_dong_and_a_rate_with_its_source() -> None:
    converted = Foreign.of("usd", 10_000, 2_450_000, None, None)
    assert (converted.currency, converted.dong, converted.rate) == ("USD", 2_450_000, None)
    entered = Foreign.of("EUR", 5_050, None, "27400", "Vietcombank")
    assert (entered.dong, entered.facts()["rate"]) == (1_383_700, "27400")
    for args in (
        ("USD", 10_000, None, None, None),
        ("USD", 10_000, 1, "1", "x"),
        ("USD", 10_000, None, "25000", " "),
        ("XYZ", 10_000, 1, None, None),
        ("VND", 10_000, 1, None, None),
        ("USD", 0, 1, None, None),
    ):
        with pytest.raises(InvalidInput):
            Foreign.of(*args)
    assert currency_code(" usd ") == "USD"


def _usd(amount: int, value: int) -> dict[str, object]:
    return {"currency": "USD", "held_in": "bank", "amount": amount, "value": value}


def test_a_holding_goes_out_at_average_cost_and_the_last_unit_takes_what_is_left() -> None:
    held = holdings_after(
        {}, {"currency": "USD", "held_in": "bank", "amount": 10_000, "value": 2_450_000}
    )
    held = holdings_after(
        held, {"currency": "USD", "held_in": "bank", "amount": 5_000, "value": 1_255_025}
    )
    holding = held["bank:USD"]
    assert holding == {"amount": 15_000, "value": 3_705_025}
    assert carrying_out(holding, 12_000) == 2_964_020
    assert carrying_out(holding, 15_000) == 3_705_025
    emptied = holdings_after(
        held, {"currency": "USD", "held_in": "bank", "amount": -15_000, "value": -3_705_025}
    )
    assert emptied == {}
    with pytest.raises(InsufficientFunds):
        check_held(held, "USD", "cash", 1)
    with pytest.raises(InsufficientFunds):
        check_held(held, "USD", "bank", 15_001)
    check_held(held, "USD", "bank", 15_000)
