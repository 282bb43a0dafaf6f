"""Supervision that follows through: the boards' year plans, and the recommendations made
on findings, carried out by the reviewed unit and verified by the board."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from service.application import loading
from service.application.engine import Changes, Request, Written
from service.application.loading import load
from service.application.roles import RESPONDERS, REVIEWERS
from service.application.supervision import SupervisionUseCases
from service.domain.actors import Meta
from service.domain.errors import FindingNotFound, Forbidden
from service.domain.follow_through import PlannedSupervision, Recommendation
from service.domain.vocabulary import RecommendationStatus


class FollowThroughUseCases(SupervisionUseCases):
    """Plans and recommendations of the inspection and supervision boards."""

    def recommendation(self, recommendation_id: UUID) -> Recommendation:
        return load(self.repository, recommendation_id, Recommendation, loading.RECOMMENDATION)

    def plan_supervision(
        self,
        request: Request,
        board_unit_id: UUID,
        year: int,
        month: int,
        subject: str,
        members: list[str],
    ) -> Written:
        def plan(meta: Meta, today: date) -> Changes:
            board = self._unit(board_unit_id, field="unit_id")
            request.actor.require(REVIEWERS, board.path, "lập kế hoạch giám sát")
            planned = PlannedSupervision.plan(
                board.id, list(board.path), year, month, subject, members, meta
            )
            return Changes([planned], {"plan_id": str(planned.id)})

        return self._write(request, plan)

    def make_recommendation(
        self,
        request: Request,
        supervision_id: UUID,
        finding_id: UUID,
        text: str,
        owner: str,
        deadline: date,
    ) -> Written:
        def make(meta: Meta, today: date) -> Changes:
            review = self._board_review(request, supervision_id, "đưa ra kiến nghị")
            if finding_id not in review.responded:
                raise FindingNotFound(
                    "Cuộc giám sát này không có phát hiện với mã này. Hãy kiểm tra lại mã.",
                    finding_id=str(finding_id),
                )
            made = Recommendation.make(
                review.id,
                finding_id,
                review.unit_id,
                list(review.unit_path),
                review.board_unit_id,
                text,
                owner,
                deadline,
                meta,
            )
            return Changes([made], {"recommendation_id": str(made.id), "status": made.status.value})

        return self._write(request, make)

    def change_recommendation_status(
        self,
        request: Request,
        recommendation_id: UUID,
        status: RecommendationStatus,
        note: str | None,
    ) -> Written:
        def change(meta: Meta, today: date) -> Changes:
            made = self.recommendation(recommendation_id)
            on_board = request.actor.role in REVIEWERS and request.actor.reaches(
                [made.board_unit_id]
            )
            if status is RecommendationStatus.VERIFIED and not on_board:
                raise Forbidden(
                    "Chỉ ban giám sát đã đưa ra kiến nghị mới được xác nhận hoàn thành."
                )
            if not on_board:
                request.actor.require(RESPONDERS, [made.unit_id], "báo tiến độ thực hiện kiến nghị")
            made.change_status(status, note, today, meta)
            return Changes([made], {"recommendation_id": str(made.id), "status": made.status.value})

        return self._write(request, change)
