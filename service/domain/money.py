"""Money: an integer number of đồng. VND has no minor unit, so there are no fractions."""

from __future__ import annotations

from dataclasses import dataclass

from service.domain.errors import InvalidInput

#: The largest amount one entry may carry: ten thousand billion đồng, far above
#: the largest appeal on record (over 2,000 billion đồng for typhoon Yagi).
MAX_ENTRY_DONG = 10_000_000_000_000


@dataclass(frozen=True, order=True)
class Money:
    """A positive amount of đồng, bounded so that a typo cannot create a fortune."""

    dong: int

    def __post_init__(self) -> None:
        if isinstance(self.dong, bool) or not isinstance(self.dong, int):
            raise InvalidInput(
                "amount", "Số tiền phải là số đồng nguyên, không có phần lẻ. Hãy nhập lại số tiền."
            )
        if self.dong <= 0:
            raise InvalidInput("amount", "Số tiền phải lớn hơn 0. Hãy nhập lại số tiền.")
        if self.dong > MAX_ENTRY_DONG:
            raise InvalidInput(
                "amount",
                f"Số tiền không được vượt quá {vnd(MAX_ENTRY_DONG)}. Hãy kiểm tra lại số tiền.",
            )

    def __str__(self) -> str:
        return vnd(self.dong)


def vnd(dong: int) -> str:
    """An amount as Vietnamese readers write it: 1.024.230.000 đ."""
    return f"{dong:,} đ".replace(",", ".")
