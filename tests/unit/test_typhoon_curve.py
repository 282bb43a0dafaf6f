"""The typhoon simulation's arrival curve (bench/arrivals.py), checked without running the
simulation: what docs/SCALING.md says about its shape must hold for the figures to mean
anything."""

from __future__ import annotations

from datetime import datetime

from bench.arrivals import BROADCAST_AT, BROADCAST_DAYS, MINUTES_PER_DAY, typhoon_arrivals


def test_a_million_gifts_over_two_weeks_peak_at_a_hundred_a_second_on_an_appeal_evening() -> None:
    arrivals = typhoon_arrivals(1_000_000, 14, 100, datetime(2024, 9, 6))

    assert arrivals.total == 1_000_000
    assert min(arrivals.counts) >= 0
    assert round(arrivals.peak_per_second()) == 100
    busiest = arrivals.busiest_minute()
    assert busiest in [day * MINUTES_PER_DAY + BROADCAST_AT for day in BROADCAST_DAYS]
    days = arrivals.per_day()
    # A trickle before the appeal, the surge after it, fading by the second week.
    assert days[0] < days[3] / 20
    assert sum(days[7:]) < sum(days[:7]) / 2
    # Nights are quiet beside the evenings.
    day = 4 * MINUTES_PER_DAY
    assert (
        sum(arrivals.counts[day + 120 : day + 240])
        < sum(arrivals.counts[day + 19 * 60 : day + 21 * 60]) / 5
    )
