"""What anyone may read: a fund's statement, a gift's receipts by reference, and a
unit's disclosure."""

from __future__ import annotations

from service.api import fields
from service.api import validators as validate
from service.api.fields import Schema
from service.api.schemas.common import PageQuery, Text, VoucherDate
from service.api.schemas.funds import ReportOut, ReportQuery
from service.api.schemas.log import CheckpointOut, LeafOut
from service.domain.money import MAX_ENTRY_DONG


class StatementQuery(PageQuery):
    date_from = VoucherDate(data_key="from", load_default=None)
    date_to = VoucherDate(data_key="to", load_default=None)
    amount = fields.Integer(
        load_default=None,
        validate=validate.Range(min=1, max=MAX_ENTRY_DONG),
        metadata={"description": "Exactly this many đồng (digits only)."},
    )
    min_amount = fields.Integer(load_default=None, validate=validate.Range(min=1))
    max_amount = fields.Integer(load_default=None, validate=validate.Range(min=1))
    q = Text(
        load_default=None,
        validate=validate.Length(max=100),
        metadata={
            "description": "A fragment of the donor's name, the memo or a reference, "
            "compared without case or diacritics."
        },
    )
    format = Text(load_default="json", validate=validate.OneOf(["json", "csv"]))


class StatementItemOut(Schema):
    entry_id = fields.String()
    seq = fields.Integer()
    position = fields.Integer()
    slip_no = fields.Integer(allow_none=True)
    slip_ref = fields.String(allow_none=True)
    occurred_on = fields.String()
    recorded_at = fields.String()
    amount = fields.Integer(metadata={"description": "In đồng (a gift in a currency: its value)."})
    currency = fields.String(allow_none=True, metadata={"description": "A foreign currency."})
    foreign_amount = fields.Integer(
        allow_none=True, metadata={"description": "In the currency's minor units."}
    )
    amount_shown = fields.String(metadata={"description": "2.450.000 đ (100,00 USD)."})
    channel = fields.String()
    donor_name = fields.String(
        allow_none=True, metadata={"description": "Masked for a person on the public route."}
    )
    donor_kind = fields.String()
    memo = fields.String(
        allow_none=True,
        metadata={
            "description": "As the donor wrote it; on the public route account numbers and "
            "a person's name masked, an anonymous gift's not shown."
        },
    )
    bank_ref = fields.String(allow_none=True)
    in_kind = fields.Nested("InKindOut", allow_none=True)
    reversed = fields.Boolean()


class ForeignTotalOut(Schema):
    currency = fields.String()
    amount = fields.Integer(metadata={"description": "In the currency's minor units."})
    dong = fields.Integer(metadata={"description": "Their đồng value, counted in amount."})
    shown = fields.String()


class StatementTotalsOut(Schema):
    count = fields.Integer(metadata={"description": "Receipts that match, reversed ones too."})
    amount = fields.Integer(metadata={"description": "Their money, reversed receipts left out."})
    in_kind_value = fields.Integer(metadata={"description": "Their goods, by value, apart."})
    reversed_count = fields.Integer()
    reversed_amount = fields.Integer()
    foreign = fields.List(
        fields.Nested(ForeignTotalOut),
        metadata={"description": "The gifts in foreign currency among them, by currency."},
    )


class StatementPage(Schema):
    fund_id = fields.String()
    position = fields.Integer(metadata={"description": "The cut-off: the log position read."})
    totals = fields.Nested(StatementTotalsOut)
    items = fields.List(fields.Nested(StatementItemOut))
    next_cursor = fields.String(allow_none=True)


class PublicReceiptOut(Schema):
    entry_id = fields.String()
    fund_id = fields.String()
    fund_name = fields.String()
    unit_id = fields.String()
    unit_name = fields.String()
    amount = fields.Integer()
    occurred_on = fields.String()
    channel = fields.String()
    donor_name = fields.String(
        allow_none=True,
        metadata={"description": "masked for a person, in full for an organisation"},
    )
    donor_kind = fields.String()
    bank_ref = fields.String(allow_none=True)
    slip_no = fields.Integer()
    slip_ref = fields.String()
    reversed = fields.Boolean()
    leaf = fields.Nested(LeafOut)
    checkpoint = fields.Nested(CheckpointOut, allow_none=True)
    inclusion_proof = fields.List(fields.String(), allow_none=True)


class PublicReceipts(Schema):
    reference = fields.String()
    receipts = fields.List(fields.Nested(PublicReceiptOut))


class DisclosureQuery(ReportQuery):
    include_children = fields.Boolean(load_default=True)
    format = Text(load_default="json", validate=validate.OneOf(["json"]))


class DisclosureUnitOut(Schema):
    id = fields.String()
    name = fields.String()
    level = fields.String()
    code = fields.String(allow_none=True)


class MonthOut(Schema):
    month = fields.String(metadata={"description": "YYYY-MM"})
    receipts = fields.Integer()
    disbursements = fields.Integer()


class HousesByStageOut(Schema):
    by_stage = fields.Dict(keys=fields.String(), values=fields.Integer())
    cancelled = fields.Integer()


class SupportedHouseholdOut(Schema):
    name = fields.String(metadata={"description": "The head's name, masked."})
    unit_name = fields.String()
    amount = fields.Integer()
    entries = fields.Integer()


class DisclosureFundOut(Schema):
    id = fields.String()
    name = fields.String()
    kind = fields.String()
    balance = fields.Integer()


class DisclosureReportOut(ReportOut):
    class Meta:
        exclude = ("unit_id", "position")


class DisclosureOut(Schema):
    unit = fields.Nested(DisclosureUnitOut)
    parent = fields.Nested(DisclosureUnitOut, allow_none=True)
    children = fields.List(fields.Nested(DisclosureUnitOut))
    from_ = fields.String(data_key="from", attribute="from")
    to = fields.String()
    include_children = fields.Boolean()
    report = fields.Nested(DisclosureReportOut)
    monthly = fields.List(fields.Nested(MonthOut))
    houses = fields.Nested(HousesByStageOut)
    households = fields.List(fields.Nested(SupportedHouseholdOut))
    funds = fields.List(fields.Nested(DisclosureFundOut))
    position = fields.Integer()
