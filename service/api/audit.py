"""The audit trail, for inspection and supervision boards."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from service.api.operation import operation
from service.api.schemas import AuditEventOut, AuditQuery, page_of
from service.reads.audit import trail

bp = Blueprint("audit", __name__)


@bp.get("/audit/events")
@operation(
    "Read the audit trail",
    tag="audit",
    query=AuditQuery,
    response=page_of(AuditEventOut),
    errors=(401, 403, 422, 503),
)
def list_events(query: dict[str, Any]) -> dict[str, Any]:
    """Every event with who recorded it, when and through which request, newest last, with
    its position and leaf hash in the log's tree (to check with the proof routes); an
    inspector sees the events of their unit and the units below (``unit_id`` outside them
    is refused)."""
    return trail(query)
