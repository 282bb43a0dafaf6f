"""Questions from the people: asked without an account about a published entry or a
unit's disclosure, answered by the unit's board or treasurer."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from service.application import loading
from service.application.core import LedgerCore
from service.application.engine import Changes, Request, Written
from service.application.loading import load
from service.application.roles import QUESTION_ANSWERERS
from service.domain.actors import Meta
from service.domain.errors import EntryNotFound, InvalidInput
from service.domain.questions import Asking, Question, contact_text


class QuestionUseCases(LedgerCore):
    """Asking and answering."""

    def question(self, question_id: UUID) -> Question:
        return load(self.repository, question_id, Question, loading.QUESTION)

    def ask_question(self, request: Request, asking: Asking) -> Written:
        """Records a question; a contact left with it is sealed under the question's own
        key, so that destroying the key forgets it, as for a household's personal data."""
        question_id = Question.new_id()
        contact = contact_text(asking.contact)

        def ask(meta: Meta, today: date) -> Changes:
            if asking.entry_id is not None:
                assert asking.fund_id is not None
                fund = self._named_fund(asking.fund_id, "fund_id")
                try:
                    self._entry(fund, asking.entry_id)
                except EntryNotFound:
                    raise InvalidInput(
                        "entry_id", f"Quỹ “{fund.name}” không có khoản với mã này."
                    ) from None
                unit_id, unit_path = fund.unit_id, fund.unit_path
            else:
                assert asking.unit_id is not None
                unit = self._unit(asking.unit_id, field="unit_id")
                unit_id, unit_path = unit.id, unit.path
            sealed = None
            if contact is not None:
                self.keyring.create_key(question_id)
                sealed = self.keyring.seal(question_id, {"contact": contact})["contact"]
            question = Question.ask(
                question_id, asking, unit_id, list(unit_path), sealed, today, meta
            )
            return Changes(
                [question],
                {
                    "question_id": str(question.id),
                    "tracking_code": question.tracking_code,
                    "asked_on": question.asked_on.isoformat(),
                },
            )

        return self._write(request, ask)

    def answer_question(self, request: Request, question_id: UUID, answer: str) -> Written:
        def answer_(meta: Meta, today: date) -> Changes:
            question = self.question(question_id)
            request.actor.require(QUESTION_ANSWERERS, question.unit_path, "trả lời câu hỏi")
            question.record_answer(answer, meta)
            return Changes(
                [question],
                {"question_id": str(question.id), "tracking_code": question.tracking_code},
            )

        return self._write(request, answer_)
