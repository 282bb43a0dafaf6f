"""The audit trail: every event of the log with who recorded it."""

from __future__ import annotations

from service.api import fields
from service.api import validators as validate
from service.api.fields import Schema
from service.api.schemas.common import PageQuery, Text


class AuditQuery(PageQuery):
    aggregate_id = fields.UUID(load_default=None)
    actor = Text(
        load_default=None,
        validate=validate.Length(max=200),
        metadata={"description": "The token's name or id."},
    )
    unit_id = fields.UUID(load_default=None)
    recorded_from = fields.AwareDateTime(data_key="from", load_default=None)
    recorded_to = fields.AwareDateTime(data_key="to", load_default=None)
    event_type = Text(
        data_key="type",
        load_default=None,
        validate=validate.Length(max=100),
        metadata={"description": "An event type, e.g. ReceiptRecorded or FindingRecorded."},
    )


class AuditEventOut(Schema):
    position = fields.Integer()
    aggregate_id = fields.String(attribute="originator_id")
    version = fields.Integer(attribute="originator_version")
    aggregate_type = fields.String()
    event_type = fields.String()
    unit_id = fields.String(allow_none=True)
    recorded_at = fields.String()
    occurred_on = fields.String(allow_none=True)
    actor_id = fields.String(allow_none=True)
    actor = fields.String(allow_none=True)
    role = fields.String(allow_none=True)
    actor_unit_id = fields.String(allow_none=True)
    idempotency_key = fields.String(allow_none=True)
    request_id = fields.String(allow_none=True)
    leaf_hash = fields.String(
        allow_none=True, metadata={"description": "base64 of the event's leaf in the log's tree"}
    )
    data = fields.Dict()
