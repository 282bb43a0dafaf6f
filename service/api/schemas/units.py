"""Units: their bodies, queries and answers; mergers, approval thresholds and fundraising
targets."""

from __future__ import annotations

from service.api import fields
from service.api import validators as validate
from service.api.fields import Schema
from service.api.schemas.common import (
    Cursor,
    Dong,
    PageQuery,
    ReadQuery,
    Text,
    VoucherDate,
    name,
    one_of,
    optional_id,
    optional_text,
)
from service.domain.vocabulary import FundKind, Level


class UnitIn(Schema):
    name = name(required=True)
    level = Text(required=True, validate=one_of(Level))
    parent_id = optional_id()
    code = optional_text(50)


class MergeIn(Schema):
    successor_id = fields.UUID(
        required=True,
        metadata={"description": "The unit that takes over: of the same level, or the parent."},
    )
    merged_on = VoucherDate(
        required=True,
        metadata={"description": "The day the merger takes effect (1 July 2025 nationally)."},
    )


class ApprovalThresholdIn(Schema):
    amount = Dong(
        minimum=0,
        required=True,
        allow_none=True,
        metadata={
            "description": "Disbursements and transfers above this many đồng wait for an "
            "approver; null: none wait."
        },
    )


class TargetIn(Schema):
    year = fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(min=1990, max=2100, error="Năm phải từ 1990 đến 2100."),
    )
    fund_kind = Text(required=True, validate=one_of(FundKind))
    amount = Dong(required=True, metadata={"description": "What the unit is to raise, in đồng."})


class UnitsQuery(PageQuery):
    cursor = Cursor(numeric=False, load_default=None)
    parent_id = fields.UUID(load_default=None)


class UnitOut(Schema):
    id = fields.String()
    name = fields.String()
    level = fields.String()
    parent_id = fields.String(allow_none=True)
    code = fields.String(allow_none=True)
    approval_threshold = fields.Integer(
        allow_none=True,
        metadata={"description": "Payments above this many đồng wait for an approver."},
    )
    merged_into_id = fields.String(
        allow_none=True, metadata={"description": "The successor of a merged unit."}
    )
    merged_on = fields.String(allow_none=True)
    position = fields.Integer()


class MovedCasesOut(Schema):
    households = fields.Integer()
    house_projects = fields.Integer()
    grants = fields.Integer()
    pledges = fields.Integer(
        metadata={"description": "Open pledges now owed to the successor's funds."}
    )


class MergedOut(Schema):
    unit_id = fields.String()
    successor_id = fields.String()
    merged_on = fields.String()
    funds = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        metadata={"description": "Each closed fund, and the successor's fund it went to."},
    )
    moved = fields.Nested(MovedCasesOut)
    position = fields.Integer()


class TargetsQuery(ReadQuery):
    year = fields.Integer(load_default=None, validate=validate.Range(min=1990, max=2100))


class AssignedTargetOut(Schema):
    unit_id = fields.String()
    year = fields.Integer()
    fund_kind = fields.String()
    amount = fields.Integer()
    assigned_at = fields.String()
    assigned_by = fields.String()
    position = fields.Integer()


class TargetList(Schema):
    items = fields.List(fields.Nested(AssignedTargetOut))
