"""Households (hộ): the families the funds exist for, their categories over time, and
the outcome the work is for, escaping poverty (thoát nghèo).

The head of household's name, the address, the national ID number (CCCD) and the
phone number are personal data: the events carry them only sealed (encrypted under
a key of the household's own, which erasure destroys), and beside them blind indexes
(keyed hashes) of their normalised forms, so that a household registered twice can be
found without reading anyone's data.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol, cast
from uuid import UUID

from eventsourcing.domain import Aggregate, AggregateCreated, AggregateEvent

from service.domain.actors import Meta
from service.domain.errors import (
    HouseholdErased,
    InvalidInput,
    PossibleDuplicate,
    RepeatedSupport,
)
from service.domain.lookalikes import latin_twins, skeleton
from service.domain.reorganisation import Movable, MovedToUnit, UnitContents
from service.domain.text import ascii_digits, normalise, required_name
from service.domain.vocabulary import HouseholdCategory
from service.domain.words import word

#: The most members a household may be registered with.
MAX_MEMBERS = 50
#: Categories that escaping poverty ends.
POVERTY = (HouseholdCategory.POOR, HouseholdCategory.NEAR_POOR)
#: Share of address words two addresses must have in common to be the same place.
ADDRESS_OVERLAP = 0.6
#: What readers see instead of the personal data of an erased household.
ERASED_NAME = "(đã xoá theo yêu cầu)"


@dataclass(frozen=True)
class PersonalData:
    """What identifies a household, normalised: NFC, single-spaced, without invisible
    characters; the CCCD and phone as ASCII digits only."""

    head_name: str
    address: str
    cccd: str | None = None
    phone: str | None = None

    @classmethod
    def of(
        cls, head_name: str, address: str, cccd: str | None = None, phone: str | None = None
    ) -> PersonalData:
        return cls(
            head_name=required_name("head_name", head_name),
            address=required_name("address", address, max_length=300),
            cccd=_digits(
                "cccd", cccd, (9, 12), "Số CCCD có 12 chữ số (CMND cũ có 9). Hãy nhập lại."
            ),
            phone=_digits(
                "phone", phone, (9, 10, 11), "Số điện thoại có 10 hoặc 11 chữ số. Hãy nhập lại."
            ),
        )

    def fields(self) -> dict[str, str]:
        """The fields to seal, by name; absent ones left out."""
        given = {"head_name": self.head_name, "address": self.address}
        if self.cccd:
            given["cccd"] = self.cccd
        if self.phone:
            given["phone"] = self.phone
        return given


def _digits(field: str, text: str | None, lengths: tuple[int, ...], hint: str) -> str | None:
    if text is None or not text.strip():
        return None
    digits = "".join(ascii_digits(text).split()).replace(".", "").replace("-", "")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    if not (digits.isascii() and digits.isdigit()) or len(digits) not in lengths:
        raise InvalidInput(field, hint)
    return digits


def fold(text: str) -> str:
    """Text as a matcher compares it: no diacritics (đ as d), lower case, words only."""
    stripped = "".join(
        ch
        for ch in unicodedata.normalize("NFD", normalise(text))
        if unicodedata.category(ch) != "Mn"
    )
    stripped = stripped.replace("đ", "d").replace("Đ", "D").casefold()
    return " ".join("".join(ch if ch.isalnum() else " " for ch in stripped).split())


def address_words(address: str) -> list[str]:
    """The distinct words of an address, folded, in order."""
    return list(dict.fromkeys(fold(address).split()))


def addresses_match(first: Sequence[str], second: Sequence[str]) -> bool:
    """Whether two addresses' word sets overlap enough to be the same place."""
    a, b = set(first), set(second)
    if not a or not b:
        return False
    return len(a & b) / min(len(a), len(b)) >= ADDRESS_OVERLAP and len(a & b) >= 2


class Keyring(Protocol):
    """Seals personal data under each household's own key, and blinds it for matching."""

    def create_key(self, household_id: UUID) -> None: ...

    def seal(self, household_id: UUID, fields: dict[str, str]) -> dict[str, str]: ...

    def blind(self, purpose: str, text: str) -> str: ...

    def destroy_key(self, household_id: UUID) -> bool: ...


@dataclass(frozen=True)
class Match:
    """A household already registered that may be the same family, and why."""

    household_id: UUID
    matched_on: tuple[str, ...]


