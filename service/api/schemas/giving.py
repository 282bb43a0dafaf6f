"""Shapes of live giving: a fund's giving account and VietQR code, the answers to bank
notifications, and the treasurer's queue of notified credits."""

from __future__ import annotations

from service.api import fields, validators
from service.api.fields import Schema
from service.api.schemas.common import ReadQuery, name, page_of
from service.projections.giving import STATES


class GivingAccountIn(Schema):
    bank_bin = fields.String(
        required=True,
        validate=validators.Length(equal=6),
        metadata={"description": "The bank's BIN (six digits NAPAS gives it), e.g. 970436."},
    )
    account_number = fields.String(
        required=True,
        validate=validators.Length(min=1, max=19),
        metadata={"description": "The account gifts are transferred into."},
    )
    account_name = name(
        required=True, metadata={"description": "The name the bank holds the account under."}
    )


class GivingAccountOut(Schema):
    fund_id = fields.String()
    bank_bin = fields.String()
    account_number = fields.String()
    account_name = fields.String()
    memo_code = fields.String(
        metadata={"description": "The code a transfer's memo carries to name the fund."}
    )
    position = fields.Integer()


class VietQROut(Schema):
    """A VietQR code: what a banking app reads from it, and the payload to draw."""

    payload = fields.String(metadata={"description": "The EMVCo/NAPAS payload, CRC included."})
    bank_bin = fields.String()
    account_number = fields.String()
    account_name = fields.String()
    memo_code = fields.String()
    memo = fields.String(metadata={"description": "The memo the code fills in."})
    amount = fields.Integer(allow_none=True)


class NotificationOut(Schema):
    """What became of each transaction a notification reported."""

    success = fields.Boolean(metadata={"description": "Always true: the delivery is taken."})
    transactions = fields.List(fields.Dict())


class CreditsQuery(ReadQuery):
    state = fields.String(
        load_default="unassigned",
        validate=validators.OneOf(STATES),
        metadata={
            "description": "unassigned: no pledge named; unreconciled: no bank-file line "
            "yet; missing: a bank file covering its date did not list it; all."
        },
    )


class NotifiedCreditOut(Schema):
    id = fields.String()
    fund_id = fields.String()
    source = fields.String()
    transaction_id = fields.String()
    entry_id = fields.String()
    amount = fields.Integer()
    occurred_on = fields.String()
    reference = fields.String(allow_none=True)
    held = fields.Boolean()
    pledge_id = fields.String(allow_none=True)
    named = fields.String(allow_none=True)
    line_key = fields.String(allow_none=True)
    missing_from = fields.String(allow_none=True)
    missing_to = fields.String(allow_none=True)
    received_at = fields.String()


NotifiedCreditPage = page_of(NotifiedCreditOut)


class AssignmentIn(Schema):
    pledge_id = fields.UUID(
        required=True, metadata={"description": "The pledge the credit fulfils."}
    )


class AssignmentOut(Schema):
    credit_id = fields.String()
    entry_id = fields.String()
    pledge_id = fields.String()
    position = fields.Integer()
