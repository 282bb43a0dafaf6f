"""Giving by VietQR on the public pages: the code on a fund's statement page (inline SVG)
and the printable appeal poster (A4 PDF) with the fund's name, its VietQR code and the
proof QR of its public page."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from flask import Blueprint, Response, abort, url_for

from service.adapters import pdf, qr
from service.domain.clock import VIETNAM
from service.projections import funds as fund_view
from service.projections import units as unit_view
from service.reads import fresh
from service.reads.giving import fund_vietqr

bp = Blueprint("giving_pages", __name__, template_folder="templates", url_prefix="/cong-khai")


@bp.app_template_global("giving_code")
def giving_code(fund_id: str) -> dict[str, Any] | None:
    """The fund's VietQR code with its SVG, for a page to show; None without an account."""
    with fresh({}) as (tx, _):
        code = fund_vietqr(tx, UUID(str(fund_id)))
    if code is None:
        return None
    title = f"Mã VietQR: {code['account_number']}, nội dung {code['memo']}"
    return {**code, "svg": qr.svg(code["payload"], scale=5, title=title)}


@bp.get("/quy/<uuid:fund_id>/ap-phich.pdf")
def poster(fund_id: UUID) -> Response:
    """The fund's appeal poster, A4, to print and post at the commune's office."""
    with fresh({}) as (tx, _):
        fund = fund_view.get(tx, str(fund_id))
        if fund is None:
            abort(404)
        unit = unit_view.get(tx, fund["unit_id"])
        code = fund_vietqr(tx, fund_id)
    if code is None:
        abort(404)
    page = url_for("pages.statement_page", fund_id=fund_id, _external=True)
    made = datetime.fromisoformat(str(fund["opened_at"])).astimezone(VIETNAM)
    document = appeal_poster(fund["name"], unit["name"] if unit else "", code, page, made)
    return Response(
        pdf.to_bytes(document),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="ap-phich-{fund_id}.pdf"'},
    )


def appeal_poster(
    fund_name: str, unit_name: str, code: dict[str, Any], page_url: str, made: datetime
) -> Any:
    """The poster: who calls for gifts, the VietQR code with the account written out, and
    the QR of the public statement where every gift can be checked."""
    document = pdf.document("A4", made)
    document.add_page()
    width = document.epw
    document.set_font("sans", "B", 16)
    document.multi_cell(width, 9, unit_name.upper(), align="C")
    document.set_font("sans", "B", 26)
    document.multi_cell(width, 13, "KÊU GỌI ỦNG HỘ", align="C")
    document.set_font("serif", "B", 20)
    document.multi_cell(width, 11, fund_name, align="C")
    document.ln(4)
    size = 110.0
    document.image(qr.png(code["payload"], scale=10), x=(210 - size) / 2, w=size, h=size)
    document.ln(2)
    document.set_font("sans", "", 13)
    lines = [
        f"Quét mã bằng ứng dụng ngân hàng, hoặc chuyển khoản tới tài khoản "
        f"{code['account_number']} ({code['account_name']}).",
        f"Nội dung chuyển khoản: {code['memo']}",
        "Mã trong nội dung giúp khoản ủng hộ được ghi vào đúng quỹ ngay khi ngân hàng báo về.",
    ]
    for line in lines:
        document.multi_cell(width, 7, line, align="C")
    document.ln(4)
    proof = 45.0
    document.image(qr.png(page_url, scale=6), x=(210 - proof) / 2, w=proof, h=proof)
    document.set_font("sans", "", 11)
    document.multi_cell(
        width,
        6,
        f"Sao kê công khai, mỗi khoản kèm bằng chứng: {page_url}",
        align="C",
    )
    return document
