"""Shapes of the controls' requests and answers: a fund's plausibility limit."""

from __future__ import annotations

from service.api import fields
from service.api.fields import Schema
from service.api.schemas.common import Dong


class PlausibilityLimitIn(Schema):
    amount = Dong(
        required=True,
        allow_none=True,
        metadata={
            "description": "Receipts, payments and reversals above this many đồng wait for an "
            "approver, whoever records them; null: the default of the unit's level."
        },
    )


class ControlsOut(Schema):
    """What makes the fund's entries wait for an approver."""

    fund_id = fields.String()
    approval_threshold = fields.Integer(
        allow_none=True,
        metadata={"description": "The unit's threshold: payments and reversals above it wait."},
    )
    plausibility_limit = fields.Integer(
        metadata={"description": "Any entry above it waits, whoever records it."}
    )
    plausibility_limit_default = fields.Integer(
        metadata={"description": "The limit of the unit's level, when the fund sets none."}
    )
    plausibility_limit_own = fields.Integer(
        allow_none=True, metadata={"description": "The fund's own limit; null: the default."}
    )
    position = fields.Integer()
