"""Poverty figures from the registry."""

from __future__ import annotations

from service.api import fields
from service.api.fields import Schema
from service.api.schemas.common import ReadQuery, year


class PovertyQuery(ReadQuery):
    year = year(required=True)


class EscapedWithinOut(Schema):
    within_1_years = fields.Integer()
    within_2_years = fields.Integer()
    within_3_years = fields.Integer()


class PovertyOut(Schema):
    unit_id = fields.String()
    year = fields.Integer()
    escaped_poverty = fields.Integer(
        metadata={"description": "Households that escaped in the year."}
    )
    fell_into_poverty = fields.Integer(
        metadata={"description": "Households whose poor period began in the year."}
    )
    fell_into_near_poverty = fields.Integer(
        metadata={"description": "Households whose near-poor period began in the year."}
    )
    poor_at_year_end = fields.Integer()
    near_poor_at_year_end = fields.Integer()
    first_supported = fields.Integer(
        metadata={"description": "Households whose first standing support fell in the year."}
    )
    first_supported_escaped = fields.Nested(
        EscapedWithinOut,
        metadata={"description": "Of them, those that escaped within 1, 2 and 3 years of it."},
    )
    position = fields.Integer()
