"""Supervision by the Front's boards: reviews, findings, responses and conclusions."""

from __future__ import annotations

from service.api import fields
from service.api import validators as validate
from service.api.fields import Schema
from service.api.schemas.common import (
    Count,
    PageQuery,
    Text,
    VoucherDate,
    name,
    one_of,
    optional_id,
    optional_text,
    prose,
)
from service.domain.supervision import MAX_CONCLUSION, MAX_FINDING_TEXT, MAX_LINKS
from service.domain.vocabulary import Severity, SubjectKind, SupervisionStatus


class SubjectIn(Schema):
    kind = Text(required=True, validate=one_of(SubjectKind))
    fund_id = optional_id("Required when kind is fund.")
    unit_id = optional_id("Required when kind is period.")
    house_project_id = optional_id("Required when kind is house_project.")
    period_from = VoucherDate(
        data_key="from",
        load_default=None,
        allow_none=True,
        metadata={"description": "Given with to, or neither; required when kind is period."},
    )
    period_to = VoucherDate(
        data_key="to",
        load_default=None,
        allow_none=True,
        metadata={"description": "On or after from; given with from, or neither."},
    )


class SupervisionIn(Schema):
    subject = fields.Nested(SubjectIn, required=True)
    title = name(required=True)


class FindingIn(Schema):
    severity = Text(required=True, validate=one_of(Severity))
    description = prose(MAX_FINDING_TEXT, required=True)
    recommendation = optional_text(MAX_FINDING_TEXT)
    fund_id = optional_id()
    entry_ids = fields.List(
        fields.UUID(), load_default=list, validate=validate.Length(max=MAX_LINKS)
    )
    positions = fields.List(
        Count(most=2**62),
        load_default=list,
        validate=validate.Length(max=MAX_LINKS),
        metadata={"description": "Log positions of the events the finding is about."},
    )


class ResponseIn(Schema):
    response = prose(MAX_FINDING_TEXT, required=True)


class ConclusionIn(Schema):
    conclusion = prose(MAX_CONCLUSION, required=True)


class SupervisionsQuery(PageQuery):
    unit_id = fields.UUID(
        load_default=None,
        metadata={"description": "Reviews of this unit and the units below it."},
    )
    status = Text(load_default=None, validate=one_of(SupervisionStatus))


class SubjectOut(Schema):
    kind = fields.String()
    fund_id = fields.String(allow_none=True)
    house_project_id = fields.String(allow_none=True)
    from_ = fields.String(data_key="from", attribute="from", allow_none=True)
    to = fields.String(allow_none=True)


class SupervisionOpened(Schema):
    id = fields.String()
    unit_id = fields.String()
    board_unit_id = fields.String()
    subject = fields.Nested(SubjectOut)
    title = fields.String()
    status = fields.String()
    position = fields.Integer()


class SupervisionOut(SupervisionOpened):
    findings_count = fields.Integer()
    responses_count = fields.Integer()
    conclusion = fields.String(allow_none=True)
    opened_at = fields.String()
    opened_by = fields.String()
    concluded_at = fields.String(allow_none=True)
    concluded_by = fields.String(allow_none=True)


class FindingOut(Schema):
    id = fields.String(attribute="finding_id")
    severity = fields.String()
    description = fields.String()
    recommendation = fields.String(allow_none=True)
    fund_id = fields.String(allow_none=True)
    entry_ids = fields.List(fields.String())
    positions = fields.List(fields.Integer())
    recorded_at = fields.String()
    recorded_by = fields.String()
    response = fields.String(allow_none=True)
    responded_at = fields.String(allow_none=True)
    responded_by = fields.String(allow_none=True)
    position = fields.Integer()


class SupervisionDetail(SupervisionOut):
    findings = fields.List(fields.Nested(FindingOut))


class SupervisionWritten(Schema):
    supervision_id = fields.String()
    finding_id = fields.String()
    status = fields.String()
    position = fields.Integer()
