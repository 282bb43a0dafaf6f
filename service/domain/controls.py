"""Controls a treasurer cannot step around: which entries wait for an approver, and why.

Three rules put an entry before an approver (maker-checker); each is pure arithmetic on
the amount and what the fund already holds, so the aggregate applies it atomically with
the entry itself:

- the unit's **approval threshold**: a payment (disbursement or transfer) or a reversal
  above it waits;
- **split payments**: payments of one fund, on one day, for the same purpose (category)
  or to the same payee (household, house project, destination fund), recorded without an
  approver, never add up to more than the threshold. The payment that would take such a
  group above it waits, and is held as one with those before it;
- the fund's **plausibility limit**: an amount above it (receipt, payment or reversal)
  waits, whoever records it and whatever the threshold. A commune's fund does not receive
  ten thousand billion đồng: such a figure is a slip of the keyboard or an abuse.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from uuid import UUID

from service.domain.errors import InvalidInput
from service.domain.money import vnd
from service.domain.vocabulary import Level


class Hold(StrEnum):
    """Why an entry waits for an approver."""

    THRESHOLD = "threshold"
    SPLIT = "split"
    PLAUSIBILITY = "plausibility"


#: The plausibility limit of a fund that has none of its own, by its unit's level. A
#: commune's largest gifts are a few hundred million đồng (a company's house, a year of
#: Tết gifts); five billion leaves room for the rare large one and still stops a slip of
#: three zeros. A village's Ban công tác gathers tens of millions in a drive, so one
#: billion stops the same slip there. Each level above gathers many units below it, and
#: a national appeal receives single gifts of hundreds of billions.
DEFAULT_PLAUSIBILITY_LIMITS: dict[Level, int] = {
    Level.VILLAGE: 1_000_000_000,
    Level.COMMUNE: 5_000_000_000,
    Level.DISTRICT: 20_000_000_000,
    Level.PROVINCE: 100_000_000_000,
    Level.CENTRAL: 1_000_000_000_000,
}

#: No limit may be set above this: the largest amount the service accepts at all.
MAX_PLAUSIBILITY_LIMIT = 10**15


def default_plausibility_limit(level: str) -> int:
    """The plausibility limit of a fund held by a unit of ``level`` that has set none."""
    return DEFAULT_PLAUSIBILITY_LIMITS[Level(level)]


def checked_limit(amount: int | None) -> int | None:
    """A plausibility limit as a fund keeps it: a whole positive number of đồng, or None
    for the default of the unit's level."""
    if amount is None:
        return None
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise InvalidInput("amount", "Giới hạn hợp lý phải là số đồng nguyên lớn hơn 0.")
    if amount > MAX_PLAUSIBILITY_LIMIT:
        raise InvalidInput("amount", "Giới hạn hợp lý quá lớn.")
    return amount


@dataclass(frozen=True)
class Controls:
    """What makes an entry of one fund wait for an approver: the unit's approval threshold
    (None: none) and the fund's plausibility limit (None: no limit)."""

    approval_threshold: int | None = None
    plausibility_limit: int | None = None

    @classmethod
    def of(cls, given: Controls | int | None) -> Controls:
        """Controls from themselves, or from a bare approval threshold."""
        return given if isinstance(given, Controls) else cls(approval_threshold=given)

    def implausible(self, amount: int) -> bool:
        return self.plausibility_limit is not None and amount > self.plausibility_limit

    def payment_hold(self, amount: int, unapproved: int = 0) -> Hold | None:
        """Why a payment of ``amount`` waits, given the most already paid without an
        approver in any of its groups that day (``unapproved``), or None."""
        if self.implausible(amount):
            return Hold.PLAUSIBILITY
        if self.approval_threshold is None:
            return None
        if amount > self.approval_threshold:
            return Hold.THRESHOLD
        if unapproved + amount > self.approval_threshold:
            return Hold.SPLIT
        return None

    def reversal_hold(self, amount: int) -> Hold | None:
        """Why reversing an entry of ``amount`` waits, or None."""
        if self.implausible(amount):
            return Hold.PLAUSIBILITY
        if self.approval_threshold is not None and amount > self.approval_threshold:
            return Hold.THRESHOLD
        return None

    def receipt_hold(self, amount: int) -> Hold | None:
        """Why a receipt of ``amount`` waits, or None: money coming in is held only when
        it is implausible."""
        return Hold.PLAUSIBILITY if self.implausible(amount) else None


def payment_groups(
    occurred_on: date,
    *,
    category: str | None = None,
    household_id: UUID | None = None,
    house_project_id: UUID | None = None,
    to_fund_id: UUID | None = None,
) -> tuple[str, ...]:
    """The groups a payment adds up in: its day with its purpose, and its day with each
    payee it names."""
    day = occurred_on.isoformat()
    named = (
        ("category", category),
        ("household", household_id),
        ("house", house_project_id),
        ("fund", to_fund_id),
    )
    return tuple(f"{day}|{kind}|{value}" for kind, value in named if value is not None)


def group_day(group: str) -> str:
    """The day (ISO) of a group made by ``payment_groups``."""
    return group.split("|", 1)[0]


def check_plausible(amount: int, controls: Controls) -> None:
    """Refuses an amount above the plausibility limit where no approver can be asked
    (a line of an imported statement): it is to be recorded by hand, and approved."""
    if controls.implausible(amount):
        raise InvalidInput(
            "amount",
            f"Số tiền {vnd(amount)} vượt giới hạn hợp lý của quỹ "
            f"({vnd(controls.plausibility_limit or 0)}); hãy ghi khoản này bằng tay để "
            "người duyệt xác nhận.",
        )
