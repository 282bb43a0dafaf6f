"""Supervision: reviews opened by an inspection board, their findings, the unit's
responses and the conclusion."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from uuid import UUID

from service.application.answers import finding_body, supervision_body
from service.application.core import LedgerCore
from service.application.engine import Changes, Request, Written
from service.application.roles import RESPONDERS, REVIEWERS
from service.domain.actors import Meta
from service.domain.errors import EntryNotFound, Forbidden, InvalidInput
from service.domain.funds import Fund
from service.domain.supervision import Finding, Subject, Supervision
from service.domain.vocabulary import SubjectKind


class SupervisionUseCases(LedgerCore):
    """The use cases of the inspection boards."""

    def open_supervision(self, request: Request, subject: Subject, title: str) -> Written:
        def open_(meta: Meta, today: date) -> Changes:
            unit_id, unit_path = self._subject_unit(subject)
            request.actor.require(REVIEWERS, unit_path, "mở cuộc giám sát")
            board = request.actor.unit_id or unit_id
            review = Supervision.open(subject, unit_id, unit_path, board, title, meta)
            return Changes([review], supervision_body(review))

        return self._write(request, open_)

    def record_finding(self, request: Request, supervision_id: UUID, finding: Finding) -> Written:
        def record(meta: Meta, today: date) -> Changes:
            review = self._board_review(request, supervision_id, "ghi kiến nghị")
            review.check_open()
            finding_id = review.record_finding(self._linked(review, finding), meta)
            return Changes([review], finding_body(review, finding_id))

        return self._write(request, record)

    def record_response(
        self, request: Request, supervision_id: UUID, finding_id: UUID, response: str
    ) -> Written:
        def respond(meta: Meta, today: date) -> Changes:
            review = self.supervision(supervision_id)
            request.actor.require(RESPONDERS, [review.unit_id], "trả lời kiến nghị")
            review.record_response(finding_id, response, meta)
            return Changes([review], finding_body(review, finding_id))

        return self._write(request, respond)

    def conclude_supervision(
        self, request: Request, supervision_id: UUID, conclusion: str
    ) -> Written:
        def conclude(meta: Meta, today: date) -> Changes:
            review = self._board_review(request, supervision_id, "kết luận cuộc giám sát")
            review.conclude(conclusion, meta)
            return Changes(
                [review], {"supervision_id": str(review.id), "status": review.status.value}
            )

        return self._write(request, conclude)

    def _subject_unit(self, subject: Subject) -> tuple[UUID, list[UUID]]:
        """The unit that holds what a review is of, and its path from the root."""
        if subject.kind is SubjectKind.FUND:
            assert subject.fund_id is not None
            fund = self._named_fund(subject.fund_id, "subject.fund_id")
            return fund.unit_id, fund.unit_path
        if subject.kind is SubjectKind.HOUSE_PROJECT:
            assert subject.house_project_id is not None
            house = self.house(subject.house_project_id, field="subject.house_project_id")
            return house.unit_id, house.unit_path
        assert subject.unit_id is not None
        unit = self._unit(subject.unit_id, field="subject.unit_id")
        return unit.id, unit.path

    def _board_review(self, request: Request, supervision_id: UUID, action: str) -> Supervision:
        review = self.supervision(supervision_id)
        request.actor.require(REVIEWERS, review.unit_path, action)
        if not request.actor.reaches([review.board_unit_id]):
            raise Forbidden(f"Chỉ ban đã mở cuộc giám sát này mới được {action}.")
        return review

    def _linked(self, review: Supervision, finding: Finding) -> Finding:
        """The finding with its links checked: entries of a fund under review, and
        positions of events in the log. A fund review's findings are about its fund."""
        fund_id = finding.fund_id
        if review.subject_kind == SubjectKind.FUND:
            fund_id = fund_id or review.subject_id
        if fund_id is not None:
            fund = self._reviewed_fund(review, fund_id)
            for entry_id in finding.entry_ids:
                try:
                    self._entry(fund, entry_id)
                except EntryNotFound:
                    raise InvalidInput(
                        "entry_ids", f"Quỹ “{fund.name}” không có bút toán {entry_id}."
                    ) from None
        elif finding.entry_ids:
            raise InvalidInput("fund_id", "Hãy chọn quỹ có các bút toán mà kiến nghị này gắn tới.")
        if finding.positions:
            head = int(self.recorder.max_notification_id() or 0)
            for position in finding.positions:
                if position > head:
                    raise InvalidInput(
                        "positions", f"Nhật ký kết thúc ở vị trí {head}; {position} vượt quá."
                    )
                stored = self.recorder.select_notifications(start=position, limit=1)
                if not stored or stored[0].id != position:
                    raise InvalidInput("positions", f"Không có sự kiện nào ở vị trí {position}.")
        return replace(finding, fund_id=fund_id)

    def _reviewed_fund(self, review: Supervision, fund_id: UUID) -> Fund:
        fund = self._named_fund(fund_id, "fund_id")
        if review.subject_kind == SubjectKind.FUND and fund.id != review.subject_id:
            raise InvalidInput(
                "fund_id",
                "Cuộc giám sát này là của quỹ khác; hãy gắn bút toán của quỹ đang được giám sát.",
            )
        if review.subject_kind == SubjectKind.HOUSE_PROJECT:
            # A house is often paid from a fund of the district or province above it.
            if review.unit_id not in fund.unit_path and fund.unit_id not in review.unit_path:
                raise InvalidInput(
                    "fund_id",
                    "Quỹ này không thuộc đơn vị nào ở trên hay dưới căn nhà được giám sát.",
                )
        elif review.unit_id not in fund.unit_path:
            raise InvalidInput(
                "fund_id", "Quỹ này không thuộc đơn vị được giám sát hay đơn vị cấp dưới của nó."
            )
        return fund
