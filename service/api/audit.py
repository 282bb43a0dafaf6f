"""The audit trail, for inspection and supervision boards."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Blueprint

from service.api.operation import actor, operation
from service.api.reads import fresh, page, require_reach
from service.api.schemas.audit import AuditEventOut, AuditQuery
from service.api.schemas.common import page_of
from service.domain.actors import Actor
from service.domain.errors import Forbidden
from service.domain.vocabulary import Role
from service.domain.words import word
from service.projections import audit as audit_view

bp = Blueprint("audit", __name__)

AUDITORS = {Role.ADMIN, Role.INSPECTOR}


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


def require_auditor(action: str) -> Actor:
    """The token's actor, if its role may ``action`` (administrators and inspectors)."""
    who = actor()
    if who.role not in AUDITORS:
        raise Forbidden(
            f"Mã truy cập có vai trò “{word(who.role)}” không được {action}. "
            "Hãy nhờ người có quyền làm việc này, hoặc xin quản trị cấp quyền."
        )
    return who


def trail(query: dict[str, Any]) -> dict[str, Any]:
    """A page of the audit trail as the token may read it (``AuditQuery``'s fields)."""
    who = require_auditor("xem nhật ký kiểm toán")
    with fresh(query) as (tx, _):
        if query["unit_id"]:
            # As for every other list: a unit outside the token's reach is refused, not
            # answered with an empty page.
            require_reach(tx, str(query["unit_id"]))
        rows = audit_view.events(
            tx,
            within_unit=str(who.unit_id) if who.role is not Role.ADMIN else None,
            aggregate_id=str(query["aggregate_id"]) if query["aggregate_id"] else None,
            actor=query["actor"],
            unit_id=str(query["unit_id"]) if query["unit_id"] else None,
            recorded_from=_utc(query["recorded_from"]),
            recorded_to=_utc(query["recorded_to"]),
            event_type=query["event_type"],
            after_position=query["cursor"] or 0,
            limit=query["limit"] + 1,
        )
    if not who.sees_personal_data:
        for row in rows:
            _hide_fingerprint(row["data"])
    return page(rows, query["limit"], lambda row: row["position"])


def _hide_fingerprint(data: dict[str, Any]) -> None:
    """A request record's fingerprint is shown only to those who may read personal data:
    records made before fingerprints were keyed hold a plain digest of the request's body,
    from which a household's name, address and CCCD could be searched for."""
    if "fingerprint" in data:
        data["fingerprint"] = None


def _utc(moment: datetime | None) -> str | None:
    """A time as the trail stores it, in UTC, so that it compares right on SQLite too,
    where times are compared as text."""
    return moment.astimezone(UTC).isoformat() if moment is not None else None
