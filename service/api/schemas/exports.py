"""A unit's yearly summary and the checkpoint an export was read from."""

from __future__ import annotations

from service.api import fields
from service.api import validators as validate
from service.api.fields import Schema
from service.api.schemas.common import ReadQuery, Text


class ExportQuery(ReadQuery):
    year = fields.Integer(required=True, validate=validate.Range(min=1990, max=2100))
    format = Text(
        load_default="json",
        validate=validate.OneOf(["json", "csv-vi", "xlsx"]),
        metadata={"description": "csv-vi or xlsx: a file with Vietnamese headers."},
    )


class SummaryQuery(ExportQuery):
    include_children = fields.Boolean(load_default=False)


class ExportCheckpointOut(Schema):
    tree_size = fields.Integer()
    root_hash = fields.String()
    made_at = fields.String()


class SummaryLineOut(Schema):
    opening_balance = fields.Integer()
    receipts = fields.Integer()
    in_kind_value = fields.Integer()
    disbursements = fields.Integer()
    transfers_in = fields.Integer()
    transfers_out = fields.Integer()
    closing_balance = fields.Integer()


class SummaryOut(Schema):
    unit_id = fields.String()
    year = fields.Integer()
    include_children = fields.Boolean()
    by_fund_kind = fields.Dict(keys=fields.String(), values=fields.Nested(SummaryLineOut))
    position = fields.Integer()
    checkpoint = fields.Nested(ExportCheckpointOut, allow_none=True)
