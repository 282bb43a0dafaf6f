"""Questions from the people: anyone asks about a published entry or a unit's disclosure
and follows it by its tracking code; the unit's board and treasurer answer."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint

from service.api.operation import WRITE_ERRORS, operation, write_request, written
from service.api.schemas import ReadQuery, page_of
from service.api.schemas.questions import (
    AnswerIn,
    PeopleCheckOut,
    PeopleCheckQuery,
    PublicQuestionOut,
    QuestionAnswered,
    QuestionAsked,
    QuestionIn,
    QuestionOut,
    QuestionsQuery,
)
from service.domain.errors import UnitNotFound
from service.domain.questions import Asking
from service.domain.vocabulary import QuestionKind
from service.projections import units as unit_view
from service.reads import follow_through as follow_read
from service.reads import fresh, page, within
from service.reads import questions as questions_read
from service.web.context import services

bp = Blueprint("questions", __name__)


@bp.post("/public/questions")
@operation(
    "Ask about a published entry",
    tag="public",
    body=QuestionIn,
    response=QuestionAsked,
    status=201,
    public=True,
    errors=(404, 422, 429),
)
def ask(body: dict[str, Any]) -> dict[str, Any]:
    """Asks a question about, or flags, a published entry (``fund_id`` and ``entry_id``) or
    a unit's disclosure (``unit_id``), without a token. A few questions a minute per
    address; screened for spam. Answers the tracking code to follow it."""
    asking = Asking(
        kind=QuestionKind(body["kind"]),
        text=body["text"],
        fund_id=body["fund_id"],
        entry_id=body["entry_id"],
        unit_id=body["unit_id"],
        contact=body["contact"],
    )
    return written(questions_read.ask(asking))


@bp.get("/public/questions/<code>")
@operation(
    "Follow a question",
    tag="public",
    query=ReadQuery,
    response=PublicQuestionOut,
    public=True,
    errors=(404, 422, 503),
)
def follow(code: str, query: dict[str, Any]) -> dict[str, Any]:
    """The question its tracking code follows, whether it is answered or overdue, and the
    answer; never the asker's contact."""
    with fresh(query) as (tx, _):
        return questions_read.tracked(tx, code)


@bp.get("/public/units/<uuid:unit_id>/people-check")
@operation(
    "Count a unit's questions and recommendations",
    tag="public",
    query=PeopleCheckQuery,
    response=PeopleCheckOut,
    public=True,
    errors=(404, 422, 503),
)
def people_check(unit_id: UUID, query: dict[str, Any]) -> dict[str, Any]:
    """What the unit's disclosure counts of the people check: questions asked in the
    period, answered, overdue today; recommendations made, carried out, overdue (of the
    units below it too, unless ``include_children`` is false)."""
    with fresh(query) as (tx, _):
        if unit_view.get(tx, str(unit_id)) is None:
            raise UnitNotFound(
                "Không có đơn vị nào với mã này. Hãy kiểm tra lại mã đơn vị.", unit_id=str(unit_id)
            )
        whole = query["include_children"]
        return {
            "unit_id": str(unit_id),
            "questions": questions_read.unit_counts(
                tx, str(unit_id), query["first"], query["last"], whole
            ),
            "recommendations": follow_read.unit_counts(tx, str(unit_id), whole),
        }


@bp.get("/questions")
@operation(
    "List the people's questions",
    tag="questions",
    query=QuestionsQuery,
    response=page_of(QuestionOut),
    errors=(401, 403, 422, 503),
)
def queue(query: dict[str, Any]) -> dict[str, Any]:
    """The questions about units this token reaches, oldest first (boards, treasurers and
    chairs); ``status`` open, answered or overdue."""
    questions_read.require_queue_reader()
    with fresh(query) as (tx, _):
        rows = questions_read.queue_page(
            tx,
            within(tx, query["unit_id"]),
            query["status"],
            query["cursor"] or 0,
            query["limit"] + 1,
        )
    shown = questions_read.staff_questions(rows)
    return page(shown, query["limit"], lambda r: r["asked_position"])


@bp.post("/questions/<uuid:question_id>/answer")
@operation(
    "Answer a question",
    tag="questions",
    body=AnswerIn,
    response=QuestionAnswered,
    status=201,
    errors=WRITE_ERRORS,
)
def answer(question_id: UUID, body: dict[str, Any]) -> dict[str, Any]:
    """Publishes the unit's answer beside the entry, once (its board, treasurer or chair)."""
    result = services().ledger.answer_question(write_request(), question_id, body["answer"])
    return written(result)
