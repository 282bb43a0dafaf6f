"""Households: registered, categorised, erased, and the support each received."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, validates_schema

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
    optional_text,
)
from service.api.schemas.grants import GrantOut
from service.api.schemas.houses import HouseOut
from service.domain.vocabulary import HouseholdCategory


class CategoryPeriodIn(Schema):
    category = Text(required=True, validate=one_of(HouseholdCategory))
    since = VoucherDate(required=True)


class HouseholdIn(Schema):
    unit_id = fields.UUID(required=True)
    head_name = name(required=True, metadata={"description": "The head of household (chủ hộ)."})
    address = name(300, required=True)
    cccd = Text(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=20),
        metadata={
            "description": "The head's national ID number (12 digits, or 9 of an old ID "
            "card), where known; spaces, dots and dashes between the digits are ignored.",
            "pattern": r"^[ \t\n]*$|^[ .-]*([0-9][ .-]*){9}(([0-9][ .-]*){3})?$",
        },
    )
    phone = Text(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=20),
        metadata={
            "description": "9 to 11 digits, or +84 and the number without its 0; spaces, "
            "dots and dashes between the digits are ignored.",
            "pattern": r"^[ \t\n]*$|^[ .-]*(\+84[ .-]*([0-9][ .-]*){8,10}|([0-9][ .-]*){9,11})$",
        },
    )
    members_count = Count(most=50, required=True)
    categories = fields.List(
        fields.Nested(CategoryPeriodIn), load_default=list, validate=validate.Length(max=10)
    )
    duplicate_reason = optional_text(
        500, "Why this household is registered although it matches one already registered."
    )


class CategoryIn(Schema):
    category = Text(required=True, validate=one_of(HouseholdCategory))
    since = VoucherDate(
        load_default=None,
        metadata={"description": "Puts it in the category; give since or until, not both."},
    )
    until = VoucherDate(
        load_default=None,
        metadata={"description": "Takes it out of it; give since or until, not both."},
    )

    @validates_schema
    def since_or_until(self, data: dict[str, Any], **kwargs: Any) -> None:
        if (data.get("since") is None) == (data.get("until") is None):
            raise ValidationError(
                "Hãy ghi ngày bắt đầu (since) hoặc ngày kết thúc (until).", "since"
            )


class EscapeIn(Schema):
    on = VoucherDate(required=True, metadata={"description": "Not in the future."})
    note = optional_text(1000)


class ErasureIn(Schema):
    reason = name(500, required=True, metadata={"description": "The request this erasure answers."})


class HouseholdsQuery(PageQuery):
    unit_id = fields.UUID(
        load_default=None,
        metadata={"description": "Households of this unit and the units below it."},
    )
    category = Text(load_default=None, validate=one_of(HouseholdCategory))


class CategoryPeriodOut(Schema):
    category = fields.String()
    since = fields.String()
    until = fields.String(allow_none=True)


class HouseholdWritten(Schema):
    id = fields.String()
    unit_id = fields.String()
    members_count = fields.Integer()
    categories = fields.List(fields.Nested(CategoryPeriodOut))
    escaped_poverty_on = fields.String(allow_none=True)
    position = fields.Integer()


class HouseholdOut(HouseholdWritten):
    personal_data = fields.String(
        metadata={"description": "full, masked (for readers without the right) or erased"}
    )
    head_name = fields.String()
    address = fields.String(allow_none=True)
    cccd = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    duplicate_of = fields.List(fields.String())
    duplicate_reason = fields.String(allow_none=True)
    registered_at = fields.String()
    registered_by = fields.String()
    erased_at = fields.String(allow_none=True)


class ErasedOut(Schema):
    household_id = fields.String()
    erased = fields.Boolean()
    position = fields.Integer()


class StudentOut(Schema):
    name = fields.String(metadata={"description": "In full, masked, or marked erased."})
    school = fields.String()
    school_year = fields.String()


class SupportOut(Schema):
    entry_id = fields.String()
    fund_id = fields.String()
    fund_name = fields.String()
    unit_id = fields.String(metadata={"description": "The unit holding the fund."})
    occurred_on = fields.String()
    category = fields.String()
    amount = fields.Integer()
    house_project_id = fields.String(allow_none=True)
    grant_id = fields.String(allow_none=True)
    voucher_no = fields.String(allow_none=True)
    note = fields.String(allow_none=True)
    repeat_reason = fields.String(allow_none=True)
    student = fields.Nested(StudentOut, allow_none=True)
    reversed = fields.Boolean(metadata={"description": "Reversed: counted in no total."})
    position = fields.Integer()


class YearTotalsOut(Schema):
    total = fields.Integer()
    by_category = fields.Dict(keys=fields.String(), values=fields.Integer())


class HistoryTotalsOut(YearTotalsOut):
    by_year = fields.Dict(keys=fields.String(), values=fields.Nested(YearTotalsOut))


class HistoryOut(Schema):
    household = fields.Nested(HouseholdOut)
    disbursements = fields.List(fields.Nested(SupportOut))
    houses = fields.List(fields.Nested(HouseOut))
    grants = fields.List(fields.Nested(GrantOut))
    totals = fields.Nested(HistoryTotalsOut)
    position = fields.Integer()
