"""Pledges: made, fulfilled by receipts, closed; and lists of them with their totals."""

from __future__ import annotations

from service.api import fields
from service.api import validators as validate
from service.api.fields import Schema
from service.api.schemas.common import (
    Dong,
    PageQuery,
    ReadQuery,
    Text,
    VoucherDate,
    name,
    one_of,
    optional_text,
)
from service.api.schemas.donors import DonorIn
from service.domain.vocabulary import PledgeStatus


class InstalmentIn(Schema):
    due_on = VoucherDate(required=True)
    amount = Dong(required=True)


class PledgeIn(Schema):
    donor = fields.Nested(DonorIn, required=True)
    amount = Dong(required=True)
    due_on = VoucherDate(
        load_default=None,
        allow_none=True,
        metadata={"description": "With instalments: the last one's due day."},
    )
    instalments = fields.List(
        fields.Nested(InstalmentIn),
        load_default=list,
        validate=validate.Length(max=120),
        metadata={
            "description": "In order of due day, no day twice; their amounts add up to amount."
        },
    )
    code = Text(
        load_default=None,
        allow_none=True,
        validate=validate.Length(min=1, max=40),
        metadata={
            "description": "What the donor writes in a transfer's memo (e.g. UH BAO LU); "
            "made up when not given. Unique in the fund; with a letter or a digit."
        },
    )
    note = optional_text(1000)


class PledgeCloseIn(Schema):
    reason = name(500, required=True)


class PledgesQuery(PageQuery):
    status = Text(load_default=None, validate=one_of(PledgeStatus))
    overdue = fields.Boolean(
        load_default=False, metadata={"description": "Only pledges with instalments overdue."}
    )
    as_of = VoucherDate(
        load_default=None, metadata={"description": "The day overdue is judged on; today."}
    )
    include_children = fields.Boolean(load_default=False)


class PledgeQuery(ReadQuery):
    as_of = VoucherDate(load_default=None)


class PledgeStateOut(Schema):
    pledge_id = fields.String()
    fund_id = fields.String()
    code = fields.String()
    amount = fields.Integer()
    fulfilled = fields.Integer()
    outstanding = fields.Integer()
    status = fields.String()


class PledgeWritten(PledgeStateOut):
    position = fields.Integer()


class InstalmentOut(Schema):
    due_on = fields.String()
    amount = fields.Integer()
    cumulative = fields.Integer(metadata={"description": "What is due by then in all."})


class FulfilmentOut(Schema):
    entry_id = fields.String()
    amount = fields.Integer(metadata={"description": "What the receipt fulfilled."})
    receipt_amount = fields.Integer()
    occurred_on = fields.String()
    slip_no = fields.Integer()
    slip_ref = fields.String()
    position = fields.Integer()
    reversed = fields.Boolean()


class PledgeOut(PledgeStateOut):
    unit_id = fields.String()
    donor = fields.Nested("DonorOut")
    due_on = fields.String(allow_none=True)
    overdue = fields.Integer(
        metadata={"description": "What was due before as_of (today) and is not yet given."}
    )
    note = fields.String(allow_none=True)
    made_at = fields.String()
    made_by = fields.String()
    closed_reason = fields.String(allow_none=True)
    closed_at = fields.String(allow_none=True)
    closed_by = fields.String(allow_none=True)
    moved_from_fund_id = fields.String(
        allow_none=True,
        metadata={"description": "The merged unit's fund the pledge was made to, if it moved."},
    )
    moved_on = fields.String(
        allow_none=True, metadata={"description": "The date of the merger it moved with."}
    )
    position = fields.Integer()


class PledgeDetail(PledgeOut):
    instalments = fields.List(fields.Nested(InstalmentOut))
    fulfilments = fields.List(fields.Nested(FulfilmentOut))


class PledgeTotalsOut(Schema):
    count = fields.Integer()
    amount = fields.Integer()
    fulfilled = fields.Integer()
    outstanding = fields.Integer()
    overdue = fields.Integer()
    overdue_count = fields.Integer()


class PledgePage(Schema):
    items = fields.List(fields.Nested(PledgeOut))
    totals = fields.Nested(PledgeTotalsOut)
    next_cursor = fields.String(allow_none=True)
