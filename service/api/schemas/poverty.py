"""Poverty figures from the registry, the households of a unit, and the households
the members of a village's self-governing group look after."""

from __future__ import annotations

from service.api import fields
from service.api import validators as validate
from service.api.fields import Schema
from service.api.schemas.common import ReadQuery, name, year
from service.domain.units import MAX_HOUSEHOLDS, MAX_LOOKED_AFTER


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
    households = fields.Integer(
        allow_none=True,
        metadata={
            "description": "Every household of the unit in the year, as it recorded it (POST "
            "/units/{unit_id}/household-counts); null if it recorded none."
        },
    )
    poverty_rate_pct = fields.Float(
        allow_none=True,
        metadata={
            "description": "poor_at_year_end of households, a percent with two decimals, "
            "rounded half up; null without households."
        },
    )
    near_poverty_rate_pct = fields.Float(
        allow_none=True,
        metadata={"description": "near_poor_at_year_end of households, as poverty_rate_pct."},
    )
    first_supported = fields.Integer(
        metadata={"description": "Households whose first standing support fell in the year."}
    )
    first_supported_escaped = fields.Nested(
        EscapedWithinOut,
        metadata={"description": "Of them, those that escaped within 1, 2 and 3 years of it."},
    )
    position = fields.Integer()


class HouseholdCountIn(Schema):
    year = fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(min=1990, max=2100, error="Năm phải từ 1990 đến 2100."),
    )
    households = fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(min=1, max=MAX_HOUSEHOLDS),
        metadata={
            "description": "Every household of the unit and the units below it in the year "
            "(tổng số hộ), whether the funds serve it or not."
        },
    )


class HouseholdCountOut(Schema):
    unit_id = fields.String()
    year = fields.Integer()
    households = fields.Integer()
    position = fields.Integer()


class CaretakerIn(Schema):
    member = name(required=True, metadata={"example": "Nguyễn Văn Tâm, tổ viên tổ tự quản số 2"})
    household_ids = fields.List(
        fields.UUID(),
        required=True,
        validate=validate.Length(max=MAX_LOOKED_AFTER),
        metadata={"description": "The village's households the member looks after; [] ends."},
    )


class CaretakerWritten(Schema):
    unit_id = fields.String()
    member = fields.String()
    household_ids = fields.List(fields.String())
    position = fields.Integer()


class CaretakerOut(Schema):
    member = fields.String()
    household_ids = fields.List(fields.String())
    households = fields.Integer()


class CaretakerList(Schema):
    items = fields.List(fields.Nested(CaretakerOut))
    position = fields.Integer()
