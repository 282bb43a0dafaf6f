"""Pledges (đăng ký ủng hộ): a donor's commitment to give an amount to a fund, perhaps by
a date and in instalments, fulfilled by the receipts that name it.

A pledge's id is derived from its fund and its code, so two pledges of one fund can
never share a code: the code is what a donor writes in a transfer's memo, and what a
bank-statement import matches to link a transfer to its pledge.
"""

from __future__ import annotations

import secrets
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any, cast
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, AggregateCreated, AggregateEvent

from service.domain.actors import Meta
from service.domain.errors import (
    AlreadyRegistered,
    InvalidInput,
    MergeRefused,
    PledgeClosed,
    PledgeExceeded,
)
from service.domain.funds import Donor
from service.domain.money import Money, vnd
from service.domain.reorganisation import MovedToUnit
from service.domain.text import fold, normalise, required_name
from service.domain.vocabulary import PledgeStatus
from service.domain.words import word

_NAMESPACE = uuid5(NAMESPACE_URL, "https://sovang.vn/pledges")
#: Letters and digits that cannot be mistaken for one another when read or typed.
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
MAX_INSTALMENTS = 120
#: A code at least this long is found anywhere in a memo, not only as a word of its
#: own: it is too long to occur there by chance.
MIN_EMBEDDED_CODE = 6


def pledge_code(text: str) -> str:
    """A code as it is compared: upper case, without diacritics, single-spaced."""
    code = fold(text).upper()
    if not code:
        raise InvalidInput("code", "Mã phải có chữ hoặc số.")
    if len(code) > 40:
        raise InvalidInput("code", "Mã dài tối đa 40 ký tự.")
    return code


def memo_names(memo: str, code: str) -> bool:
    """Whether a transfer's memo, folded and upper-cased as codes are (``pledge_code``),
    carries the code: as a word of its own, or anywhere when the code is long enough."""
    return f" {code} " in f" {memo} " or (len(code) >= MIN_EMBEDDED_CODE and code in memo)


def check_new_code(code: str, held: Collection[str]) -> None:
    """Refuses a new pledge whose code the fund already holds: donors write the code in
    their transfers, so it must name one pledge."""
    if code in held:
        raise AlreadyRegistered(
            f"Quỹ này đã có cam kết ủng hộ mã {code}. Hãy dùng mã khác.", pledge_code=code
        )


def new_code() -> str:
    """A short code for a pledge made without one, e.g. ``UH7K2QXM``."""
    return "UH" + "".join(secrets.choice(_CODE_ALPHABET) for _ in range(6))


@dataclass(frozen=True)
class Instalment:
    due_on: date
    amount: Money


@dataclass(frozen=True)
class Commitment:
    """What a donor commits: an amount, by an optional date or in instalments."""

    donor: Donor
    amount: Money
    due_on: date | None = None
    instalments: tuple[Instalment, ...] = ()
    code: str | None = None
    note: str | None = None

    def schedule(self) -> list[dict[str, Any]]:
        """The instalments as events record them: each due date with the amount due by
        then in all (one instalment when only a due date is given)."""
        if not self.instalments:
            due = [(self.due_on, self.amount.dong)] if self.due_on else []
        else:
            if len(self.instalments) > MAX_INSTALMENTS:
                raise InvalidInput("instalments", f"Chỉ được chia tối đa {MAX_INSTALMENTS} đợt.")
            days = [i.due_on for i in self.instalments]
            if days != sorted(set(days)):
                raise InvalidInput(
                    "instalments", "Hãy ghi các đợt theo thứ tự ngày đến hạn, không trùng ngày."
                )
            if sum(i.amount.dong for i in self.instalments) != self.amount.dong:
                raise InvalidInput(
                    "instalments", f"Tổng các đợt phải bằng số cam kết, {self.amount}."
                )
            if self.due_on is not None and self.due_on != days[-1]:
                raise InvalidInput("due_on", "Hạn của cam kết phải trùng với hạn của đợt cuối.")
            due = [(i.due_on, i.amount.dong) for i in self.instalments]
        schedule, cumulative = [], 0
        for due_on, amount in due:
            cumulative += amount
            schedule.append({"due_on": due_on, "amount": amount, "cumulative": cumulative})
        return schedule


