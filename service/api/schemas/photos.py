"""Photos of house stages, kept by content: uploaded first, then named in a stage's
evidence by their reference."""

from __future__ import annotations

from service.api import fields
from service.api.fields import Schema


class PhotoOut(Schema):
    digest = fields.String(metadata={"description": "SHA-256 of the stored photo, in hex."})
    reference = fields.String(
        metadata={"description": "What a stage's evidence names it by: sha256:<digest>."}
    )
    width = fields.Integer()
    height = fields.Integer()
