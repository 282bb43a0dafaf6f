"""When a typhoon appeal's gifts arrive: a count per minute over the appeal's weeks.

Gifts are few before the appeal is launched, surge in the days after it and fade over
the following week; each day has a rhythm (quiet nights, a morning and an evening
peak), and the evenings of televised appeals bring bursts that decay within hours.
The bursts are scaled so that the busiest minute reaches the peak rate asked for.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta

MINUTES_PER_DAY = 24 * 60
#: Relative activity of each hour of the day (Asia/Ho_Chi_Minh).
HOURLY = [
    0.08, 0.05, 0.04, 0.04, 0.06, 0.15, 0.35, 0.60, 0.85, 1.00, 1.00, 0.90,
    0.70, 0.65, 0.75, 0.80, 0.80, 0.75, 0.80, 0.95, 1.20, 1.25, 0.90, 0.35,
]  # fmt: skip
#: Days (from the first day of the window) on whose evenings an appeal is televised.
BROADCAST_DAYS = (3, 5, 8)
BROADCAST_AT = 20 * 60
#: The appeal is launched this many days into the window (the day after landfall).
APPEAL_DAY = 2.0


@dataclass(frozen=True)
class Arrivals:
    """Gifts per minute from ``start``; ``counts[i]`` arrive in minute ``i``."""

    start: datetime
    counts: list[int]

    @property
    def total(self) -> int:
        return sum(self.counts)

    def peak_per_second(self) -> float:
        return max(self.counts) / 60

    def busiest_minute(self) -> int:
        return max(range(len(self.counts)), key=self.counts.__getitem__)

    def day_of(self, minute: int) -> date:
        return (self.start + timedelta(minutes=minute)).date()

    def per_day(self) -> list[int]:
        days = math.ceil(len(self.counts) / MINUTES_PER_DAY)
        return [
            sum(self.counts[d * MINUTES_PER_DAY : (d + 1) * MINUTES_PER_DAY]) for d in range(days)
        ]


def _surge(day: float) -> float:
    """The appeal's arc: a trickle before it is launched, a rise over two days, a fade."""
    if day < APPEAL_DAY:
        return 0.03
    since = day - APPEAL_DAY
    return 0.03 + since / 2.0 * math.exp(1 - since / 2.0)


def _baseline(minute: int) -> float:
    return _surge(minute / MINUTES_PER_DAY) * HOURLY[(minute // 60) % 24]


def _burst(minute: int) -> float:
    for day in BROADCAST_DAYS:
        since = minute - (day * MINUTES_PER_DAY + BROADCAST_AT)
        if 0 <= since < 180:
            return math.exp(-since / 25)
    return 0.0


def typhoon_arrivals(total: int, days: int, peak_per_second: float, start: datetime) -> Arrivals:
    """``total`` gifts over ``days`` days whose busiest minute brings about
    ``peak_per_second`` gifts a second (less if the total cannot reach it)."""
    minutes = days * MINUTES_PER_DAY
    base = [_baseline(m) for m in range(minutes)]
    bursts = [_burst(m) for m in range(minutes)]
    base_sum, burst_sum = sum(base), sum(bursts)

    def peak(weight: float) -> float:
        top = max(b + weight * s for b, s in zip(base, bursts, strict=True))
        return total * top / (base_sum + weight * burst_sum) / 60

    low, high = 0.0, 1e6
    if peak(low) < peak_per_second:
        for _ in range(60):
            middle = (low + high) / 2
            low, high = (middle, high) if peak(middle) < peak_per_second else (low, middle)
    weights = [b + low * s for b, s in zip(base, bursts, strict=True)]
    scale = total / sum(weights)
    counts, carried, given = [], 0.0, 0
    for weight in weights:
        carried += weight * scale
        count = round(carried) - given
        counts.append(count)
        given += count
    return Arrivals(start, counts)
