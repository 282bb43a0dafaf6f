"""Thank-you letters (thư cảm ơn) and certificates (giấy chứng nhận) as a PDF, one page
each: the unit's heading and the national motto, the donor and what they gave, the QR
code of the gift's public proof, the place for the unit's seal and the signature block."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from fpdf import FPDF

from service.adapters import pdf, qr
from service.domain.money import vnd

TITLES = {"letter": "THƯ CẢM ƠN", "certificate": "GIẤY CHỨNG NHẬN"}


def render(letters: Sequence[Mapping[str, Any]], proof_url: Any) -> bytes:
    """The letters, a page each; ``proof_url(letter)`` is the public address its QR
    code carries. Dated by the first letter's issue, so the same letters give the same
    bytes."""
    made = datetime.fromisoformat(letters[0]["issued_at"]) if letters else datetime(2000, 1, 1)
    document = pdf.document("A4", made)
    for letter in letters:
        _page(document, letter, str(proof_url(letter)))
    return pdf.to_bytes(document)


def _day(iso: str) -> str:
    return date.fromisoformat(iso[:10]).strftime("%d/%m/%Y")


def _page(document: FPDF, letter: Mapping[str, Any], url: str) -> None:
    document.add_page()
    width = document.epw / 2
    top = document.get_y()
    document.set_font("serif", "B", 10)
    document.multi_cell(width, 6, f"ỦY BAN MTTQ VIỆT NAM\n{letter['unit_name'].upper()}", align="C")
    document.set_xy(document.l_margin + width, top)
    document.multi_cell(
        width, 6, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc", align="C"
    )
    document.ln(18)
    document.set_font("serif", "B", 22)
    document.cell(0, 12, TITLES[letter["kind"]], align="C", new_x="LMARGIN", new_y="NEXT")
    document.ln(8)
    document.set_font("serif", "", 13)
    gifts = len(letter["entry_ids"])
    period = (
        f"ngày {_day(letter['first_on'])}"
        if letter["first_on"] == letter["last_on"]
        else f"từ ngày {_day(letter['first_on'])} đến ngày {_day(letter['last_on'])}"
    )
    given = f"{vnd(int(letter['amount']))} ({gifts} khoản, {period})"
    if letter["kind"] == "certificate":
        text = (
            f"Ủy ban MTTQ Việt Nam {letter['unit_name']} chứng nhận:\n\n"
            f"{letter['donor_name']}\n\n"
            f"đã ủng hộ {letter['fund_name']} số tiền {given}.\n\n"
            "Tấm lòng của quý vị đã được ghi vào sổ công khai của Quỹ."
        )
    else:
        text = (
            f"Kính gửi: {letter['donor_name']}\n\n"
            f"Ủy ban MTTQ Việt Nam {letter['unit_name']} trân trọng cảm ơn quý vị đã ủng hộ "
            f"{letter['fund_name']} số tiền {given}.\n\n"
            "Mỗi đồng quý vị gửi được ghi vào sổ công khai của Quỹ và chi đúng mục đích; "
            "quý vị có thể tự kiểm tra bằng mã QR dưới đây. Kính chúc quý vị sức khỏe, "
            "hạnh phúc và thành công."
        )
    document.multi_cell(0, 7, text, align="J", new_x="LMARGIN", new_y="NEXT")
    document.ln(8)
    below = document.get_y()
    document.image(io.BytesIO(qr.png(url)), x=document.l_margin, y=below, w=38)
    document.set_xy(document.l_margin, below + 39)
    document.set_font("sans", "", 8)
    document.multi_cell(
        70, 4, f"Quét mã để xem khoản ủng hộ trên trang công khai:\n{url}", align="L"
    )
    right = document.l_margin + width
    document.set_xy(right, below)
    document.set_font("serif", "", 12)
    issued = datetime.fromisoformat(letter["issued_at"])
    document.multi_cell(
        width,
        6,
        f"Ngày {issued:%d} tháng {issued:%m} năm {issued:%Y}\nTM. BAN THƯỜNG TRỰC\nCHỦ TỊCH",
        align="C",
    )
    seal_x, seal_y = right + width / 2 - 16, document.get_y() + 3
    document.set_draw_color(180, 38, 30)
    document.circle(x=seal_x, y=seal_y, radius=16)
    document.set_xy(seal_x, seal_y + 13)
    document.set_font("sans", "", 8)
    document.cell(32, 6, "(Đóng dấu)", align="C")
    document.set_xy(right, seal_y + 36)
    document.set_font("serif", "", 10)
    document.multi_cell(width, 5, "(Ký, ghi rõ họ tên)", align="C")
