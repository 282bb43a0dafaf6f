"""The shared makers of printed documents: a PDF set in the bundled fonts carries every
Vietnamese letter, and a QR code decodes back to what it was made of."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import zxingcpp
from PIL import Image

from service.adapters import pdf, qr


def test_a_pdf_holds_vietnamese_text_in_both_faces_and_is_the_same_each_time() -> None:
    def make() -> bytes:
        document = pdf.document("A5", datetime(2026, 12, 2, 9, 30, tzinfo=UTC))
        document.add_page()
        document.cell(text="Phiếu thu: Một triệu đồng chẵn — Quỹ Vì người nghèo")
        document.set_font("sans", "B", 12)
        document.cell(text="Người nộp tiền: Nguyễn Thị Hằng")
        return pdf.to_bytes(document)

    first = make()
    assert first.startswith(b"%PDF-")
    assert first == make()


def test_a_qr_code_decodes_back_to_its_text() -> None:
    text = "https://sovang.example/cong-khai/bien-nhan/PT-2026-000123"
    image = Image.open(io.BytesIO(qr.png(text)))
    assert [found.text for found in zxingcpp.read_barcodes(image)] == [text]
    assert qr.svg(text).startswith("<svg")
