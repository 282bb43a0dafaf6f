"""The log: its checkpoints, witnesses and cosignatures, and proofs of inclusion and consistency."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, validates_schema

from service.api import fields
from service.api import validators as validate
from service.api.fields import Schema
from service.api.schemas.common import Cursor, ReadQuery, Text


class CheckpointsQuery(ReadQuery):
    cursor = Cursor(numeric=True, load_default=None)
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000))


class InclusionQuery(ReadQuery):
    position = fields.Integer(
        required=True,
        validate=validate.Range(min=1, max=2**62),
        metadata={"description": "The log position of the event; its leaf index is one less."},
    )
    tree_size = fields.Integer(
        required=True,
        validate=validate.Range(min=1, max=2**62),
        metadata={"description": "At least position, and at most the log's head."},
    )

    @validates_schema
    def position_is_in_tree(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data["position"] > data["tree_size"]:
            raise ValidationError("Vị trí phải nằm trong kích thước cây.", "position")


class ConsistencyQuery(ReadQuery):
    first = fields.Integer(
        required=True,
        validate=validate.Range(min=1, max=2**62),
        metadata={"description": "At most second."},
    )
    second = fields.Integer(
        required=True,
        validate=validate.Range(min=1, max=2**62),
        metadata={"description": "At most the log's head."},
    )

    @validates_schema
    def sizes_are_in_order(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data["first"] > data["second"]:
            raise ValidationError("Cây thứ nhất không được lớn hơn cây thứ hai.", "first")


class WitnessIn(Schema):
    verifier_key = Text(
        required=True,
        validate=validate.Length(min=1, max=500),
        metadata={
            "description": "The witness's cosignature/v1 verifier key, name+id+key: the "
            "key id in 8 hexadecimal digits, the Ed25519 key (type 0x01 or 0x04) in base64.",
            "pattern": r"^ *[^+\u0000-\u0020\u007f]+\+[0-9a-fA-F]{8}\+[A-Za-z0-9+/]{44} *$",
        },
    )
    unit_id = fields.UUID(
        load_default=None, metadata={"description": "The unit whose board holds the key."}
    )


class CosignatureIn(Schema):
    signature = Text(
        required=True,
        validate=validate.Length(min=1, max=1000),
        metadata={"description": "The witness's signature line over the checkpoint."},
    )


class CheckpointOut(Schema):
    tree_size = fields.Integer()
    root_hash = fields.String(metadata={"description": "base64 of the 32-byte root"})
    timestamp = fields.String(metadata={"description": "when the service signed it (UTC)"})
    checkpoint = fields.String(
        metadata={"description": "the signed note, c2sp.org/tlog-checkpoint"}
    )


class LogKeyOut(Schema):
    origin = fields.String()
    verifier_key = fields.String()


class WitnessOut(Schema):
    name = fields.String()
    verifier_key = fields.String()
    unit_id = fields.String(allow_none=True)
    position = fields.Integer()


class WitnessList(Schema):
    items = fields.List(fields.Nested(WitnessOut))


class CosignedOut(Schema):
    tree_size = fields.Integer()
    witness = fields.String()
    checkpoint = fields.String()
    position = fields.Integer()


class InclusionOut(Schema):
    leaf_index = fields.Integer()
    tree_size = fields.Integer()
    leaf_hash = fields.String()
    root_hash = fields.String()
    proof = fields.List(fields.String())


class ConsistencyOut(Schema):
    first = fields.Integer()
    second = fields.Integer()
    first_root = fields.String()
    second_root = fields.String()
    proof = fields.List(fields.String())


class LeafOut(Schema):
    position = fields.Integer()
    leaf_index = fields.Integer()
    leaf_hash = fields.String()
