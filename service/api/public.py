"""What anyone may read without a token: a donor checks their own gift."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from service.adapters.db import Row, Transaction
from service.api.log import b64, checkpoint_out
from service.api.operation import operation
from service.api.reads import fresh
from service.api.schemas.common import ReadQuery
from service.api.schemas.public import PublicReceipts
from service.domain.errors import NotFound
from service.domain.text import mask_name
from service.domain.vocabulary import DonorKind
from service.projections import checkpoints as checkpoint_view
from service.projections import ledger as ledger_view
from service.projections.log import Tree

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
        rows = ledger_view.receipts_by_reference(tx, reference) if reference else []
        if not rows:
            raise NotFound(
                "Không có khoản thu nào được ghi với mã tham chiếu này. "
                "Hãy kiểm tra lại mã trên biên nhận."
            )
        latest = checkpoint_view.latest(tx)
        return {"reference": reference, "receipts": [proved(tx, row, latest) for row in rows]}


def proved(tx: Transaction, row: Row, latest: Row | None) -> dict[str, Any]:
    tree = Tree(tx)
    position = int(row["position"])
    covered = latest is not None and position <= int(latest["tree_size"])
    name = row["donor_name"]
    if name and row["donor_kind"] == DonorKind.INDIVIDUAL:
        name = mask_name(name)
    return {
        **row,
        "donor_name": name,
        "reversed": row["reversed_by_entry_id"] is not None,
        "leaf": {
            "position": position,
            "leaf_index": position - 1,
            "leaf_hash": b64(tree.leaf(position - 1)),
        },
        "checkpoint": checkpoint_out(tx, latest) if covered and latest else None,
        "inclusion_proof": (
            [b64(node) for node in tree.inclusion_proof(position - 1, int(latest["tree_size"]))]
            if covered and latest
            else None
        ),
    }
