"""Donors and their gifts in kind, and a donor's history across funds."""

from __future__ import annotations

from service.api import fields
from service.api import validators as validate
from service.api.fields import Schema
from service.api.schemas.common import Count, PageQuery, Text, name, one_of
from service.api.schemas.thanks import ThanksOut
from service.domain.vocabulary import DonorKind


class DonorIn(Schema):
    name = Text(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=200),
        metadata={"description": "Required, and not blank, unless kind is anonymous."},
    )
    kind = Text(required=True, validate=one_of(DonorKind))


class InKindIn(Schema):
    description = name(required=True)
    quantity = Count(required=True)
    unit = name(50, required=True)


class DonorHistoryQuery(PageQuery):
    name = name(required=True, metadata={"description": "The donor's name, in any case."})


class DonorGiftOut(Schema):
    entry_id = fields.String()
    fund_id = fields.String()
    fund_name = fields.String()
    fund_kind = fields.String()
    position = fields.Integer()
    occurred_on = fields.String()
    amount = fields.Integer()
    channel = fields.String()
    donor_name = fields.String(metadata={"description": "As this receipt recorded it."})
    donor_kind = fields.String()
    slip_no = fields.Integer()
    slip_ref = fields.String()
    pledge_id = fields.String(allow_none=True)
    reversed = fields.Boolean()


class DonorTotalsOut(Schema):
    receipts = fields.Integer()
    funds = fields.Integer()
    money = fields.Integer()
    in_kind_value = fields.Integer()


class DonorHistoryPage(Schema):
    name = fields.String()
    totals = fields.Nested(DonorTotalsOut)
    items = fields.List(fields.Nested(DonorGiftOut))
    next_cursor = fields.String(allow_none=True)
    thanks = fields.List(
        fields.Nested(ThanksOut),
        metadata={"description": "The letters and certificates of thanks sent to the donor."},
    )


class DonorOut(Schema):
    name = fields.String(allow_none=True)
    kind = fields.String()


class InKindOut(Schema):
    description = fields.String()
    quantity = fields.Integer()
    unit = fields.String()