class CaseIndex(Protocol):
    """What the read models know that a write must check against."""

    def household_matches(
        self, cccd: str | None, name: str, address: Sequence[str], legacy_name: str | None = None
    ) -> list[Match]: ...

    def prior_support(
        self, household_id: UUID, category: str, year: int, student_key: str | None = None
    ) -> list[UUID]: ...

    def unit_contents(self, unit_id: UUID) -> UnitContents: ...

    def books_closed_through(self, unit_ids: Sequence[UUID]) -> date | None: ...

    def pledge_codes(self, fund_id: UUID) -> set[str]: ...


@dataclass(frozen=True)
class Blinded:
    """The blind indexes of a household's identifying data: the name by its confusable
    skeleton (``name_skeleton``); ``legacy_name`` is how the name compares with the index
    that households registered before skeletons keep (``name``: folded, diacritics gone)."""

    cccd: str | None
    name: str
    address: list[str]
    legacy_name: str | None = None

    @classmethod
    def of(cls, data: PersonalData, keyring: Keyring) -> Blinded:
        return cls(
            cccd=keyring.blind("cccd", data.cccd) if data.cccd else None,
            name=keyring.blind("name_skeleton", skeleton(data.head_name)),
            address=[
                keyring.blind("address", word) for word in address_words(latin_twins(data.address))
            ],
            legacy_name=keyring.blind("name", fold(latin_twins(data.head_name))),
        )


def check_not_duplicate(matches: Sequence[Match], reason: str | None) -> str | None:
    """Refuses a registration that matches others unless a reason to go on is given;
    returns the reason, normalised, when there are matches."""
    if not matches:
        return None
    reason = normalise(reason or "")
    if not reason:
        raise PossibleDuplicate(
            "Đã có hộ cùng số CCCD, hoặc cùng tên ở cùng địa chỉ. Hãy xem các hộ trùng "
            "(candidates); nếu vẫn muốn đăng ký hộ này, hãy ghi lý do vào duplicate_reason.",
            candidates=[
                {"household_id": str(m.household_id), "matched_on": list(m.matched_on)}
                for m in matches
            ],
        )
    return reason


def check_not_repeated(prior: Sequence[UUID], reason: str | None) -> str | None:
    """Refuses support that repeats (same household, category and year, from any fund)
    unless a reason is given; returns the reason, normalised, when it repeats."""
    if not prior:
        return None
    reason = normalise(reason or "")
    if not reason:
        raise RepeatedSupport(
            "Hộ này đã nhận hỗ trợ thuộc nhóm này trong năm nay. Nếu vẫn muốn ghi, "
            "hãy ghi lý do vào repeat_reason.",
            entry_ids=[str(entry_id) for entry_id in prior],
        )
    return reason


