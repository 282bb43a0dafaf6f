"""/thu-quy/phieu/: a cash receipt's phiếu thu and a cash payment's phiếu chi, printed on
A5 from the browser (the page's print style sheet) or kept as a PDF for the archive, both
carrying a QR code of the entry's public proof page. Behind the login, with the reader's
rights: a fund out of reach is refused as on every page."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint, Response, render_template, url_for

from service.adapters import qr
from service.domain.errors import EntryNotFound
from service.pages import access
from service.pages.slip_pdf import signatures, slip_pdf
from service.reads import fresh
from service.reads.slips import named, slip
from service.web.context import services

bp = Blueprint("slips", __name__, template_folder="templates", url_prefix="/thu-quy/phieu")
access.protect(bp)


def proof_url(found: dict[str, Any]) -> str:
    """What the slip's QR code opens: a receipt's public proof page, or for a payment the
    fund's public statement (a payment has no page of its own for the public)."""
    if found["kind"] == "receipt":
        return url_for("pages.receipt_page", reference=found["slip_ref"], _external=True)
    return url_for("pages.statement_page", fund_id=found["fund_id"], _external=True)


def _found(entry_id: UUID) -> dict[str, Any]:
    """The slip; one printed right after its entry was recorded waits for the read models
    to reach the log's head before the entry is called unknown."""
    try:
        with fresh({}) as (tx, _):
            found = slip(tx, entry_id)
    except EntryNotFound:
        with fresh({"min_position": services().runner.head()}) as (tx, _):
            found = slip(tx, entry_id)
    return named(found)


@bp.get("/<uuid:entry_id>")
def slip_page(entry_id: UUID) -> str:
    """The printable slip: A5 when printed, readable on a phone before that."""
    found = _found(entry_id)
    url = proof_url(found)
    code = qr.svg(url, title="Mã QR của trang bằng chứng công khai", fluid=True)
    return render_template(
        "slips/slip.html",
        slip=found,
        proof_url=url,
        qr_code=code,
        signatures=signatures(found["kind"]),
    )


@bp.get("/<uuid:entry_id>.pdf")
def slip_file(entry_id: UUID) -> Response:
    """The same slip as an A5 PDF, the archive copy."""
    found = _found(entry_id)
    body = slip_pdf(found, proof_url(found))
    name = f"{found['slip_ref']}.pdf"
    return Response(
        body,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}"'},
    )
