"""A cash slip as an A5 PDF (service/adapters/pdf.py), laid out as the form of the slip
page: the unit and the form's number, the title, date and number, the payer or payee,
the reason, the amount in figures and in words, the signatures, and the QR code of the
public proof page. The same slip always gives the same bytes."""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from service.adapters import pdf, qr

WIDTH = 128.0
LINE = 6.0


def signatures(kind: str) -> list[tuple[str, str]]:
    """The signatures block of the form, left to right: who signs, and how."""
    head = ("Thủ trưởng đơn vị", "(Ký, họ tên, đóng dấu)")
    chief = ("Kế toán trưởng", "(Ký, họ tên)")
    maker = ("Người lập phiếu", "(Ký, họ tên)")
    cashier = ("Thủ quỹ", "(Ký, họ tên)")
    if kind == "receipt":
        return [head, chief, ("Người nộp tiền", "(Ký, họ tên)"), maker, cashier]
    return [head, chief, maker, cashier, ("Người nhận tiền", "(Ký, họ tên)")]


def day_line(iso: str) -> str:
    """ "Ngày 05 tháng 03 năm 2026", as the form dates a slip."""
    value = date.fromisoformat(iso)
    return f"Ngày {value.day:02d} tháng {value.month:02d} năm {value.year}"


def slip_pdf(slip: dict[str, Any], proof_url: str) -> bytes:
    """The slip as A5 PDF bytes."""
    made = datetime.fromisoformat(str(slip["recorded_at"]))
    document = pdf.document("A5", made)
    document.set_margins(10, 10, 10)
    document.add_page()
    _heading(document, slip)
    _facts(document, slip)
    _signatures(document, slip)
    _proof(document, slip, proof_url)
    return pdf.to_bytes(document)


def _heading(document: FPDF, slip: dict[str, Any]) -> None:
    top = document.get_y()
    document.set_font("serif", "B", 9)
    document.multi_cell(70, 4.5, f"Đơn vị: {slip['unit_name']}\nQuỹ: {slip['fund_name']}")
    left_bottom = document.get_y()
    document.set_xy(10 + 72, top)
    document.set_font("serif", "B", 9)
    document.multi_cell(WIDTH - 72, 4.5, f"Mẫu số {slip['form']}", align="C")
    document.set_x(10 + 72)
    document.set_font("serif", "", 7)
    document.multi_cell(WIDTH - 72, 3.5, f"(Theo {slip['circular']})", align="C")
    document.set_y(max(left_bottom, document.get_y()) + 3)
    document.set_font("serif", "B", 16)
    title = slip["title"].upper()
    document.cell(WIDTH, 8, title, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    document.set_font("serif", "", 10)
    document.cell(
        WIDTH, 5, day_line(slip["occurred_on"]), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    document.cell(
        WIDTH,
        5,
        f"Số: {slip['slip_no']}  ·  Mã phiếu: {slip['slip_ref']}",
        align="C",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    document.cell(WIDTH, 5, "Nợ: ..........  Có: ..........", align="R")
    document.ln(LINE + 1)


def _line(document: FPDF, label: str, value: str, *, bold: bool = False) -> None:
    document.set_font("serif", "", 10)
    document.write(LINE, f"{label}: ")
    document.set_font("serif", "B" if bold else "", 10)
    document.write(LINE, value or "." * 60)
    document.ln(LINE)


def _facts(document: FPDF, slip: dict[str, Any]) -> None:
    _line(document, f"Họ và tên {slip['person_role'].lower()}", slip["person"])
    _line(document, "Địa chỉ", "")
    _line(document, "Nội dung", slip["reason"])
    _line(document, "Số tiền", slip["amount_in_figures"], bold=True)
    _line(document, "Viết bằng chữ", slip["amount_in_words"], bold=True)
    _line(document, "Kèm theo", "........ chứng từ kế toán")
    if slip["reversed"]:
        document.set_font("serif", "B", 10)
        document.multi_cell(WIDTH, 5, "Khoản này đã bị hủy bằng bút toán đảo; phiếu giữ số của nó.")


def _signatures(document: FPDF, slip: dict[str, Any]) -> None:
    document.ln(3)
    column = WIDTH / 5
    top = document.get_y()
    for index, (who, how) in enumerate(signatures(slip["kind"])):
        document.set_xy(10 + index * column, top)
        document.set_font("serif", "B", 7.5)
        document.multi_cell(column, 3.5, who, align="C")
        document.set_x(10 + index * column)
        document.set_font("serif", "", 6.5)
        document.multi_cell(column, 3.5, how, align="C")
        if who == "Người lập phiếu" and slip["made_by"]:
            document.set_xy(10 + index * column, top + 24)
            document.set_font("serif", "", 7)
            document.multi_cell(column, 3.5, str(slip["made_by"]), align="C")
    document.set_y(top + 32)


def _proof(document: FPDF, slip: dict[str, Any], proof_url: str) -> None:
    top = document.get_y()
    document.image(io.BytesIO(qr.png(proof_url, scale=6)), x=10, y=top, w=28, h=28)
    document.set_xy(40, top + 2)
    document.set_font("sans", "", 7.5)
    what = (
        "Quét mã để xem khoản ủng hộ này trong sổ công khai của Quỹ và kiểm chứng "
        "rằng nó nằm trong nhật ký đã ký:"
        if slip["kind"] == "receipt"
        else "Quét mã để xem sổ công khai của Quỹ:"
    )
    document.multi_cell(WIDTH - 30, 3.8, what)
    document.set_x(40)
    document.multi_cell(WIDTH - 30, 3.8, proof_url)
