"""Schemas of the books' answers: each line with the money it adds and the running
figure, and the total line under every column."""

from __future__ import annotations

from service.api import fields
from service.api.fields import Schema
from service.api.schemas.exports import ExportCheckpointOut


class BookLineOut(Schema):
    kind = fields.String(
        metadata={"description": "What the line counts as; a reversal, as what it reverses."}
    )
    reversal = fields.Boolean(metadata={"description": "The line reverses an earlier one."})
    reversed = fields.Boolean(metadata={"description": "A later line reverses this one."})
    slip_no = fields.Integer(allow_none=True)
    slip_ref = fields.String(
        allow_none=True,
        metadata={"description": "The cash slip: phiếu thu (PT-…) or phiếu chi (PC-…)."},
    )
    voucher_no = fields.String(allow_none=True)
    bank_ref = fields.String(
        allow_none=True,
        metadata={"description": "The bank's document: giấy báo Có or ủy nhiệm chi."},
    )
    occurred_on = fields.String()
    channel = fields.String(allow_none=True)
    category = fields.String(allow_none=True)
    account = fields.String(allow_none=True, metadata={"description": "cash, bank, or none."})
    donor_name = fields.String(allow_none=True)
    donor_kind = fields.String(allow_none=True)
    amount = fields.Integer()
    money = fields.Integer(metadata={"description": "Money the line adds (negative: reversal)."})
    goods_value = fields.Integer(metadata={"description": "Value of the goods it records."})
    money_in = fields.Integer(metadata={"description": "Cash and bank books: money in."})
    money_out = fields.Integer(metadata={"description": "Cash and bank books: money out."})
    running_total = fields.Integer(
        metadata={"description": "Receipts and payments books: the year's money so far."}
    )
    running_balance = fields.Integer(
        metadata={"description": "Cash and bank books: the account's balance after the line."}
    )
    in_kind_description = fields.String(allow_none=True)
    in_kind_quantity = fields.Integer(allow_none=True)
    in_kind_unit = fields.String(allow_none=True)
    note = fields.String(allow_none=True)
    reason = fields.String(allow_none=True)
    counterparty_fund_id = fields.String(allow_none=True)
    counterparty_fund = fields.String(allow_none=True)
    entry_id = fields.String()
    reverses_entry_id = fields.String(allow_none=True)
    position = fields.Integer()


class BookTotalsOut(Schema):
    money = fields.Integer()
    goods_value = fields.Integer()
    money_in = fields.Integer()
    money_out = fields.Integer()


class BookOut(Schema):
    fund_id = fields.String()
    year = fields.Integer()
    book = fields.String(
        metadata={
            "description": "receipts (sổ thu), payments (sổ chi), cash (sổ quỹ tiền mặt) "
            "or bank (sổ tiền gửi ngân hàng)."
        }
    )
    opening_balance = fields.Integer(
        metadata={"description": "The fund's money (cash and bank books: the account's)."}
    )
    total = fields.Integer(metadata={"description": "The money column's total line."})
    totals = fields.Nested(BookTotalsOut, metadata={"description": "Every column's total."})
    closing_balance = fields.Integer(allow_none=True)
    items = fields.List(fields.Nested(BookLineOut))
    position = fields.Integer()
    data_position = fields.Integer(
        metadata={"description": "The position of the last entry dated in the year."}
    )
    checkpoint = fields.Nested(
        ExportCheckpointOut,
        allow_none=True,
        metadata={"description": "The first signed checkpoint covering every line, if any."},
    )
