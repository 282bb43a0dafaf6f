"""The one maker of PDF documents (fpdf2): slips, letters, posters and reports are set in
DejaVu, shipped in service/assets/fonts, which carries every Vietnamese letter and tone
mark; "serif" is the face of official papers, "sans" of notices."""

from __future__ import annotations

from datetime import datetime

from fpdf import FPDF

from service.assets import FONTS

#: Page sizes in millimetres, portrait.
_SIZES = {"A4": (210.0, 297.0), "A5": (148.0, 210.0)}
_FACES = {
    "serif": ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf"),
    "sans": ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
}


def document(page: str, made: datetime, orientation: str = "portrait") -> FPDF:
    """An empty PDF of ``page`` size ("A4", "A5") with both faces loaded, regular and bold
    ("B"), set in the serif face, dated ``made`` (the fact it prints, not the clock, so
    that the same fact always gives the same bytes)."""
    pdf = FPDF(orientation=orientation, unit="mm", format=_SIZES[page])
    for family, (regular, bold) in _FACES.items():
        pdf.add_font(family, "", str(FONTS / regular))
        pdf.add_font(family, "B", str(FONTS / bold))
    pdf.set_font("serif", size=11)
    pdf.set_creation_date(made)
    pdf.set_auto_page_break(auto=True, margin=12)
    return pdf


def to_bytes(pdf: FPDF) -> bytes:
    """The finished document."""
    return bytes(pdf.output())
