"""A fund's entries: receipts, disbursements, transfers and reversals, and the fund's ledger."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, validates_schema

from service.api import fields
from service.api import validators as validate
from service.api.fields import Schema
from service.api.schemas.common import (
    Dong,
    PageQuery,
    Text,
    VoucherDate,
    name,
    one_of,
    optional_id,
    optional_text,
)
from service.api.schemas.currency import ForeignIn
from service.api.schemas.donors import DonorIn, DonorOut, InKindIn, InKindOut
from service.api.schemas.pledges import PledgeStateOut
from service.domain.vocabulary import GOODS_CHANNELS, GOODS_CHANNELS_TEXT, Category, Channel

#: What a day of an entry must be (the application refuses any other).
BOOKED_DAY = "Not in the future, and after the day the fund's books are closed through."
#: What naming a campaign asks of an entry (the application refuses any other).
CAMPAIGN = (
    "The campaign it counts in: one of the fund's unit or a unit above it, which has "
    "started by occurred_on (a receipt: and not ended)."
)


class ReceiptIn(ForeignIn):
    amount = Dong(
        required=True,
        metadata={"description": "In đồng; with currency, in the currency's minor units."},
    )
    occurred_on = VoucherDate(
        required=True,
        metadata={"description": BOOKED_DAY},
    )
    donor = fields.Nested(DonorIn, required=True)
    channel = Text(required=True, validate=one_of(Channel))
    voucher_no = optional_text(50)
    bank_ref = optional_text(100)
    pledge_id = optional_id()
    campaign_id = optional_id(CAMPAIGN)
    in_kind = fields.Nested(
        InKindIn,
        load_default=None,
        allow_none=True,
        metadata={
            "description": f"The goods: required when channel is {GOODS_CHANNELS_TEXT}, "
            "refused otherwise."
        },
    )
    note = optional_text(1000)
    surplus_as_gift = fields.Boolean(
        load_default=False,
        metadata={
            "description": "With pledge_id: record what exceeds the pledge's outstanding "
            "amount as a plain gift instead of refusing the receipt."
        },
    )

    @validates_schema
    def goods_go_with_the_in_kind_channel(self, data: dict[str, Any], **kwargs: Any) -> None:
        if (data.get("channel") in GOODS_CHANNELS) != (data.get("in_kind") is not None):
            raise ValidationError(
                f"Chỉ mô tả hiện vật (in_kind) khi hình thức là {GOODS_CHANNELS_TEXT}, "
                "và khi đó phải mô tả.",
                "in_kind",
            )


class StudentIn(Schema):
    """A scholarship's student: the name is personal data, sealed like the household's."""

    school = name(required=True)
    name = name(required=True)
    school_year = Text(
        required=True,
        validate=validate.Length(max=9),
        metadata={
            "example": "2025-2026",
            "description": "Two years that follow each other.",
            "pattern": "^[0-9]{4}-[0-9]{4}$",
        },
    )


class DisbursementIn(Schema):
    amount = Dong(required=True)
    occurred_on = VoucherDate(
        required=True,
        metadata={"description": BOOKED_DAY},
    )
    category = Text(required=True, validate=one_of(Category))
    household_id = optional_id()
    house_project_id = optional_id()
    grant_id = optional_id()
    campaign_id = optional_id(CAMPAIGN)
    voucher_no = optional_text(50)
    note = optional_text(1000)
    channel = Text(
        load_default="cash",
        validate=validate.OneOf(["cash", "bank"]),
        metadata={
            "description": "cash: paid from the cash box, numbered with a payment slip "
            "(phiếu chi); bank: paid from the bank account, with the bank's payment order."
        },
    )
    bank_ref = optional_text(100, description="The bank's payment order (ủy nhiệm chi).")
    repeat_reason = optional_text(
        500,
        description="Why the household is supported again this year in the same category.",
    )
    student = fields.Nested(
        StudentIn,
        load_default=None,
        allow_none=True,
        metadata={"description": "A scholarship's student (category scholarship only)."},
    )
    in_kind = fields.Nested(
        InKindIn,
        load_default=None,
        allow_none=True,
        metadata={
            "description": "Goods given out of the fund's stock instead of money; the "
            "amount is then their value and no money leaves the fund."
        },
    )


class TransferIn(Schema):
    to_fund_id = fields.UUID(required=True)
    amount = Dong(required=True)
    occurred_on = VoucherDate(
        required=True,
        metadata={"description": BOOKED_DAY},
    )
    note = optional_text(1000)


class ReversalIn(Schema):
    reason = name(500, required=True)


class LedgerQuery(PageQuery):
    date_from = VoucherDate(data_key="from", load_default=None)
    date_to = VoucherDate(data_key="to", load_default=None)


class EntryWritten(Schema):
    entry_id = fields.String()
    fund_id = fields.String()
    balance = fields.Integer(metadata={"description": "The fund's balance after the entry."})
    available = fields.Integer(metadata={"description": "The balance less the money reserved."})
    position = fields.Integer()
    to_fund_id = fields.String()
    counterpart_entry_id = fields.String(allow_none=True)
    reversed_entry_id = fields.String()
    pending_id = fields.String(metadata={"description": "The payment this entry approved."})
    status = fields.String()
    receipt_url = fields.String(
        metadata={"description": "Where anyone checks this gift and its proof (receipts)."}
    )
    slip_no = fields.Integer(
        allow_none=True,
        metadata={
            "description": "The cash slip's number (phiếu thu or phiếu chi) in its fund and "
            "accounting year; none for a bank movement or goods."
        },
    )
    slip_ref = fields.String(
        allow_none=True,
        metadata={
            "description": "The slip's reference, unique across funds: PT- or PC-year-number-fund."
        },
    )


class ReceiptWritten(EntryWritten):
    pledge = fields.Nested(
        PledgeStateOut, metadata={"description": "The pledge the receipt fulfilled."}
    )


class LedgerEntryOut(Schema):
    entry_id = fields.String()
    fund_id = fields.String()
    seq = fields.Integer()
    position = fields.Integer()
    kind = fields.String()
    amount = fields.Integer(metadata={"description": "In đồng (a foreign gift: its đồng value)."})
    currency = fields.String(allow_none=True, metadata={"description": "A foreign currency."})
    foreign_amount = fields.Integer(
        allow_none=True, metadata={"description": "In the currency's minor units."}
    )
    rate = fields.String(allow_none=True, metadata={"description": "The rate entered, exact."})
    rate_source = fields.String(allow_none=True)
    effect = fields.Integer(metadata={"description": "What the entry did to the balance."})
    running_balance = fields.Integer()
    occurred_on = fields.String()
    recorded_at = fields.String()
    channel = fields.String(allow_none=True)
    category = fields.String(allow_none=True)
    donor = fields.Nested(DonorOut, allow_none=True)
    in_kind = fields.Nested(InKindOut, allow_none=True)
    voucher_no = fields.String(allow_none=True)
    bank_ref = fields.String(allow_none=True)
    pledge_id = fields.String(allow_none=True)
    campaign_id = fields.String(allow_none=True)
    household_id = fields.String(allow_none=True)
    house_project_id = fields.String(allow_none=True)
    grant_id = fields.String(allow_none=True)
    counterparty_fund_id = fields.String(allow_none=True)
    counterpart_entry_id = fields.String(allow_none=True)
    note = fields.String(allow_none=True)
    reason = fields.String(allow_none=True)
    reverses_entry_id = fields.String(allow_none=True)
    reversed_by_entry_id = fields.String(allow_none=True)
    reversed = fields.Boolean()
    repeat_reason = fields.String(
        allow_none=True,
        metadata={"description": "Why the household was supported again in the same year."},
    )
    actor = fields.String()
    slip_no = fields.Integer(
        allow_none=True, metadata={"description": "Cash receipts and cash payments only."}
    )
    slip_ref = fields.String(
        allow_none=True, metadata={"description": "PT-… for a receipt, PC-… for a payment."}
    )
