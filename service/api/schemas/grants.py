"""Livelihood grants: approved, delivered, followed up and closed."""

from __future__ import annotations

from service.api import fields
from service.api import validators as validate
from service.api.fields import Schema
from service.api.schemas.common import (
    MEETING,
    NO_MEETING,
    Dong,
    PageQuery,
    Text,
    VoucherDate,
    name,
    one_of,
    optional_id,
    optional_text,
)
from service.domain.grants import FOLLOW_UP_MONTHS, MAX_ATTRIBUTES
from service.domain.vocabulary import FollowUpStatus, GrantOutcome


class GrantIn(Schema):
    household_id = fields.UUID(required=True)
    item = name(required=True, metadata={"description": "What is given: Bò cái sinh sản..."})
    attributes = fields.Dict(
        keys=name(50),
        values=name(),
        load_default=dict,
        validate=validate.Length(max=MAX_ATTRIBUTES),
        metadata={"description": "What describes it: breed, age, make..., as texts."},
    )
    value = Dong(required=True)
    approved_on = VoucherDate(required=True, metadata={"description": "Not in the future."})
    note = optional_text(1000)
    meeting_id = optional_id(MEETING)
    no_meeting_reason = optional_text(1000, NO_MEETING)


class DeliveryIn(Schema):
    """A grant given in kind: goods with a value, no fund money."""

    on = VoucherDate(
        required=True,
        metadata={"description": "From the grant's previous step (approval, delivery) to today."},
    )
    value = Dong(
        load_default=None,
        allow_none=True,
        metadata={"description": "The goods' value; the approved value if not given."},
    )
    description = optional_text(300)
    note = optional_text(1000)


class EvidenceIn(Schema):
    evidence = fields.List(
        name(),
        required=True,
        validate=validate.Length(min=1, max=50),
        metadata={"description": "Photo references (sha256:<digest>) or papers' numbers."},
    )


class FollowUpIn(Schema):
    months = fields.Integer(
        strict=True,
        required=True,
        validate=validate.OneOf(FOLLOW_UP_MONTHS, error="Hãy chọn 3, 6 hoặc 12."),
    )
    on = VoucherDate(
        required=True,
        metadata={"description": "From the grant's previous step (approval, delivery) to today."},
    )
    status = Text(required=True, validate=one_of(FollowUpStatus))
    note = optional_text(1000)


class GrantClosureIn(Schema):
    outcome = Text(required=True, validate=one_of(GrantOutcome))
    on = VoucherDate(
        required=True,
        metadata={"description": "From the grant's previous step (approval, delivery) to today."},
    )
    note = optional_text(1000)


class GrantsQuery(PageQuery):
    unit_id = fields.UUID(
        load_default=None, metadata={"description": "Grants of this unit and the units below."}
    )
    status = Text(
        load_default=None,
        validate=validate.OneOf(["approved", "awaiting_approval", "delivered", "closed"]),
    )


class OverdueQuery(PageQuery):
    unit_id = fields.UUID(
        load_default=None,
        metadata={"description": "Follow-ups of this unit's grants and the units below."},
    )


class GrantWritten(Schema):
    id = fields.String()
    unit_id = fields.String()
    household_id = fields.String()
    item = fields.String()
    value = fields.Integer()
    status = fields.String(
        metadata={"description": "approved, awaiting_approval, delivered or closed"}
    )
    delivered_on = fields.String(allow_none=True)
    followed_up_months = fields.List(fields.Integer())
    outcome = fields.String(allow_none=True)
    meeting_id = fields.String(allow_none=True)
    no_meeting_reason = fields.String(allow_none=True)
    position = fields.Integer()


class FollowUpOut(Schema):
    months = fields.Integer()
    due_on = fields.String()
    followed_on = fields.String(allow_none=True)
    status = fields.String(allow_none=True)
    note = fields.String(allow_none=True)
    recorded_by = fields.String(allow_none=True)


class GrantOut(Schema):
    id = fields.String()
    unit_id = fields.String()
    household_id = fields.String()
    item = fields.String()
    attributes = fields.Dict(keys=fields.String(), values=fields.String())
    value = fields.Integer()
    approved_on = fields.String()
    note = fields.String(allow_none=True)
    status = fields.String()
    delivery = fields.String(allow_none=True, metadata={"description": "disbursement or in_kind"})
    delivered_on = fields.String(allow_none=True)
    delivered_value = fields.Integer(allow_none=True)
    fund_id = fields.String(allow_none=True)
    payment_id = fields.String(
        allow_none=True, metadata={"description": "The entry, or the payment awaiting approval."}
    )
    description = fields.String(allow_none=True)
    delivery_note = fields.String(allow_none=True)
    outcome = fields.String(allow_none=True)
    closed_on = fields.String(allow_none=True)
    close_note = fields.String(allow_none=True)
    follow_ups = fields.List(fields.Nested(FollowUpOut))
    evidence = fields.List(
        fields.String(), metadata={"description": "Papers and photos of the delivery."}
    )
    position = fields.Integer()


class OverdueOut(Schema):
    grant_id = fields.String()
    months = fields.Integer()
    due_on = fields.String()
    unit_id = fields.String()
    household_id = fields.String()
    item = fields.String()
    delivered_on = fields.String()
