"""Questions from the people about published entries, and the unit's answers."""

from __future__ import annotations

from service.api import fields
from service.api import validators as validate
from service.api.fields import Schema
from service.api.schemas.common import PageQuery, Text, VoucherDate, one_of, optional_id, prose
from service.domain.questions import MAX_ANSWER, MAX_CONTACT, MAX_QUESTION
from service.domain.vocabulary import QuestionKind

#: What the queue may be filtered by.
QUEUE_STATUSES = ("open", "answered", "overdue")


class QuestionIn(Schema):
    kind = Text(
        load_default=QuestionKind.QUESTION.value,
        validate=one_of(QuestionKind),
        metadata={"description": "question: ask about it; flag: report it as wrong."},
    )
    text = prose(
        MAX_QUESTION,
        required=True,
        metadata={
            "description": "At least 10 characters; no links; no character repeated 8 times "
            "in a row; no word making up more than half of 6 words or more."
        },
    )
    fund_id = optional_id("The fund of the entry; required with entry_id.")
    entry_id = optional_id("The published entry asked about.")
    unit_id = optional_id("The unit whose disclosure is asked about, when no entry is named.")
    contact = Text(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=MAX_CONTACT),
        metadata={"description": "How to reach the asker, if they wish; sealed, never shown."},
    )


class QuestionAsked(Schema):
    question_id = fields.String()
    tracking_code = fields.String()
    asked_on = fields.String()
    position = fields.Integer()


class AnswerIn(Schema):
    answer = prose(MAX_ANSWER, required=True)


class QuestionAnswered(Schema):
    question_id = fields.String()
    tracking_code = fields.String()
    position = fields.Integer()


class PublicQuestionOut(Schema):
    tracking_code = fields.String()
    kind = fields.String()
    text = fields.String()
    asked_on = fields.String()
    fund_id = fields.String(allow_none=True)
    entry_id = fields.String(allow_none=True)
    unit_id = fields.String()
    status = fields.String(metadata={"description": "open or answered"})
    overdue = fields.Boolean()
    answer = fields.String(allow_none=True)
    answered_at = fields.String(allow_none=True)
    answered_role = fields.String(allow_none=True)


class QuestionOut(PublicQuestionOut):
    id = fields.String()
    contact_left = fields.Boolean()
    contact = fields.String(
        allow_none=True,
        metadata={"description": "Opened only for admins and tokens granted personal data."},
    )
    answered_by = fields.String(allow_none=True)


class QuestionsQuery(PageQuery):
    unit_id = fields.UUID(
        load_default=None,
        metadata={"description": "Questions about this unit and the units below it."},
    )
    status = Text(load_default=None, validate=validate.OneOf(QUEUE_STATUSES))


class QuestionCountsOut(Schema):
    asked = fields.Integer()
    answered = fields.Integer()
    overdue = fields.Integer()


class RecommendationCountsOut(Schema):
    made = fields.Integer()
    carried_out = fields.Integer()
    overdue = fields.Integer()


class PeopleCheckQuery(Schema):
    first = VoucherDate(data_key="from", required=True)
    last = VoucherDate(data_key="to", required=True)
    include_children = fields.Boolean(load_default=True)


class PeopleCheckOut(Schema):
    unit_id = fields.String()
    questions = fields.Nested(
        QuestionCountsOut,
        metadata={"description": "Asked in the period; answered; overdue today."},
    )
    recommendations = fields.Nested(
        RecommendationCountsOut,
        metadata={"description": "Made to the unit; carried out (done or verified); overdue."},
    )
