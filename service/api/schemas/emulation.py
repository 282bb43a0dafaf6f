"""Targets that are not money (chỉ tiêu thi đua) and their achievement."""

from __future__ import annotations

from service.api import fields
from service.api import validators as validate
from service.api.fields import Schema
from service.api.schemas.common import ReadQuery, Text, one_of, year
from service.domain.vocabulary import EmulationTarget

_YEAR = validate.Range(min=1990, max=2100, error="Năm phải từ 1990 đến 2100.")


class EmulationTargetIn(Schema):
    year = fields.Integer(required=True, strict=True, validate=_YEAR)
    kind = Text(required=True, validate=one_of(EmulationTarget))
    amount = fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(min=0, max=1_000_000),
        metadata={"description": "Sessions, houses, or percent (cultural_families_pct, to 100)."},
    )
    reported = fields.Integer(
        load_default=None,
        allow_none=True,
        strict=True,
        validate=validate.Range(min=0, max=100),
        metadata={
            "description": "cultural_families_pct only: the share the unit reports; the "
            "others are counted from the records."
        },
    )


class EmulationTargetSetOut(Schema):
    unit_id = fields.String()
    year = fields.Integer()
    kind = fields.String()
    amount = fields.Integer()
    reported = fields.Integer(allow_none=True)
    position = fields.Integer()


class EmulationQuery(ReadQuery):
    year = year(required=True)


class EmulationItemOut(Schema):
    year = fields.Integer()
    kind = fields.String()
    target = fields.Integer()
    achieved = fields.Integer(allow_none=True)
    achievement_pct = fields.Float(allow_none=True)


class EmulationList(Schema):
    items = fields.List(fields.Nested(EmulationItemOut))
    position = fields.Integer()
