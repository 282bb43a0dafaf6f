"""The report a committee writes for its year, as a Word document it edits and signs, or
as a PDF."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from flask import Blueprint, Response

from service.adapters.documents import report_docx, report_pdf
from service.api.operation import operation
from service.api.schemas import CommitteeReportQuery
from service.reads import fresh, readable_unit
from service.reads.committee_report import committee_report

bp = Blueprint("committee_report", __name__)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@bp.get("/units/<uuid:unit_id>/committee-report")
@operation(
    "Download the committee's report of a year",
    tag="units",
    query=CommitteeReportQuery,
    errors=(401, 403, 404, 422),
)
def download_committee_report(unit_id: UUID, query: dict[str, Any]) -> Response:
    """The year's report of the unit with the units below it, laid out as the committees'
    reports are: money raised against the target, houses built and repaired, livelihood
    support, scholarships, Tết gifts, campaigns, the balance left and the supervisions
    held; as a .docx (``format=docx``) or a PDF."""
    year = query["year"]
    with fresh(query, bulk=True) as (tx, _):
        unit = readable_unit(tx, unit_id)
        title, subtitle, sections = committee_report(tx, unit, year)
    # Dated by the year it reports on, so that the same figures give the same file.
    made = datetime(year, 12, 31, tzinfo=UTC)
    if query["format"] == "pdf":
        response = Response(report_pdf(title, subtitle, sections, made), mimetype="application/pdf")
    else:
        response = Response(report_docx(title, subtitle, sections, made), mimetype=DOCX)
    name = f"bao-cao-{year}-{unit_id}.{query['format']}"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
