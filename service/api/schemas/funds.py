"""Funds: opening one, closing a period, and the unit's report over a period."""

from __future__ import annotations

from service.api import fields
from service.api import validators as validate
from service.api.fields import Schema
from service.api.schemas.common import PeriodQuery, Text, VoucherDate, name, one_of
from service.domain.vocabulary import FundKind


class FundIn(Schema):
    unit_id = fields.UUID(required=True)
    name = name(required=True)
    kind = Text(required=True, validate=one_of(FundKind))


class PeriodCloseIn(Schema):
    through = VoucherDate(required=True)


class ReportQuery(PeriodQuery):
    include_children = fields.Boolean(load_default=False)
    format = Text(
        load_default="json",
        validate=validate.OneOf(["json", "csv", "csv-vi", "xlsx"]),
        metadata={
            "description": "csv: the figures by their JSON names, for programs; csv-vi and "
            "xlsx: for people, with Vietnamese headers, đồng as 1.024.230.000 đ, dates "
            "dd/mm/yyyy and the checkpoint the figures were read from."
        },
    )


class HoldingOut(Schema):
    currency = fields.String(metadata={"description": "ISO 4217 code."})
    held_in = fields.String(
        metadata={"description": "bank (account 1122) or cash (the cash box, 1112)."}
    )
    amount = fields.Integer(metadata={"description": "In the currency's minor units (USD: cents)."})
    carrying_value = fields.Integer(metadata={"description": "In đồng, at average cost."})
    shown = fields.String(metadata={"description": "As written: 100,00 USD."})


class FundOut(Schema):
    id = fields.String()
    unit_id = fields.String()
    name = fields.String()
    kind = fields.String()
    balance = fields.Integer()
    reserved = fields.Integer(metadata={"description": "Held for payments awaiting approval."})
    available = fields.Integer(
        metadata={"description": "What may be paid in đồng: the đồng held less the money reserved."}
    )
    dong = fields.Integer(
        metadata={"description": "The đồng held: the balance less the currency's carrying value."}
    )
    holdings = fields.List(
        fields.Nested(HoldingOut),
        metadata={"description": "Foreign currency held; the balance counts its carrying value."},
    )
    total_received = fields.Integer()
    total_in_kind = fields.Integer(metadata={"description": "Value of the goods received."})
    total_in_kind_out = fields.Integer(metadata={"description": "Value of the goods given out."})
    total_disbursed = fields.Integer()
    total_transferred_in = fields.Integer()
    total_transferred_out = fields.Integer()
    entries_count = fields.Integer()
    closed_through = fields.String(allow_none=True)
    position = fields.Integer()


class FundOpened(Schema):
    id = fields.String()
    unit_id = fields.String()
    name = fields.String()
    kind = fields.String()
    balance = fields.Integer()
    position = fields.Integer()


class PeriodClosedOut(Schema):
    fund_id = fields.String()
    closed_through = fields.String()
    position = fields.Integer()


class ReceiptsOut(Schema):
    total = fields.Integer()
    by_channel = fields.Dict(keys=fields.String(), values=fields.Integer())
    in_kind_value = fields.Integer()


class DisbursementsOut(Schema):
    total = fields.Integer()
    by_category = fields.Dict(keys=fields.String(), values=fields.Integer())
    in_kind_value = fields.Integer(metadata={"description": "Value of the goods given out."})


class StockItemOut(Schema):
    description = fields.String()
    unit = fields.String()
    quantity_in = fields.Integer()
    quantity_out = fields.Integer()
    quantity_held = fields.Integer()
    value_in = fields.Integer()
    value_out = fields.Integer()


class StockOut(Schema):
    fund_id = fields.String()
    items = fields.List(fields.Nested(StockItemOut))


class TransfersOut(Schema):
    in_ = fields.Integer(data_key="in", attribute="in")
    out = fields.Integer()


class CountsOut(Schema):
    houses_new_build = fields.Integer()
    houses_repair = fields.Integer()
    livelihood_grants = fields.Integer()
    households_supported = fields.Integer()
    students = fields.Integer()


class TargetKindOut(Schema):
    amount = fields.Integer()
    raised = fields.Integer()
    achievement_pct = fields.Float()


class TargetOut(Schema):
    amount = fields.Integer(
        metadata={
            "description": "The targets of the years the period touches; with the "
            "children, a unit without a target of its own counts its children's."
        }
    )
    raised = fields.Integer(
        metadata={"description": "Money received into funds of the kinds with a target."}
    )
    achievement_pct = fields.Float(metadata={"description": "raised ÷ amount, in percent."})
    by_fund_kind = fields.Dict(keys=fields.String(), values=fields.Nested(TargetKindOut))


class ForeignReportOut(Schema):
    currency = fields.String()
    received = fields.Integer(metadata={"description": "Minor units received."})
    received_dong = fields.Integer(metadata={"description": "Their đồng, in the receipts."})
    sold = fields.Integer(metadata={"description": "Minor units sold for đồng."})
    sold_dong = fields.Integer(metadata={"description": "The đồng received for them."})
    shown = fields.String(metadata={"description": "What was received: 100,00 USD."})


class ReportOut(Schema):
    unit_id = fields.String()
    from_ = fields.String(data_key="from", attribute="from")
    to = fields.String()
    include_children = fields.Boolean()
    opening_balance = fields.Integer()
    receipts = fields.Nested(ReceiptsOut)
    disbursements = fields.Nested(DisbursementsOut)
    transfers = fields.Nested(TransfersOut)
    foreign_currency = fields.List(
        fields.Nested(ForeignReportOut),
        metadata={"description": "The period's foreign currency, received and sold."},
    )
    exchange_difference = fields.Integer(
        metadata={"description": "Foreign currency sold: đồng received beyond its carrying value."}
    )
    closing_balance = fields.Integer()
    counts = fields.Nested(CountsOut)
    target = fields.Nested(TargetOut)
    position = fields.Integer()
