"""People's accounts: the body that registers a person, and the answers naming them and
their activation link."""

from __future__ import annotations

from service.api import fields
from service.api.fields import Schema
from service.api.schemas.common import Text, name, one_of, optional_id, optional_text
from service.domain.vocabulary import Role


class PersonIn(Schema):
    name = name(required=True, metadata={"description": "The person's full name."})
    phone = optional_text(
        20, "A Vietnamese mobile number (0912345678 or +84912345678); phone or email needed."
    )
    email = optional_text(254, "An e-mail address; phone or email needed.")
    role = Text(required=True, validate=one_of(Role))
    unit_id = optional_id("The person's unit (every role but admin).")
    personal_data = fields.Boolean(
        load_default=False,
        metadata={"description": "May read beneficiaries' personal data in their reach."},
    )
    same_person_as = optional_text(
        100,
        "The id of an API token this person holds: the account and the token are one "
        "person, who never approves what they recorded with either.",
    )


class ActivationLinkOut(Schema):
    url = fields.String(
        metadata={"description": "The one-time link the person opens to set a password."}
    )
    expires_at = fields.AwareDateTime()


class PersonOut(Schema):
    id = fields.String(metadata={"description": "The person's id, named by their events."})
    name = fields.String()
    phone = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    role = fields.String()
    unit_id = fields.String(allow_none=True)
    personal_data = fields.Boolean()
    status = fields.String(metadata={"description": "pending, active or disabled."})
    second_factor = fields.Boolean(metadata={"description": "Whether TOTP is set up."})
    created_at = fields.String()
    activated_at = fields.String(allow_none=True)
    disabled_at = fields.String(allow_none=True)
    activation = fields.Nested(
        ActivationLinkOut, metadata={"description": "Given once, when the account is made."}
    )


class PeopleList(Schema):
    items = fields.List(fields.Nested(PersonOut))
