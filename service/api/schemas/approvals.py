"""Payments awaiting approval: approving, rejecting and listing them."""

from __future__ import annotations

from service.api import fields
from service.api import validators as validate
from service.api.fields import Schema
from service.api.schemas.common import PageQuery, Text, name, optional_text


class ApprovalIn(Schema):
    note = optional_text(1000)


class RejectionIn(Schema):
    reason = name(500, required=True)


class PendingQuery(PageQuery):
    status = Text(load_default=None, validate=validate.OneOf(["pending", "approved", "rejected"]))


class PaymentOut(Schema):
    """A payment above the unit's approval threshold, awaiting approval or rejected."""

    pending_id = fields.String()
    fund_id = fields.String()
    status = fields.String()
    amount = fields.Integer()
    balance = fields.Integer()
    available = fields.Integer(metadata={"description": "The balance less the money reserved."})
    to_fund_id = fields.String()
    position = fields.Integer()
    kind = fields.String(
        metadata={"description": "What waits: disbursement, transfer_out, receipt or reversal."}
    )
    held_because = fields.String(
        metadata={
            "description": "threshold, split (the day's payments of one purpose or "
            "payee add up above it) or plausibility (above the fund's limit)."
        }
    )
    reversed_entry_id = fields.String()


class PendingPaymentOut(Schema):
    pending_id = fields.String()
    fund_id = fields.String()
    seq = fields.Integer()
    position = fields.Integer()
    kind = fields.String()
    amount = fields.Integer()
    occurred_on = fields.String()
    category = fields.String(allow_none=True)
    household_id = fields.String(allow_none=True)
    house_project_id = fields.String(allow_none=True)
    grant_id = fields.String(allow_none=True)
    voucher_no = fields.String(allow_none=True)
    to_fund_id = fields.String(allow_none=True)
    note = fields.String(allow_none=True)
    repeat_reason = fields.String(allow_none=True)
    requested_at = fields.String()
    requested_by = fields.String()
    status = fields.String()
    decided_at = fields.String(allow_none=True)
    decided_by = fields.String(allow_none=True)
    decided_position = fields.Integer(allow_none=True)
    decision_note = fields.String(
        allow_none=True,
        metadata={"description": "The approver's note, or the reason for a rejection."},
    )
    entry_id = fields.String(allow_none=True)
    held_because = fields.String(allow_none=True)
    reversed_entry_id = fields.String(allow_none=True)
    donor_name = fields.String(allow_none=True)
