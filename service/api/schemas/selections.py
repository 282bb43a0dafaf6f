"""Bình xét: the meeting that selects the households to be supported."""

from __future__ import annotations

from typing import Any

from service.api import fields
from service.api import validators as validate
from service.api.fields import Schema
from service.api.schemas.common import Text, VoucherDate, name
from service.domain.selections import MAX_ATTENDEES, MAX_NOMINEES


def _votes(description: str, **kwargs: Any) -> fields.Integer:
    return fields.Integer(
        strict=True,
        validate=validate.Range(min=0, max=MAX_ATTENDEES),
        metadata={"description": description},
        **kwargs,
    )


class NomineeIn(Schema):
    household_id = fields.UUID(required=True)
    votes_for = _votes("Votes for (tán thành).", required=True)
    votes_against = _votes("Votes against.", load_default=0)


class SelectionMeetingIn(Schema):
    held_on = VoucherDate(required=True, metadata={"description": "Not in the future."})
    purpose = Text(
        required=True,
        validate=validate.OneOf(
            ["house", "grant", "support"],
            error="Hãy chọn một trong các giá trị: house, grant, support.",
        ),
        metadata={"description": "What it selected for: a house, a livelihood grant, support."},
    )
    attendees = fields.Integer(
        required=True, strict=True, validate=validate.Range(min=1, max=MAX_ATTENDEES)
    )
    chaired_by = name(required=True)
    nominees = fields.List(
        fields.Nested(NomineeIn),
        required=True,
        validate=validate.Length(min=1, max=MAX_NOMINEES),
        metadata={
            "description": "The households put forward; one is selected when more than half "
            "of the attendees voted for it."
        },
    )
    minutes_name = name(required=True, metadata={"example": "bien-ban-binh-xet-thon-2.pdf"})
    minutes_sha256 = Text(
        required=True,
        validate=validate.Length(equal=64),
        metadata={
            "description": "The SHA-256 of the minutes document, 64 hex digits.",
            "pattern": "^[0-9a-fA-F]{64}$",
        },
    )


class SelectionHeldOut(Schema):
    id = fields.String()
    unit_id = fields.String()
    held_on = fields.String()
    selected = fields.List(fields.String(), metadata={"description": "Households selected."})
    position = fields.Integer()


class NomineeOut(Schema):
    household_id = fields.String()
    votes_for = fields.Integer()
    votes_against = fields.Integer()
    selected = fields.Boolean()


class SelectionMeetingOut(Schema):
    id = fields.String()
    unit_id = fields.String()
    held_on = fields.String()
    purpose = fields.String()
    attendees = fields.Integer()
    chaired_by = fields.String()
    minutes_name = fields.String()
    minutes_sha256 = fields.String()
    nominees = fields.List(fields.Nested(NomineeOut))
    position = fields.Integer()
