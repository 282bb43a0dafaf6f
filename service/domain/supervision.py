"""Supervision (giám sát): a board's review of a fund or of a unit's period, the
findings (kiến nghị) it records, the reviewed unit's responses, and its conclusion.

A review is opened by an inspection or supervision board (an inspector's token)
and belongs to that board: only the board records findings and concludes it. The
reviewed unit answers each finding once. After the conclusion nothing more is
recorded in the review.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, cast
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate, AggregateCreated, AggregateEvent

from service.domain.actors import Meta
from service.domain.errors import (
    AlreadyResponded,
    FindingNotFound,
    InvalidInput,
    SupervisionConcluded,
)
from service.domain.text import required_name, required_text
from service.domain.vocabulary import Severity, SubjectKind, SupervisionStatus

#: The longest description, recommendation or response a finding may carry.
MAX_FINDING_TEXT = 4000
#: The longest conclusion of a review.
MAX_CONCLUSION = 8000
#: How many entries, or log positions, one finding may link.
MAX_LINKS = 100


@dataclass(frozen=True)
class Subject:
    """What a review is of: a fund (over a period, when one is given) or a unit's period.

    Stored as a kind, the id of the thing reviewed and an optional period, so that
    other kinds (house projects) can be added without changing the stored events.
    """

    kind: SubjectKind
    fund_id: UUID | None = None
    unit_id: UUID | None = None
    house_project_id: UUID | None = None
    period_from: date | None = None
    period_to: date | None = None

    def __post_init__(self) -> None:
        if self.kind is SubjectKind.FUND and self.fund_id is None:
            raise InvalidInput("subject.fund_id", "Hãy chọn quỹ được giám sát.")
        if self.kind is SubjectKind.HOUSE_PROJECT and self.house_project_id is None:
            raise InvalidInput("subject.house_project_id", "Hãy chọn công trình nhà được giám sát.")
        if self.kind is SubjectKind.PERIOD:
            if self.unit_id is None:
                raise InvalidInput("subject.unit_id", "Hãy chọn đơn vị được giám sát.")
            if self.period_from is None or self.period_to is None:
                raise InvalidInput(
                    "subject.from", "Giám sát theo kỳ cần ngày bắt đầu và ngày kết thúc."
                )
        if (self.period_from is None) != (self.period_to is None):
            raise InvalidInput(
                "subject.to",
                "Hãy ghi cả ngày bắt đầu và ngày kết thúc của kỳ, hoặc bỏ trống cả hai.",
            )
        if self.period_from and self.period_to and self.period_from > self.period_to:
            raise InvalidInput(
                "subject.to", "Ngày kết thúc của kỳ phải bằng hoặc sau ngày bắt đầu."
            )

    @property
    def subject_id(self) -> UUID | None:
        """The id of the thing reviewed; none for a period, which the unit names."""
        if self.kind is SubjectKind.FUND:
            return self.fund_id
        if self.kind is SubjectKind.HOUSE_PROJECT:
            return self.house_project_id
        return None


def subject_view(
    kind: str, subject_id: str | None, period_from: str | None, period_to: str | None
) -> dict[str, str | None]:
    """A review's subject as readers see it: its kind, the id under its own name, and
    the period."""
    return {
        "kind": kind,
        "fund_id": subject_id if kind == SubjectKind.FUND else None,
        "house_project_id": subject_id if kind == SubjectKind.HOUSE_PROJECT else None,
        "from": period_from,
        "to": period_to,
    }


@dataclass(frozen=True)
class Finding:
    """What a board found, how grave it is, what it recommends, and what it is about."""

    severity: Severity
    description: str
    recommendation: str | None = None
    fund_id: UUID | None = None
    entry_ids: tuple[UUID, ...] = ()
    positions: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        if len(self.entry_ids) > MAX_LINKS:
            raise InvalidInput(
                "entry_ids", f"Một kiến nghị chỉ được gắn tối đa {MAX_LINKS} bút toán."
            )
        if len(self.positions) > MAX_LINKS:
            raise InvalidInput(
                "positions", f"Một kiến nghị chỉ được gắn tối đa {MAX_LINKS} sự kiện."
            )
        if any(position < 1 for position in self.positions):
            raise InvalidInput("positions", "Vị trí trong nhật ký bắt đầu từ 1.")


class Supervision(Aggregate):
    """A board's review of one subject, held by the reviewed unit."""

    class Opened(AggregateCreated):
        unit_id: UUID
        unit_path: list[UUID]
        board_unit_id: UUID
        subject_kind: str
        subject_id: UUID | None
        period_from: date | None
        period_to: date | None
        title: str
        meta: Meta

    def __init__(
        self,
        unit_id: UUID,
        unit_path: list[UUID],
        board_unit_id: UUID,
        subject_kind: str,
        subject_id: UUID | None,
        period_from: date | None,
        period_to: date | None,
        title: str,
        meta: Meta,
    ) -> None:
        self.unit_id = unit_id
        self.unit_path = unit_path
        self.board_unit_id = board_unit_id
        self.subject_kind = subject_kind
        self.subject_id = subject_id
        self.period_from = period_from
        self.period_to = period_to
        self.title = title
        #: Each finding's id, and whether the unit has responded to it.
        self.responded: dict[UUID, bool] = {}
        self.conclusion: str | None = None

    @classmethod
    def open(
        cls,
        subject: Subject,
        unit_id: UUID,
        unit_path: list[UUID],
        board_unit_id: UUID,
        title: str,
        meta: Meta,
    ) -> Supervision:
        """Opens a review of ``subject``, held by the unit ``unit_id`` (the fund's unit, or
        the unit whose period is reviewed) and led by the board of ``board_unit_id``."""
        return cls._create(
            cls.Opened,
            id=uuid4(),
            unit_id=unit_id,
            unit_path=unit_path,
            board_unit_id=board_unit_id,
            subject_kind=subject.kind.value,
            subject_id=subject.subject_id,
            period_from=subject.period_from,
            period_to=subject.period_to,
            title=required_name("title", title),
            meta=meta,
        )

    @property
    def status(self) -> SupervisionStatus:
        return SupervisionStatus.OPEN if self.conclusion is None else SupervisionStatus.CONCLUDED

    # Events ----------------------------------------------------------------

    class FindingRecorded(AggregateEvent):
        finding_id: UUID
        severity: str
        description: str
        recommendation: str | None
        fund_id: UUID | None
        entry_ids: list[UUID]
        positions: list[int]
        meta: Meta

        def apply(self, aggregate: Any) -> None:
            cast(Supervision, aggregate).responded[self.finding_id] = False

    class ResponseRecorded(AggregateEvent):
        finding_id: UUID
        response: str
        meta: Meta

        def apply(self, aggregate: Any) -> None:
            cast(Supervision, aggregate).responded[self.finding_id] = True

    class Concluded(AggregateEvent):
        conclusion: str
        meta: Meta

        def apply(self, aggregate: Any) -> None:
            cast(Supervision, aggregate).conclusion = self.conclusion

    # Commands --------------------------------------------------------------

    def record_finding(self, finding: Finding, meta: Meta) -> UUID:
        """Records a finding; returns its id."""
        self.check_open()
        finding_id = uuid4()
        self.trigger_event(
            self.FindingRecorded,
            finding_id=finding_id,
            severity=finding.severity.value,
            description=required_text(
                "description", finding.description, max_length=MAX_FINDING_TEXT
            ),
            recommendation=(
                required_text("recommendation", finding.recommendation, max_length=MAX_FINDING_TEXT)
                if finding.recommendation and finding.recommendation.strip()
                else None
            ),
            fund_id=finding.fund_id,
            entry_ids=list(dict.fromkeys(finding.entry_ids)),
            positions=list(dict.fromkeys(finding.positions)),
            meta=meta,
        )
        return finding_id

    def record_response(self, finding_id: UUID, response: str, meta: Meta) -> None:
        """Records the reviewed unit's answer to a finding: one answer per finding."""
        if finding_id not in self.responded:
            raise FindingNotFound(
                "Cuộc giám sát này không có kiến nghị với mã này. Hãy kiểm tra lại mã.",
                finding_id=str(finding_id),
            )
        self.check_open()
        if self.responded[finding_id]:
            raise AlreadyResponded(
                "Đơn vị đã trả lời kiến nghị này rồi; mỗi kiến nghị chỉ trả lời một lần.",
                finding_id=str(finding_id),
            )
        self.trigger_event(
            self.ResponseRecorded,
            finding_id=finding_id,
            response=required_text("response", response, max_length=MAX_FINDING_TEXT),
            meta=meta,
        )

    def conclude(self, conclusion: str, meta: Meta) -> None:
        """Concludes the review; a conclusion is final."""
        if self.conclusion is not None:
            raise SupervisionConcluded("Cuộc giám sát này đã kết luận; không thể sửa kết luận.")
        self.trigger_event(
            self.Concluded,
            conclusion=required_text("conclusion", conclusion, max_length=MAX_CONCLUSION),
            meta=meta,
        )

    def check_open(self) -> None:
        """Refuses once the review is concluded."""
        if self.conclusion is not None:
            raise SupervisionConcluded("Cuộc giám sát này đã kết luận; không ghi thêm gì được nữa.")
