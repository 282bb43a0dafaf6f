"""The committee's report of a year, as a document."""

from __future__ import annotations

from service.api import fields
from service.api import validators as validate
from service.api.schemas.common import ReadQuery


class CommitteeReportQuery(ReadQuery):
    year = fields.Integer(
        required=True,
        validate=validate.Range(min=1990, max=2100, error="Năm phải từ 1990 đến 2100."),
    )
    format = fields.String(
        load_default="docx",
        validate=validate.OneOf(["docx", "pdf"], error="Hãy chọn docx hoặc pdf."),
        metadata={"description": "docx: to edit and sign; pdf: to print or publish."},
    )