class Pledge(Aggregate):
    """A donor's commitment to a fund and the receipts that fulfilled it."""

    class Made(AggregateCreated):
        fund_id: UUID
        unit_id: UUID
        unit_path: list[UUID]
        code: str
        donor_name: str | None
        donor_kind: str
        amount: int
        due_on: date | None
        instalments: list[dict[str, Any]]
        note: str | None
        meta: Meta

    def __init__(
        self,
        fund_id: UUID,
        unit_id: UUID,
        unit_path: list[UUID],
        code: str,
        donor_name: str | None,
        donor_kind: str,
        amount: int,
        due_on: date | None,
        instalments: list[dict[str, Any]],
        note: str | None,
        meta: Meta,
    ) -> None:
        self.fund_id = fund_id
        self.unit_path = unit_path
        self.code = code
        self.amount = amount
        self.fulfilled = 0
        self.status = PledgeStatus.OPEN
        #: The amount each receipt fulfilled, by entry id.
        self.fulfilments: dict[str, int] = {}

    @staticmethod
    def id_for(fund_id: UUID, code: str) -> UUID:
        return uuid5(_NAMESPACE, f"{fund_id}\n{pledge_code(code)}")

    @classmethod
    def make(
        cls,
        fund_id: UUID,
        unit_path: list[UUID],
        commitment: Commitment,
        meta: Meta,
    ) -> Pledge:
        code = pledge_code(commitment.code or new_code())
        schedule = commitment.schedule()
        return cls._create(
            cls.Made,
            id=cls.id_for(fund_id, code),
            fund_id=fund_id,
            unit_id=unit_path[-1],
            unit_path=unit_path,
            code=code,
            donor_name=commitment.donor.public_name,
            donor_kind=commitment.donor.kind.value,
            amount=commitment.amount.dong,
            due_on=schedule[-1]["due_on"] if schedule else None,
            instalments=[{**row, "due_on": row["due_on"].isoformat()} for row in schedule],
            note=normalise(commitment.note or "") or None,
            meta=meta,
        )

    @property
    def outstanding(self) -> int:
        return self.amount - self.fulfilled if self.status is PledgeStatus.OPEN else 0

    class Fulfilled(AggregateEvent):
        """A receipt named the pledge and fulfilled ``amount`` of it (a surplus beyond
        what was outstanding is a plain gift, recorded by the receipt alone)."""

        entry_id: UUID
        amount: int
        meta: Meta

        def apply(self, aggregate: Any) -> None:
            pledge = cast(Pledge, aggregate)
            pledge.fulfilled += self.amount
            pledge.fulfilments[str(self.entry_id)] = self.amount
            if pledge.fulfilled == pledge.amount:
                pledge.status = PledgeStatus.FULFILLED

    class FulfilmentReversed(AggregateEvent):
        """The receipt that fulfilled ``amount`` was reversed: that much is owed again."""

        entry_id: UUID
        amount: int
        meta: Meta

        def apply(self, aggregate: Any) -> None:
            pledge = cast(Pledge, aggregate)
            pledge.fulfilled -= self.amount
            pledge.fulfilments.pop(str(self.entry_id), None)
            if pledge.status is PledgeStatus.FULFILLED:
                pledge.status = PledgeStatus.OPEN

    class Closed(AggregateEvent):
        """The pledge will not be collected further; ``reason`` says why."""

        reason: str
        meta: Meta

        def apply(self, aggregate: Any) -> None:
            cast(Pledge, aggregate).status = PledgeStatus(self.closed_as)

        @property
        def closed_as(self) -> str:
            return PledgeStatus.CANCELLED.value

    class Cancelled(Closed):
        """The donor withdrew the pledge."""

    class WrittenOff(Closed):
        """The committee gave up collecting what is outstanding."""

        @property
        def closed_as(self) -> str:
            return PledgeStatus.WRITTEN_OFF.value

    class Moved(MovedToUnit):
        """Its unit merged, the open pledge is owed from ``merged_on`` to ``fund_id``, the
        successor's fund of the same kind; what was fulfilled before stays where it was."""

        fund_id: UUID
        from_fund_id: UUID

        def apply(self, aggregate: Any) -> None:
            super().apply(aggregate)
            cast(Pledge, aggregate).fund_id = self.fund_id

    def check_code_free_in(self, fund_name: str, held: Collection[str]) -> None:
        """Refuses to move the pledge to a fund (a merged unit's successor's) that already
        holds its code: donors write the code in their transfers, so it must name one
        pledge."""
        if self.code in held:
            raise MergeRefused(
                f"{fund_name} đã có cam kết ủng hộ mã {self.code}; "
                "hãy hủy hoặc xóa nợ một trong hai cam kết trước khi sáp nhập.",
                pledge_id=str(self.id),
                pledge_code=self.code,
            )

    def move_to(self, fund_id: UUID, unit_path: list[UUID], merged_on: date, meta: Meta) -> None:
        """Records that what is outstanding is owed to ``fund_id`` of the unit at the end
        of ``unit_path`` from ``merged_on``."""
        self._check_open("Không thể chuyển cam kết")
        self.trigger_event(
            self.Moved,
            fund_id=fund_id,
            from_fund_id=self.fund_id,
            unit_id=unit_path[-1],
            unit_path=list(unit_path),
            merged_on=merged_on,
            meta=meta,
        )

    def fulfil(self, entry_id: UUID, amount: int, surplus_as_gift: bool, meta: Meta) -> int:
        """Fulfils the pledge by a receipt of ``amount``; returns the part that fulfilled
        it. More than is outstanding is refused unless the surplus is a plain gift."""
        self._check_open("Không thể ghi khoản thu vào cam kết")
        if amount > self.outstanding and not surplus_as_gift:
            raise PledgeExceeded(
                f"Cam kết này chỉ còn {vnd(self.outstanding)}, ít hơn khoản thu "
                f"{vnd(amount)}; hãy ghi phần dư là khoản ủng hộ thường (surplus_as_gift) "
                "hoặc giảm số tiền.",
                outstanding=self.outstanding,
            )
        part = min(amount, self.outstanding)
        self.trigger_event(self.Fulfilled, entry_id=entry_id, amount=part, meta=meta)
        return part

    def unfulfil(self, entry_id: UUID, meta: Meta) -> None:
        """The receipt ``entry_id`` is reversed: what it fulfilled is owed again."""
        amount = self.fulfilments.get(str(entry_id))
        if amount is not None:
            self.trigger_event(self.FulfilmentReversed, entry_id=entry_id, amount=amount, meta=meta)

    def cancel(self, reason: str, meta: Meta) -> None:
        self._check_open("Không thể hủy cam kết")
        self.trigger_event(
            self.Cancelled, reason=required_name("reason", reason, max_length=500), meta=meta
        )

    def write_off(self, reason: str, meta: Meta) -> None:
        self._check_open("Không thể xóa nợ cam kết")
        self.trigger_event(
            self.WrittenOff, reason=required_name("reason", reason, max_length=500), meta=meta
        )

    def _check_open(self, consequence: str) -> None:
        if self.status is not PledgeStatus.OPEN:
            raise PledgeClosed(
                f"Cam kết này {word(self.status)}. {consequence} nữa.",
                pledge_status=self.status.value,
            )
