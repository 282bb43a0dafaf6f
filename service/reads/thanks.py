"""Thanks to donors as the API reads them: which gifts a letter is for, the letters of a
batch as a PDF, and what a donor was sent."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from flask import request

from service.adapters import thanks_letters
from service.adapters.db import Row, Transaction
from service.application.roles import THANKS_WRITERS
from service.domain.errors import FundNotFound, InvalidInput, NotFound
from service.projections import funds as fund_view
from service.projections import thanks as thanks_view
from service.reads import require_reach


def require_writer(tx: Transaction, fund_id: UUID) -> None:
    """Refuses, before anything of the fund is read, a token that may not thank its donors."""
    fund = fund_view.get(tx, str(fund_id))
    if fund is None:
        raise FundNotFound(
            "Không có quỹ nào với mã này. Hãy kiểm tra lại mã quỹ.", fund_id=str(fund_id)
        )
    require_reach(tx, fund["unit_id"], THANKS_WRITERS)


def gifts_asked(tx: Transaction, fund_id: UUID, body: dict[str, Any]) -> list[list[UUID]]:
    """The gifts one letter is for: the gift ``entry_id``, or every standing gift of
    ``donor_name`` to the fund from ``from`` to ``to``."""
    if body["entry_id"] is not None:
        return [[body["entry_id"]]]
    if not body["donor_name"] or body["first"] is None or body["last"] is None:
        raise InvalidInput(
            "entry_id",
            "Hãy chọn một khoản ủng hộ (entry_id), hoặc ghi tên người ủng hộ cùng ngày bắt "
            "đầu và ngày kết thúc (donor_name, from, to).",
        )
    found = thanks_view.gifts_of_donor(
        tx, str(fund_id), body["donor_name"], body["first"].isoformat(), body["last"].isoformat()
    )
    if not found:
        raise InvalidInput(
            "donor_name", "Người này không có khoản ủng hộ nào còn hiệu lực trong kỳ đã chọn."
        )
    return [[UUID(entry) for entry in found]]


def donors_above(tx: Transaction, fund_id: UUID, body: dict[str, Any]) -> list[list[UUID]]:
    """The gifts of each named donor who gave at least the threshold in the period."""
    if body["first"] > body["last"]:
        raise InvalidInput("to", "Ngày kết thúc phải bằng hoặc sau ngày bắt đầu.")
    groups = thanks_view.donors_of_fund(
        tx, str(fund_id), body["first"].isoformat(), body["last"].isoformat(), body["threshold"]
    )
    return [[UUID(entry) for entry in group] for group in groups]


def proof_url(letter: Row) -> str:
    """The public page a letter's QR code opens: the gift's proof, or for several gifts the
    fund's statement over their days."""
    root = request.url_root.rstrip("/")
    if len(letter["entry_ids"]) == 1:
        return f"{root}/cong-khai/bien-lai/{letter['entry_ids'][0]}"
    days = urlencode({"tu": letter["first_on"], "den": letter["last_on"]})
    return f"{root}/cong-khai/quy/{letter['fund_id']}?{days}"


def batch_pdf(tx: Transaction, batch_id: UUID) -> bytes:
    """The letters issued together, a page each, if the token reaches their unit."""
    letters = thanks_view.batch(tx, str(batch_id))
    if not letters:
        raise NotFound("Không có đợt thư cảm ơn nào với mã này. Hãy kiểm tra lại mã.")
    require_reach(tx, letters[0]["unit_id"])
    return thanks_letters.render(letters, proof_url)