class Household(Aggregate, Movable):
    """A household registered by a unit, with its categories over time."""

    class Registered(AggregateCreated):
        unit_id: UUID
        unit_path: list[UUID]
        #: head_name, address, cccd and phone as ciphertext; absent fields left out.
        sealed: dict[str, str]
        #: Blind indexes: cccd, the name's skeleton (``name`` folded, in households
        #: registered before skeletons), and each word of the address.
        blind: dict[str, Any]
        members_count: int
        duplicate_of: list[UUID]
        duplicate_reason: str | None
        meta: Meta

    class Moved(MovedToUnit):
        """The household belongs to the successor of its merged unit."""

    def __init__(
        self,
        unit_id: UUID,
        unit_path: list[UUID],
        sealed: dict[str, str],
        blind: dict[str, Any],
        members_count: int,
        duplicate_of: list[UUID],
        duplicate_reason: str | None,
        meta: Meta,
    ) -> None:
        self.unit_id = unit_id
        self.unit_path = unit_path
        self.members_count = members_count
        #: Each category's periods as [since, until or None], in the order applied.
        self.categories: dict[str, list[list[date | None]]] = {}
        self.escaped_on: date | None = None
        self.erased = False

    @classmethod
    def register(
        cls,
        household_id: UUID,
        unit_id: UUID,
        unit_path: list[UUID],
        sealed: dict[str, str],
        blinded: Blinded,
        members_count: int,
        matches: Sequence[Match],
        duplicate_reason: str | None,
        meta: Meta,
    ) -> Household:
        if isinstance(members_count, bool) or not 1 <= members_count <= MAX_MEMBERS:
            raise InvalidInput("members_count", f"Một hộ có từ 1 đến {MAX_MEMBERS} nhân khẩu.")
        return cls._create(
            cls.Registered,
            id=household_id,
            unit_id=unit_id,
            unit_path=unit_path,
            sealed=sealed,
            blind={
                "cccd": blinded.cccd,
                "name_skeleton": blinded.name,
                "address": blinded.address,
            },
            members_count=members_count,
            duplicate_of=[m.household_id for m in matches],
            duplicate_reason=duplicate_reason,
            meta=meta,
        )

    def in_category(self, category: str, on: date) -> bool:
        """Whether the household was in ``category`` on the day ``on``."""
        return any(
            since is not None and since <= on and (until is None or on <= until)
            for since, until in self.categories.get(category, [])
        )

    def open_category(self, category: str) -> bool:
        periods = self.categories.get(category, [])
        return bool(periods) and periods[-1][1] is None

    # Events ----------------------------------------------------------------

    class CategoryApplied(AggregateEvent):
        category: str
        since: date
        meta: Meta

        def apply(self, aggregate: Any) -> None:
            household = cast(Household, aggregate)
            periods = household.categories.get(self.category, [])
            household.categories = {
                **household.categories,
                self.category: [*periods, [self.since, None]],
            }

    class CategoryEnded(AggregateEvent):
        category: str
        until: date
        meta: Meta

        def apply(self, aggregate: Any) -> None:
            household = cast(Household, aggregate)
            periods = household.categories[self.category]
            household.categories = {
                **household.categories,
                self.category: [*periods[:-1], [periods[-1][0], self.until]],
            }

    class EscapedPoverty(AggregateEvent):
        on: date
        note: str | None
        meta: Meta

        def apply(self, aggregate: Any) -> None:
            cast(Household, aggregate).escaped_on = self.on

    class Erased(AggregateEvent):
        """The household's key was destroyed on a lawful request: its sealed data can no
        longer be read by anyone. The event itself carries no personal data."""

        reason: str
        meta: Meta

        def apply(self, aggregate: Any) -> None:
            cast(Household, aggregate).erased = True

    # Commands --------------------------------------------------------------

    def apply_category(
        self, category: HouseholdCategory, since: date, today: date, meta: Meta
    ) -> None:
        self.check_not_erased()
        if since > today:
            raise InvalidInput(
                "since", "Không thể xếp diện từ một ngày trong tương lai. Hãy nhập lại ngày."
            )
        periods = self.categories.get(category.value, [])
        if self.open_category(category.value):
            raise InvalidInput("since", f"Hộ đang thuộc diện “{word(category)}” rồi.")
        last_until = periods[-1][1] if periods else None
        if last_until is not None and since <= last_until:
            raise InvalidInput(
                "since",
                f"Diện “{word(category)}” của hộ kết thúc ngày {last_until:%d/%m/%Y}; "
                "hãy chọn ngày bắt đầu sau ngày đó.",
            )
        self.trigger_event(self.CategoryApplied, category=category.value, since=since, meta=meta)

    def end_category(
        self, category: HouseholdCategory, until: date, today: date, meta: Meta
    ) -> None:
        self.check_not_erased()
        if not self.open_category(category.value):
            raise InvalidInput("category", f"Hộ không thuộc diện “{word(category)}”.")
        since = self.categories[category.value][-1][0]
        assert since is not None
        if until < since or until > today:
            raise InvalidInput("until", f"Ngày kết thúc phải từ {since:%d/%m/%Y} đến hôm nay.")
        self.trigger_event(self.CategoryEnded, category=category.value, until=until, meta=meta)

    def escape_poverty(self, on: date, note: str | None, today: date, meta: Meta) -> None:
        """Records that the household escaped poverty; ends its poor or near-poor category."""
        self.check_not_erased()
        if on > today:
            raise InvalidInput("on", "Ngày không được ở tương lai. Hãy nhập lại ngày.")
        open_ = [c for c in POVERTY if self.open_category(c.value)]
        if not open_:
            raise InvalidInput("on", "Hộ không thuộc diện hộ nghèo hay hộ cận nghèo.")
        for category in open_:
            self.end_category(category, on, today, meta)
        self.trigger_event(
            self.EscapedPoverty, on=on, note=normalise(note or "") or None, meta=meta
        )

    def erase(self, reason: str, meta: Meta) -> None:
        self.check_not_erased()
        reason = normalise(reason)
        if not reason:
            raise InvalidInput("reason", "Hãy ghi yêu cầu xóa dữ liệu mà việc xóa này đáp ứng.")
        self.trigger_event(self.Erased, reason=reason, meta=meta)

    def check_not_erased(self) -> None:
        if self.erased:
            raise HouseholdErased(
                "Dữ liệu cá nhân của hộ này đã bị xóa theo yêu cầu; không ghi thêm gì "
                "cho hộ này được nữa.",
                household_id=str(self.id),
            )
