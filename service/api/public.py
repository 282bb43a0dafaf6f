"""What anyone may read without a token: a donor checks their own gift."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from service.api.operation import operation
from service.api.schemas import PublicReceipts, ReadQuery
from service.domain.errors import NotFound
from service.reads import fresh
from service.reads.proofs import proved_receipts

bp = Blueprint("public", __name__)


@bp.get("/public/receipts/<reference>")
@operation(
    "Check a gift: its receipt and its proof",
    tag="public",
    query=ReadQuery,
    response=PublicReceipts,
    public=True,
    errors=(404, 422, 503),
)
def receipt(reference: str, query: dict[str, Any]) -> dict[str, Any]:
    """The receipts recorded under ``reference`` (the receipt's entry id, its slip
    reference ``PT-year-number-fund``, or the bank's transaction reference), a person's
    name masked, each with its leaf in the log and the inclusion proof to the latest
    signed checkpoint that covers it."""
    reference = reference.strip()
    with fresh(query) as (tx, _):
        receipts = proved_receipts(tx, reference)
        if not receipts:
            raise NotFound(
                "Không có khoản thu nào được ghi với mã tham chiếu này. "
                "Hãy kiểm tra lại mã trên biên nhận."
            )
        return {"reference": reference, "receipts": receipts}
