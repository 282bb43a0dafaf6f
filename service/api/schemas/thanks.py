"""Thanks to donors: letters and certificates for a gift, a donor's gifts over a period,
or every donor of an appeal above a threshold."""

from __future__ import annotations

from service.api import fields
from service.api import validators as validate
from service.api.fields import Schema
from service.api.schemas.common import Dong, Text, VoucherDate, one_of, optional_id
from service.domain.vocabulary import ThanksKind


class ThanksIn(Schema):
    kind = Text(load_default=ThanksKind.LETTER.value, validate=one_of(ThanksKind))
    entry_id = optional_id("One gift to thank for; or give donor_name, from and to.")
    donor_name = Text(
        load_default=None,
        allow_none=True,
        validate=validate.Length(min=1, max=200),
        metadata={"description": "A donor whose gifts to the fund from..to are thanked for."},
    )
    first = VoucherDate(data_key="from", load_default=None, allow_none=True)
    last = VoucherDate(data_key="to", load_default=None, allow_none=True)


class BulkThanksIn(Schema):
    kind = Text(load_default=ThanksKind.LETTER.value, validate=one_of(ThanksKind))
    first = VoucherDate(data_key="from", required=True)
    last = VoucherDate(data_key="to", required=True)
    threshold = Dong(
        required=True,
        metadata={"description": "Each named donor who gave at least this much in money."},
    )


class ThanksIssued(Schema):
    batch_id = fields.String()
    thanks_ids = fields.List(fields.String())
    count = fields.Integer()
    pdf = fields.String(metadata={"description": "Where the letters are read, a page each."})
    position = fields.Integer()


class ThanksOut(Schema):
    id = fields.String()
    batch_id = fields.String()
    fund_id = fields.String()
    fund_name = fields.String()
    kind = fields.String()
    donor_name = fields.String()
    amount = fields.Integer()
    entry_ids = fields.List(fields.String())
    first_on = fields.String()
    last_on = fields.String()
    issued_at = fields.String()
    issued_by = fields.String()
