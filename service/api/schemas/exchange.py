"""Foreign currency: a sale of currency for đồng (a receipt's fields are ``currency``)."""

from __future__ import annotations

from service.api import fields
from service.api import validators as validate
from service.api.fields import Schema
from service.api.schemas.common import Dong, Text, VoucherDate, optional_text
from service.api.schemas.entries import BOOKED_DAY, EntryWritten
from service.api.schemas.funds import HoldingOut


class CurrencySaleIn(Schema):
    currency = Text(required=True, validate=validate.Length(min=3, max=3))
    amount = Dong(required=True, metadata={"description": "In the currency's minor units."})
    vnd_amount = Dong(required=True, metadata={"description": "The đồng received for it."})
    occurred_on = VoucherDate(required=True, metadata={"description": BOOKED_DAY})
    channel = Text(
        load_default="bank",
        validate=validate.OneOf(
            ["bank", "cash"], error="Hãy chọn bank (tài khoản ngoại tệ) hoặc cash (quỹ tiền mặt)."
        ),
    )
    bank_ref = optional_text(100)
    note = optional_text(1000)


class CurrencySaleWritten(EntryWritten):
    currency = fields.String()
    foreign_amount = fields.Integer()
    carrying_value = fields.Integer(metadata={"description": "The holding's cost taken out."})
    exchange_difference = fields.Integer(
        metadata={"description": "The đồng received less the carrying value: gain or (−) loss."}
    )
    dong = fields.Integer(metadata={"description": "The đồng the fund holds after the sale."})
    holdings = fields.List(fields.Nested(HoldingOut))
