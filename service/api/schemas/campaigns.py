"""Campaigns (cuộc vận động): launching one, and its figures over the units that took part."""

from __future__ import annotations

from service.api import fields
from service.api import validators as validate
from service.api.fields import Schema
from service.api.schemas.common import (
    Cursor,
    Dong,
    PageQuery,
    Text,
    VoucherDate,
    name,
    optional_text,
)
from service.api.schemas.distributions import CountedOut
from service.domain.campaigns import CODE_PATTERN, MAX_DAYS


class CampaignIn(Schema):
    unit_id = fields.UUID(
        required=True,
        metadata={
            "description": "The unit that launches it; its funds and those below it may name it."
        },
    )
    name = name(required=True, metadata={"example": "Tết vì người nghèo 2026"})
    code = Text(
        required=True,
        validate=validate.Length(min=2, max=20),
        metadata={
            "example": "TET2026",
            "description": "One word of letters and digits, without diacritics (upper case "
            "is kept); unique among all campaigns, never changed. A donor may write it in a "
            "transfer's memo.",
            "pattern": CODE_PATTERN.replace("A-Z", "A-Za-z"),
        },
    )
    starts_on = VoucherDate(required=True)
    ends_on = VoucherDate(
        required=True,
        metadata={
            "description": f"On or after starts_on, at most {MAX_DAYS} days later. Receipts "
            "count in the campaign from starts_on to ends_on; payments from starts_on on."
        },
    )
    target = Dong(
        load_default=None,
        allow_none=True,
        metadata={"description": "What the campaign is to raise, in đồng."},
    )
    note = optional_text(1000)


class CampaignOut(Schema):
    id = fields.String()
    code = fields.String()
    name = fields.String()
    unit_id = fields.String()
    starts_on = fields.String()
    ends_on = fields.String()
    target = fields.Integer(allow_none=True)
    position = fields.Integer()


class CampaignsQuery(PageQuery):
    cursor = Cursor(numeric=False, load_default=None)


class CampaignUnitOut(Schema):
    unit_id = fields.String()
    unit_name = fields.String()
    level = fields.String()
    raised = fields.Integer(metadata={"description": "Money received naming the campaign."})
    in_kind_value = fields.Integer(metadata={"description": "Goods received, by value."})
    paid = fields.Integer(metadata={"description": "Money paid out naming the campaign."})
    goods_given = fields.Integer(metadata={"description": "Goods given out, by value."})


class CampaignFiguresOut(Schema):
    raised = fields.Integer()
    in_kind_value = fields.Integer()
    paid = fields.Integer()
    goods_given = fields.Integer()
    households_supported = fields.Integer()
    target = fields.Integer(allow_none=True)
    achievement_pct = fields.Float(
        allow_none=True, metadata={"description": "raised against target; null without one."}
    )
    counted = fields.Nested(
        CountedOut,
        metadata={"description": "The distributions given in the campaign, counted."},
    )
    units = fields.List(
        fields.Nested(CampaignUnitOut),
        metadata={"description": "Every unit whose funds recorded an entry naming it."},
    )


class CampaignDetail(CampaignOut):
    unit_name = fields.String()
    note = fields.String(allow_none=True)
    figures = fields.Nested(CampaignFiguresOut)
