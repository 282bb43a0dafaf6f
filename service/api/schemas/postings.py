"""The double-entry books: the period asked for, the postings, an account's ledger, the
trial balance and the settlement of receipts and payments."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, validates_schema

from service.api import fields
from service.api import validators as validate
from service.api.fields import Schema
from service.api.schemas.common import ReadQuery, Text, VoucherDate
from service.api.schemas.exports import ExportCheckpointOut

_FORMATS = ["json", "csv-vi", "xlsx"]


class PeriodQuery(ReadQuery):
    date_from = VoucherDate(data_key="from", required=True)
    date_to = VoucherDate(
        data_key="to", required=True, metadata={"description": "On or after from."}
    )
    format = Text(
        load_default="json",
        validate=validate.OneOf(_FORMATS),
        metadata={"description": "csv-vi or xlsx: a file with Vietnamese headers."},
    )

    @validates_schema
    def period_is_in_order(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data["date_from"] > data["date_to"]:
            raise ValidationError("Ngày kết thúc của kỳ phải bằng hoặc sau ngày bắt đầu.", "to")


class JournalQuery(PeriodQuery):
    format = Text(
        load_default="json",
        validate=validate.OneOf([*_FORMATS, "misa"]),
        metadata={
            "description": "csv-vi or xlsx: the journal for people; misa: an XLSX of the "
            "postings as MISA's import of vouchers (nhập khẩu chứng từ) reads them."
        },
    )


class UnitPeriodQuery(PeriodQuery):
    include_children = fields.Boolean(load_default=False)


class PostingOut(Schema):
    posted_on = fields.String(metadata={"description": "The voucher date (ngày hạch toán)."})
    kind = fields.String(
        metadata={
            "description": "The event: receipt, disbursement, transfer_in, transfer_out, "
            "reversal, pledge_made, pledge_fulfilled, …"
        }
    )
    counts_as = fields.String(metadata={"description": "A reversal: what it reverses."})
    debit = fields.String(metadata={"description": "The debit account (TK Nợ)."})
    credit = fields.String(metadata={"description": "The credit account (TK Có)."})
    amount = fields.Integer(metadata={"description": "Đồng; negative on a reversal."})
    currency = fields.String(
        allow_none=True, metadata={"description": "The foreign currency the line moves."}
    )
    foreign_amount = fields.Integer(
        allow_none=True, metadata={"description": "In the currency's minor units."}
    )
    entry_id = fields.String(allow_none=True)
    reverses_entry_id = fields.String(allow_none=True)
    pledge_id = fields.String(allow_none=True)
    fund_id = fields.String()
    slip_ref = fields.String(allow_none=True)
    bank_ref = fields.String(allow_none=True)
    voucher_no = fields.String(allow_none=True)
    channel = fields.String(allow_none=True)
    category = fields.String(allow_none=True)
    donor_name = fields.String(allow_none=True)
    note = fields.String(allow_none=True)
    reason = fields.String(allow_none=True)
    counterparty_fund = fields.String(allow_none=True)
    position = fields.Integer()


class LedgerLineOut(PostingOut):
    contra_account = fields.String(metadata={"description": "Tài khoản đối ứng."})
    debit_amount = fields.Integer()
    credit_amount = fields.Integer()
    balance = fields.Integer(metadata={"description": "Debit less credit, after the line."})


class _Provenance(Schema):
    date_from = fields.String(data_key="from")
    date_to = fields.String(data_key="to")
    position = fields.Integer()
    data_position = fields.Integer(
        metadata={"description": "The log position of the last entry dated in the period."}
    )
    checkpoint = fields.Nested(ExportCheckpointOut, allow_none=True)


class JournalOut(_Provenance):
    fund_id = fields.String()
    items = fields.List(fields.Nested(PostingOut))
    total = fields.Integer(metadata={"description": "Debit = credit: the postings' sum."})


class AccountOut(Schema):
    code = fields.String()
    name = fields.String()
    group = fields.String(metadata={"description": "asset, liability or nominal."})


class AccountLedgerOut(_Provenance):
    fund_id = fields.String()
    account = fields.Nested(AccountOut)
    opening_balance = fields.Integer(metadata={"description": "Debit less credit."})
    period_debit = fields.Integer()
    period_credit = fields.Integer()
    closing_balance = fields.Integer()
    items = fields.List(fields.Nested(LedgerLineOut))


class TrialBalanceTotalsOut(Schema):
    opening_debit = fields.Integer()
    opening_credit = fields.Integer()
    period_debit = fields.Integer()
    period_credit = fields.Integer()
    closing_debit = fields.Integer()
    closing_credit = fields.Integer()


class TrialBalanceLineOut(TrialBalanceTotalsOut):
    account = fields.String()
    name = fields.String()
    group = fields.String()


class TrialBalanceOut(_Provenance):
    fund_id = fields.String()
    unit_id = fields.String()
    include_children = fields.Boolean()
    lines = fields.List(fields.Nested(TrialBalanceLineOut))
    totals = fields.Nested(TrialBalanceTotalsOut)
    balanced = fields.Boolean(metadata={"description": "Every pair of columns agrees."})


class _Amounts(Schema):
    total = fields.Integer()
    by_account = fields.Dict(keys=fields.String(), values=fields.Integer())


class _Goods(Schema):
    opening = fields.Integer()
    received = fields.Integer()
    given = fields.Integer()
    closing = fields.Integer()


class SettlementOut(_Provenance):
    fund_id = fields.String()
    opening_balance = fields.Integer()
    receipts = fields.Nested(_Amounts)
    transfers = fields.Dict(
        keys=fields.String(), values=fields.Integer(), metadata={"description": "in, out."}
    )
    payments = fields.Nested(_Amounts)
    exchange_difference = fields.Integer(
        metadata={"description": "Currency sold: gain (credit of 413) less loss (debit)."}
    )
    closing_balance = fields.Integer()
    goods = fields.Nested(_Goods)
    pledges_outstanding = fields.Integer()
