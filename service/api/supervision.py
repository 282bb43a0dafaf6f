"""Supervision: boards' reviews of a fund or a unit's period, their findings, the
reviewed unit's responses and the boards' conclusions."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint

from service.adapters.db import Row
from service.api.operation import WRITE_ERRORS, operation, write_request, written
from service.api.schemas import (
    ConclusionIn,
    FindingIn,
    ReadQuery,
    ResponseIn,
    SupervisionDetail,
    SupervisionIn,
    SupervisionOpened,
    SupervisionOut,
    SupervisionsQuery,
    SupervisionWritten,
    page_of,
)
from service.domain.errors import Forbidden, SupervisionNotFound
from service.domain.supervision import Finding, Subject, subject_view
from service.domain.vocabulary import Role, Severity, SubjectKind
from service.domain.words import word
from service.projections import supervision as supervision_view
from service.reads import fresh, page, require_reach, within
from service.web.context import actor, services

bp = Blueprint("supervision", __name__)

#: Who may read reviews: boards, and the reviewed unit, which has to answer them.
READERS = {Role.ADMIN, Role.INSPECTOR, Role.TREASURER, Role.APPROVER}


@bp.post("/supervisions")
@operation(
    "Open a review",
    tag="supervision",
    body=SupervisionIn,
    response=SupervisionOpened,
    status=201,
    errors=(401, 403, 422),
)
def open_supervision(body: dict[str, Any]) -> dict[str, Any]:
    """Opens a board's review of a fund, a house project, or a unit's period (inspectors and
    admins)."""
    given = body["subject"]
    subject = Subject(
        SubjectKind(given["kind"]),
        fund_id=given["fund_id"],
        unit_id=given["unit_id"],
        house_project_id=given["house_project_id"],
        period_from=given["period_from"],
        period_to=given["period_to"],
    )
    return written(services().ledger.open_supervision(write_request(), subject, body["title"]))


@bp.get("/supervisions")
@operation(
    "List reviews",
    tag="supervision",
    query=SupervisionsQuery,
    response=page_of(SupervisionOut),
    errors=(401, 403, 422, 503),
)
def list_supervisions(query: dict[str, Any]) -> dict[str, Any]:
    """The reviews this token may read, oldest first; with ``unit_id``, of that unit and
    the units below it."""
    who = actor()
    if who.role not in READERS:
        raise Forbidden(
            f"Mã truy cập có vai trò “{word(who.role)}” không được xem các cuộc giám sát."
        )
    with fresh(query) as (tx, _):
        rows = supervision_view.reviews(
            tx,
            within_unit=within(tx, query["unit_id"]),
            status=query["status"],
            after_position=query["cursor"] or 0,
            limit=query["limit"] + 1,
        )
    return page([review_item(row) for row in rows], query["limit"], lambda r: r["opened_position"])


@bp.get("/supervisions/<uuid:supervision_id>")
@operation(
    "Read a review",
    tag="supervision",
    query=ReadQuery,
    response=SupervisionDetail,
    errors=(401, 403, 404, 503),
)
def get_supervision(supervision_id: UUID, query: dict[str, Any]) -> dict[str, Any]:
    """The review with every finding, in the order recorded, and the unit's responses."""
    with fresh(query) as (tx, _):
        row = supervision_view.get(tx, str(supervision_id))
        if row is None:
            raise SupervisionNotFound(
                "Không có cuộc giám sát nào với mã này. Hãy kiểm tra lại mã.",
                supervision_id=str(supervision_id),
            )
        require_reach(tx, row["unit_id"], READERS)
        row["findings"] = supervision_view.findings(tx, str(supervision_id))
    return review_item(row)


@bp.post("/supervisions/<uuid:supervision_id>/findings")
@operation(
    "Record a finding",
    tag="supervision",
    body=FindingIn,
    response=SupervisionWritten,
    status=201,
    errors=WRITE_ERRORS,
    creates={201: "finding_id"},
)
def record_finding(supervision_id: UUID, body: dict[str, Any]) -> dict[str, Any]:
    """Records what the board found, linked to entries of a reviewed fund or to events
    by their log position (the board that opened the review)."""
    finding = Finding(
        severity=Severity(body["severity"]),
        description=body["description"],
        recommendation=body["recommendation"],
        fund_id=body["fund_id"],
        entry_ids=tuple(body["entry_ids"]),
        positions=tuple(body["positions"]),
    )
    result = services().ledger.record_finding(write_request(), supervision_id, finding)
    return written(result)


@bp.post("/supervisions/<uuid:supervision_id>/findings/<uuid:finding_id>/response")
@operation(
    "Respond to a finding",
    tag="supervision",
    body=ResponseIn,
    response=SupervisionWritten,
    status=201,
    errors=WRITE_ERRORS,
)
def record_response(supervision_id: UUID, finding_id: UUID, body: dict[str, Any]) -> dict[str, Any]:
    """Records the reviewed unit's answer to a finding, once (its treasurer, approver or
    an admin)."""
    result = services().ledger.record_response(
        write_request(), supervision_id, finding_id, body["response"]
    )
    return written(result)


@bp.post("/supervisions/<uuid:supervision_id>/conclusion")
@operation(
    "Conclude a review",
    tag="supervision",
    body=ConclusionIn,
    response=SupervisionWritten,
    status=201,
    errors=WRITE_ERRORS,
)
def conclude_supervision(supervision_id: UUID, body: dict[str, Any]) -> dict[str, Any]:
    """Concludes the review; nothing more is recorded in it after (the board that opened it)."""
    result = services().ledger.conclude_supervision(
        write_request(), supervision_id, body["conclusion"]
    )
    return written(result)


def review_item(row: Row) -> Row:
    """A review as the API shows it, its subject in one object."""
    row["subject"] = subject_view(
        row.pop("subject_kind"), row.pop("subject_id"), row.pop("period_from"), row.pop("period_to")
    )
    return row
