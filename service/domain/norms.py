"""House support norms (định mức hỗ trợ nhà Đại đoàn kết): what the fund gives for a house,
set by a province (or any unit) per kind of house and year, e.g. 40–60 million đồng for
a new build. A house approved above the norm that applies to it needs a recorded reason,
and the head of the board (an approver) to approve it.

The norm that applies to a house is the one set for its kind and year by the nearest
unit on its household's path, from its own unit up; where no unit set one, the default
below. The default is a ceiling, not a level of support: it stops a fund share of 900
billion đồng for a repair, a slip of the keyboard, where no province has said more.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from service.domain.errors import AboveNorm, InvalidInput
from service.domain.money import MAX_ENTRY_DONG, vnd
from service.domain.text import normalise
from service.domain.vocabulary import HouseKind
from service.domain.words import word

#: The most the fund gives for a house where no unit set a norm: well above the national
#: programmes' levels (60 million đồng for a new build, 30 million for a repair, in the
#: 2024-2025 drive to replace makeshift houses), far below any slip of the keyboard.
DEFAULT_NORMS: dict[HouseKind, int] = {
    HouseKind.NEW_BUILD: 100_000_000,
    HouseKind.REPAIR: 50_000_000,
}


def norm_key(year: int, kind: HouseKind | str) -> str:
    """The key under which a unit keeps its norm of a kind of house and a year."""
    return f"{year}|{HouseKind(kind).value}"


@dataclass(frozen=True)
class Norm:
    """The norm that applies to a house: at most ``most`` đồng from the fund."""

    most: int
    least: int | None = None
    #: The unit that set it; None for the default.
    unit_id: UUID | None = None
    unit_name: str | None = None

    @property
    def source(self) -> str:
        return f"định mức của {self.unit_name}" if self.unit_name else "mức trần chung"


def checked_norm(least: int | None, most: int) -> tuple[int | None, int]:
    """A norm as a unit keeps it: whole đồng, ``least`` (if given) at most ``most``."""
    for field, amount in (("most", most), ("least", least)):
        if amount is None and field == "least":
            continue
        if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
            raise InvalidInput(field, "Định mức phải là số đồng nguyên lớn hơn 0.")
        if amount > MAX_ENTRY_DONG:
            raise InvalidInput(field, f"Định mức không được vượt quá {vnd(MAX_ENTRY_DONG)}.")
    if least is not None and least > most:
        raise InvalidInput("least", "Mức thấp nhất không được lớn hơn mức cao nhất.")
    return least, most


def check_fund_share(
    fund_share: int, norm: Norm, kind: HouseKind, year: int, reason: str | None
) -> dict[str, Any] | None:
    """Refuses a fund share above the norm without a reason; with one, returns what the
    approval records of it (None within the norm)."""
    if fund_share <= norm.most:
        return None
    kept = normalise(reason or "")
    if not kept:
        raise AboveNorm(
            f"Phần quỹ hỗ trợ {vnd(fund_share)} vượt {norm.source} cho nhà "
            f"{word(kind)} năm {year} ({vnd(norm.most)}). Hãy kiểm tra lại số tiền; nếu "
            "đúng là cần hỗ trợ cao hơn, người duyệt (Chủ tịch, Trưởng ban) ghi lý do "
            "(above_norm_reason) và phê duyệt.",
            norm=norm.most,
            fund_share=fund_share,
        )
    return {
        "norm": norm.most,
        "norm_unit_id": str(norm.unit_id) if norm.unit_id else None,
        "reason": kept[:1000],
    }
