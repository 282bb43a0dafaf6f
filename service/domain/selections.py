"""Bình xét: the meeting of a village (or any unit) that selects who is to be supported,
recorded before a house or a livelihood grant is approved: its date, how many attended,
who chaired it, the households put forward with the votes for and against each, and the
minutes as a document whose SHA-256 hash the log keeps. An approval names its meeting;
only where no meeting could be held (a disaster's emergency) does it state why instead.

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
from service.domain.text import normalise, required_name

#: The most people a meeting may record as attending, and households put forward.
MAX_ATTENDEES = 100_000
MAX_NOMINEES = 500
SHA256 = re.compile(r"^[0-9a-f]{64}$")
#: The longest reason an approval may give for naming no meeting.
MAX_REASON = 1000


def meeting_or_reason(meeting_id: UUID | None, no_meeting_reason: str | None) -> str | None:
    """What an approval of a house or a grant must carry: the bình xét meeting that
    selected its household, or, where none could be held (a disaster's emergency), the
    reason why, which the approval's event records. Returns the reason, normalised."""
    reason = normalise(no_meeting_reason or "") or None
    if meeting_id is None and reason is None:
        raise InvalidInput(
            "meeting_id",
            "Phê duyệt phải ghi cuộc họp bình xét đã chọn hộ này (meeting_id). Hãy ghi cuộc "
            "họp bình xét của thôn trước, rồi phê duyệt với mã cuộc họp; chỉ khi không thể "
            "họp (thiên tai, khẩn cấp) thì ghi lý do vào no_meeting_reason.",
        )
    if meeting_id is not None and reason is not None:
        raise InvalidInput(
            "no_meeting_reason",
            "Đã có cuộc họp bình xét thì không ghi lý do không họp. Hãy bỏ trống lý do.",
        )
    if reason is not None and len(reason) > MAX_REASON:
        raise InvalidInput("no_meeting_reason", f"Lý do tối đa {MAX_REASON} ký tự.")
    return reason


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
