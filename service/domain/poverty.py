"""Poverty and near-poverty rates (tỷ lệ hộ nghèo, tỷ lệ hộ cận nghèo): the households in
the category against every household of the unit, as a percentage with two decimals,
rounded half up, computed exactly (never in binary floating point)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

#: Rates are given to the hundredth of a percent: 2,35%.
HUNDREDTH = Decimal("0.01")


def rate(count: int, households: int | None) -> Decimal | None:
    """``count`` of ``households`` as a percentage with two decimals; None when the
    unit recorded no number of households."""
    if not households:
        return None
    return (Decimal(count) * 100 / Decimal(households)).quantize(HUNDREDTH, ROUND_HALF_UP)
