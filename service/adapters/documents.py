"""The committee's report as documents a committee edits and signs: a Word document
(python-docx) and a PDF (through ``pdf``, in the bundled DejaVu faces). Both are laid
out from the same sections: a heading and its lines each."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime

from docx import Document

from service.adapters import pdf

Section = tuple[str, Sequence[str]]


def report_docx(title: str, subtitle: str, sections: Sequence[Section], made: datetime) -> bytes:
    """A .docx of the report: its title, a line under it, then each section's heading and
    its lines as paragraphs, and a place for the signature."""
    document = Document()
    document.core_properties.title = title
    document.core_properties.created = made.replace(tzinfo=None)
    document.core_properties.modified = made.replace(tzinfo=None)
    document.add_heading(title, level=0)
    document.add_paragraph(subtitle)
    for heading, lines in sections:
        document.add_heading(heading, level=1)
        for line in lines:
            document.add_paragraph(line, style="List Bullet")
    document.add_paragraph("")
    document.add_paragraph("TM. BAN THƯỜNG TRỰC\n(ký, ghi rõ họ tên)")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def report_pdf(title: str, subtitle: str, sections: Sequence[Section], made: datetime) -> bytes:
    """The same report as a PDF, A4."""
    doc = pdf.document("A4", made)
    doc.add_page()
    doc.set_font("serif", "B", 15)
    doc.multi_cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    doc.set_font("serif", "", 11)
    doc.multi_cell(0, 6, subtitle, new_x="LMARGIN", new_y="NEXT")
    for heading, lines in sections:
        doc.ln(3)
        doc.set_font("serif", "B", 12)
        doc.multi_cell(0, 7, heading, new_x="LMARGIN", new_y="NEXT")
        doc.set_font("serif", "", 11)
        for line in lines:
            doc.multi_cell(0, 6, f"– {line}", new_x="LMARGIN", new_y="NEXT")
    doc.ln(8)
    doc.set_font("serif", "B", 11)
    doc.multi_cell(0, 6, "TM. BAN THƯỜNG TRỰC", new_x="LMARGIN", new_y="NEXT")
    return pdf.to_bytes(doc)
