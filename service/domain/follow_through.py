"""Supervision that follows through: a board's plan of the year's supervisions (subject,
month, members), and the recommendations (kiến nghị) made on a finding, each with the
one who must carry it out, a deadline and a status that moves from open to in progress
to done, and is verified by the board.

A recommendation is overdue when its deadline has passed and it is neither done nor
verified. The reviewed unit reports its progress (in progress, done); only the board that
made it verifies it, and only once it is done. Verification is final.
"""

from __future__ import annotations

from datetime import date
from typing import Any, cast
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate, AggregateCreated, AggregateEvent

from service.domain.actors import Meta
from service.domain.errors import InvalidInput, RecommendationClosed
from service.domain.text import required_name, required_text
from service.domain.vocabulary import RecommendationStatus

#: The longest recommendation, and the longest note on a change of status.
MAX_RECOMMENDATION = 4000
MAX_NOTE = 2000
#: How many members a planned supervision may name.
MAX_MEMBERS = 30
#: Statuses in which a recommendation counts as carried out.
CARRIED_OUT = {RecommendationStatus.DONE, RecommendationStatus.VERIFIED}
#: The statuses the reviewed unit may report, and the one the board gives.
REPORTED = {RecommendationStatus.IN_PROGRESS, RecommendationStatus.DONE}


def is_overdue(deadline: date, status: RecommendationStatus, today: date) -> bool:
    return status not in CARRIED_OUT and today > deadline


class PlannedSupervision(Aggregate):
    """One supervision in a board's plan of the year."""

    class Planned(AggregateCreated):
        board_unit_id: UUID
        unit_path: list[UUID]
        year: int
        month: int
        subject: str
        members: list[str]
        meta: Meta

    def __init__(
        self,
        board_unit_id: UUID,
        unit_path: list[UUID],
        year: int,
        month: int,
        subject: str,
        members: list[str],
        meta: Meta,
    ) -> None:
        self.board_unit_id = board_unit_id
        self.unit_path = unit_path
        self.year = year
        self.month = month
        self.subject = subject
        self.members = members

    @classmethod
    def plan(
        cls,
        board_unit_id: UUID,
        unit_path: list[UUID],
        year: int,
        month: int,
        subject: str,
        members: list[str],
        meta: Meta,
    ) -> PlannedSupervision:
        if not 1 <= month <= 12:
            raise InvalidInput("month", "Tháng là một số từ 1 đến 12.")
        names = [required_name("members", member) for member in members]
        if not names:
            raise InvalidInput("members", "Hãy ghi ít nhất một thành viên của đoàn giám sát.")
        if len(names) > MAX_MEMBERS:
            raise InvalidInput("members", f"Một đoàn giám sát ghi tối đa {MAX_MEMBERS} thành viên.")
        return cls._create(
            cls.Planned,
            id=uuid4(),
            board_unit_id=board_unit_id,
            unit_path=unit_path,
            year=year,
            month=month,
            subject=required_name("subject", subject, max_length=500),
            members=list(dict.fromkeys(names)),
            meta=meta,
        )


class Recommendation(Aggregate):
    """What a board recommends on one finding of a review, and how far it is carried out."""

    class Made(AggregateCreated):
        supervision_id: UUID
        finding_id: UUID
        unit_id: UUID
        unit_path: list[UUID]
        board_unit_id: UUID
        text: str
        owner: str
        deadline: date
        meta: Meta

    def __init__(
        self,
        supervision_id: UUID,
        finding_id: UUID,
        unit_id: UUID,
        unit_path: list[UUID],
        board_unit_id: UUID,
        text: str,
        owner: str,
        deadline: date,
        meta: Meta,
    ) -> None:
        self.supervision_id = supervision_id
        self.finding_id = finding_id
        self.unit_id = unit_id
        self.unit_path = unit_path
        self.board_unit_id = board_unit_id
        self.owner = owner
        self.deadline = deadline
        self.status = RecommendationStatus.OPEN

    @classmethod
    def make(
        cls,
        supervision_id: UUID,
        finding_id: UUID,
        unit_id: UUID,
        unit_path: list[UUID],
        board_unit_id: UUID,
        text: str,
        owner: str,
        deadline: date,
        meta: Meta,
    ) -> Recommendation:
        return cls._create(
            cls.Made,
            id=uuid4(),
            supervision_id=supervision_id,
            finding_id=finding_id,
            unit_id=unit_id,
            unit_path=unit_path,
            board_unit_id=board_unit_id,
            text=required_text("text", text, max_length=MAX_RECOMMENDATION),
            owner=required_name("owner", owner),
            deadline=deadline,
            meta=meta,
        )

    class StatusChanged(AggregateEvent):
        status: str
        note: str | None
        on: date
        meta: Meta

        def apply(self, aggregate: Any) -> None:
            cast(Recommendation, aggregate).status = RecommendationStatus(self.status)

    def change_status(
        self, status: RecommendationStatus, note: str | None, today: date, meta: Meta
    ) -> None:
        """Moves the recommendation on; ``verified`` only once it is done."""
        if self.status is RecommendationStatus.VERIFIED:
            raise RecommendationClosed(
                "Kiến nghị này đã được ban giám sát xác nhận hoàn thành; không đổi được nữa."
            )
        if status is RecommendationStatus.VERIFIED and self.status is not RecommendationStatus.DONE:
            raise RecommendationClosed(
                "Chỉ xác nhận được kiến nghị đơn vị đã báo hoàn thành. "
                "Hãy chờ đơn vị báo hoàn thành, hoặc đánh dấu hoàn thành trước."
            )
        if status is RecommendationStatus.OPEN:
            raise InvalidInput(
                "status", "Kiến nghị chỉ chuyển sang đang thực hiện, hoàn thành hoặc đã xác nhận."
            )
        self.trigger_event(
            self.StatusChanged,
            status=status.value,
            note=required_text("note", note, max_length=MAX_NOTE)
            if note and note.strip()
            else None,
            on=today,
            meta=meta,
        )
