"""Support counted as the reports count it: distributions, their counts by beneficiary
category, and the coverage of the registry."""

from __future__ import annotations

from service.api import fields
from service.api import validators as validate
from service.api.fields import Schema
from service.api.schemas.common import (
    Dong,
    PeriodQuery,
    Text,
    VoucherDate,
    name,
    one_of,
    optional_id,
)
from service.domain.distributions import MAX_COUNT
from service.domain.vocabulary import Category, HouseholdCategory


def _count(description: str) -> fields.Integer:
    return fields.Integer(
        load_default=0,
        strict=True,
        validate=validate.Range(min=0, max=MAX_COUNT),
        metadata={"description": description},
    )


class ReachIn(Schema):
    beneficiary = Text(required=True, validate=one_of(HouseholdCategory))
    packages = _count("Gift packages (suất quà).")
    household_times = _count("Household-times (lượt hộ): each household each time it got support.")
    people = _count("People reached.")


class DistributionIn(Schema):
    on = VoucherDate(
        required=True, metadata={"description": "Not in the future or a closed period."}
    )
    category = Text(required=True, validate=one_of(Category))
    title = name(required=True, metadata={"example": "Trao quà Tết Nguyên đán Ất Tỵ 2025"})
    lines = fields.List(
        fields.Nested(ReachIn),
        required=True,
        validate=validate.Length(min=1, max=len(HouseholdCategory)),
        metadata={"description": "One line per beneficiary category, each with a count."},
    )
    value = Dong(
        load_default=None,
        allow_none=True,
        metadata={"description": "What it was worth in all, in đồng, whoever paid for it."},
    )
    campaign_id = optional_id("The campaign it was given in.")


class DistributionWritten(Schema):
    id = fields.String()
    unit_id = fields.String()
    on = fields.String()
    category = fields.String()
    position = fields.Integer()


class SupportCountsQuery(PeriodQuery):
    include_children = fields.Boolean(load_default=False)


class CoverageQuery(PeriodQuery):
    category = Text(
        load_default=Category.TET_GIFT.value,
        validate=one_of(Category),
        metadata={"description": "The kind of support whose coverage is counted."},
    )


class CountsLineOut(Schema):
    packages = fields.Integer()
    household_times = fields.Integer()
    people = fields.Integer()


class CountedOut(Schema):
    distributions = fields.Integer()
    value = fields.Integer()
    totals = fields.Nested(CountsLineOut)
    by_beneficiary = fields.Dict(keys=fields.String(), values=fields.Nested(CountsLineOut))
    by_category = fields.Dict(keys=fields.String(), values=fields.Nested(CountsLineOut))


class SupportCountsOut(CountedOut):
    unit_id = fields.String()
    from_ = fields.String(data_key="from", attribute="from")
    to = fields.String()
    include_children = fields.Boolean()
    position = fields.Integer()


class CoverageLineOut(Schema):
    registered = fields.Integer(
        metadata={
            "description": "Households of the subtree in the category on a day of the period."
        }
    )
    reached = fields.Integer(
        metadata={"description": "Of them, those a standing payment of the category reached."}
    )
    coverage_pct = fields.Float(allow_none=True, metadata={"description": "null: none registered."})


class CoverageOut(Schema):
    unit_id = fields.String()
    from_ = fields.String(data_key="from", attribute="from")
    to = fields.String()
    category = fields.String()
    by_beneficiary = fields.Dict(keys=fields.String(), values=fields.Nested(CoverageLineOut))
    position = fields.Integer()
