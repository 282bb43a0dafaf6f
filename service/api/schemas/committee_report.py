"""The committee's report of a year, as a document."""

from __future__ import annotations

from service.api import fields
from service.api import validators as validate
from service.api.schemas.common import ReadQuery, year


class CommitteeReportQuery(ReadQuery):
    year = year(required=True)
    format = fields.String(
        load_default="docx",
        validate=validate.OneOf(["docx", "pdf"], error="Hãy chọn docx hoặc pdf."),
        metadata={"description": "docx: to edit and sign; pdf: to print or publish."},
    )
