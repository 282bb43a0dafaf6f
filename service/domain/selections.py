"""Bình xét: the meeting of a village (or any unit) that selects who is to be supported,
recorded before a house or a livelihood grant is approved: its date, how many attended,
who chaired it, the households put forward with the votes for and against each, and the
minutes as a document whose SHA-256 hash the log keeps. An approval names its meeting.

A household put forward is selected when more than half of those who attended voted for
it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate, AggregateCreated

from service.domain.actors import Meta
from service.domain.entries import EARLIEST_VOUCHER_DATE
from service.domain.errors import InvalidInput
from service.domain.text import required_name

#: The most people a meeting may record as attending, and households put forward.
MAX_ATTENDEES = 100_000
MAX_NOMINEES = 500
SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class Nominee:
    """A household put forward, and the votes for and against it."""

    household_id: UUID
    votes_for: int
    votes_against: int = 0


class SelectionMeeting(Aggregate):
    """A bình xét meeting of a unit."""

    class Held(AggregateCreated):
        unit_id: UUID
        unit_path: list[UUID]
        held_on: date
        purpose: str
        attendees: int
        chaired_by: str
        nominees: list[dict[str, Any]]
        minutes_sha256: str
        minutes_name: str
        meta: Meta

    def __init__(
        self,
        unit_id: UUID,
        unit_path: list[UUID],
        held_on: date,
        purpose: str,
        attendees: int,
        chaired_by: str,
        nominees: list[dict[str, Any]],
        minutes_sha256: str,
        minutes_name: str,
        meta: Meta,
    ) -> None:
        self.unit_id = unit_id
        self.held_on = held_on
        self.selected = frozenset(n["household_id"] for n in nominees if n["selected"])

    @classmethod
    def hold(
        cls,
        unit_id: UUID,
        unit_path: Sequence[UUID],
        held_on: date,
        today: date,
        purpose: str,
        attendees: int,
        chaired_by: str,
        nominees: Sequence[Nominee],
        minutes: tuple[str, str],
        meta: Meta,
    ) -> SelectionMeeting:
        """Records the meeting; ``minutes`` is the document's name and SHA-256 (hex)."""
        if not EARLIEST_VOUCHER_DATE <= held_on <= today:
            raise InvalidInput("held_on", "Ngày họp không được ở tương lai. Hãy nhập lại ngày.")
        if isinstance(attendees, bool) or not 1 <= attendees <= MAX_ATTENDEES:
            raise InvalidInput("attendees", "Số người dự họp phải từ 1 trở lên.")
        if not nominees:
            raise InvalidInput("nominees", "Cần ít nhất một hộ được đưa ra bình xét.")
        if len({n.household_id for n in nominees}) != len(nominees):
            raise InvalidInput("nominees", "Mỗi hộ chỉ ghi một lần trong danh sách bình xét.")
        name, digest = minutes
        if not SHA256.match(digest.lower()):
            raise InvalidInput(
                "minutes_sha256",
                "Mã băm biên bản phải là SHA-256 dạng 64 ký tự hex. Hãy tính lại từ tệp "
                "biên bản (ví dụ: sha256sum bien-ban.pdf).",
            )
        listed = []
        for i, nominee in enumerate(nominees):
            votes = (nominee.votes_for, nominee.votes_against)
            if any(isinstance(v, bool) or v < 0 for v in votes) or sum(votes) > attendees:
                raise InvalidInput(
                    f"nominees.{i}",
                    "Số phiếu tán thành và không tán thành phải từ 0 và cộng lại không quá "
                    "số người dự họp.",
                )
            listed.append(
                {
                    "household_id": str(nominee.household_id),
                    "votes_for": nominee.votes_for,
                    "votes_against": nominee.votes_against,
                    "selected": nominee.votes_for * 2 > attendees,
                }
            )
        return cls._create(
            cls.Held,
            id=uuid4(),
            unit_id=unit_id,
            unit_path=list(unit_path),
            held_on=held_on,
            purpose=purpose,
            attendees=attendees,
            chaired_by=required_name("chaired_by", chaired_by),
            nominees=listed,
            minutes_sha256=digest.lower(),
            minutes_name=required_name("minutes_name", name),
            meta=meta,
        )

    def check_names(self, household_id: UUID, approved_on: date) -> None:
        """Refuses an approval that names this meeting for a household it did not select,
        or dated before the meeting."""
        if str(household_id) not in self.selected:
            raise InvalidInput(
                "meeting_id",
                "Hộ này không được cuộc họp bình xét đó chọn (cần quá nửa số người dự họp "
                "tán thành). Hãy chọn đúng cuộc họp đã bình xét hộ này.",
            )
        if approved_on < self.held_on:
            raise InvalidInput(
                "meeting_id",
                f"Cuộc họp bình xét ngày {self.held_on:%d/%m/%Y} sau ngày phê duyệt "
                f"{approved_on:%d/%m/%Y}; phê duyệt phải sau khi bình xét.",
            )
