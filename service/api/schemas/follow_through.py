"""Supervision that follows through: the boards' year plans and the recommendations made
on findings, with their owner, deadline and status."""

from __future__ import annotations

from service.api import fields
from service.api import validators as validate
from service.api.fields import Schema
from service.api.schemas.common import PageQuery, Text, VoucherDate, name, one_of, prose
from service.domain.follow_through import MAX_MEMBERS, MAX_NOTE, MAX_RECOMMENDATION
from service.domain.vocabulary import RecommendationStatus


class PlanIn(Schema):
    unit_id = fields.UUID(
        required=True, metadata={"description": "The unit whose board plans the supervision."}
    )
    year = fields.Integer(required=True, validate=validate.Range(min=2000, max=2100))
    month = fields.Integer(required=True, validate=validate.Range(min=1, max=12))
    subject = name(500, required=True)
    members = fields.List(name(), required=True, validate=validate.Length(min=1, max=MAX_MEMBERS))


class PlanWritten(Schema):
    plan_id = fields.String()
    position = fields.Integer()


class PlanOut(Schema):
    id = fields.String()
    board_unit_id = fields.String()
    year = fields.Integer()
    month = fields.Integer()
    subject = fields.String()
    members = fields.List(fields.String())
    planned_at = fields.String()
    planned_by = fields.String()


class PlansQuery(Schema):
    unit_id = fields.UUID(
        load_default=None,
        metadata={"description": "Plans of this unit's board and of the boards below it."},
    )
    year = fields.Integer(load_default=None, validate=validate.Range(min=2000, max=2100))
    min_position = fields.Integer(load_default=0, validate=validate.Range(min=0, max=2**62))


class PlansOut(Schema):
    items = fields.List(fields.Nested(PlanOut))


class RecommendationIn(Schema):
    text = prose(MAX_RECOMMENDATION, required=True)
    owner = name(required=True, metadata={"description": "Who must carry it out."})
    deadline = VoucherDate(required=True)


class StatusIn(Schema):
    status = Text(
        required=True,
        validate=one_of([s for s in RecommendationStatus if s is not RecommendationStatus.OPEN]),
        metadata={
            "description": "in_progress or done (the reviewed unit or the board); verified "
            "(the board that made it, once done)."
        },
    )
    note = Text(load_default=None, allow_none=True, validate=validate.Length(max=MAX_NOTE))


class RecommendationWritten(Schema):
    recommendation_id = fields.String()
    status = fields.String()
    position = fields.Integer()


class RecommendationOut(Schema):
    id = fields.String()
    supervision_id = fields.String()
    finding_id = fields.String()
    unit_id = fields.String()
    board_unit_id = fields.String()
    text = fields.String()
    owner = fields.String()
    deadline = fields.String()
    status = fields.String()
    overdue = fields.Boolean()
    note = fields.String(allow_none=True)
    made_on = fields.String()
    changed_at = fields.String(allow_none=True)
    changed_by = fields.String(allow_none=True)


class RecommendationsQuery(PageQuery):
    unit_id = fields.UUID(
        load_default=None,
        metadata={"description": "Made to this unit or the units below it, or by their boards."},
    )
    overdue = fields.Boolean(
        load_default=False,
        metadata={"description": "Only those past their deadline and not carried out."},
    )
