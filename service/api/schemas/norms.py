"""House support norms (định mức): set by a unit per kind of house and year."""

from __future__ import annotations

from service.api import fields
from service.api import validators as validate
from service.api.fields import Schema
from service.api.schemas.common import Dong, ReadQuery, Text, one_of
from service.domain.vocabulary import HouseKind


class HouseNormIn(Schema):
    year = fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(min=1990, max=2100, error="Năm phải từ 1990 đến 2100."),
        metadata={"description": "The year of the houses' approval."},
    )
    kind = Text(required=True, validate=one_of(HouseKind))
    least = Dong(
        load_default=None,
        allow_none=True,
        metadata={"description": "The usual least support, in đồng (shown, not enforced)."},
    )
    most = Dong(
        required=True,
        metadata={
            "description": "The most the fund gives for one house, in đồng: an approval above "
            "it needs a reason and an approver."
        },
    )


class HouseNormSetOut(Schema):
    unit_id = fields.String()
    year = fields.Integer()
    kind = fields.String()
    least = fields.Integer(allow_none=True)
    most = fields.Integer()
    position = fields.Integer()


class HouseNormsQuery(ReadQuery):
    year = fields.Integer(
        load_default=None,
        strict=False,
        validate=validate.Range(min=1990, max=2100, error="Năm phải từ 1990 đến 2100."),
    )


class HouseNormOut(Schema):
    year = fields.Integer()
    kind = fields.String()
    least = fields.Integer(allow_none=True)
    most = fields.Integer()
    set_by_unit_id = fields.String()
    set_by_unit_name = fields.String()


class HouseNormList(Schema):
    items = fields.List(fields.Nested(HouseNormOut))
    default_most = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        metadata={"description": "The ceiling by kind of house where no unit set a norm."},
    )
