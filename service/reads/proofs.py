"""The log's proofs as the API and the pages show them: a checkpoint with its cosigned
note, and a receipt with its leaf and its inclusion proof to the latest checkpoint."""

from __future__ import annotations

import base64
from typing import Any

from service.adapters.db import Row, Transaction
from service.domain.text import mask_name
from service.domain.vocabulary import DonorKind
from service.projections import checkpoints as checkpoint_view
from service.projections import ledger as ledger_view
from service.projections.log import Tree


def b64(value: bytes) -> str:
    return base64.b64encode(value).decode()


def checkpoint_out(tx: Transaction, row: Row) -> dict[str, Any]:
    return {
        "tree_size": row["tree_size"],
        "root_hash": row["root_hash"],
        "timestamp": row["made_at"],
        "checkpoint": checkpoint_view.cosigned_note(tx, row),
    }


def proved_receipts(tx: Transaction, reference: str) -> list[dict[str, Any]]:
    """The receipts recorded under ``reference`` (an entry id, a slip reference or a bank
    reference), each proved against the latest signed checkpoint; none for no reference."""
    rows = ledger_view.receipts_by_reference(tx, reference) if reference else []
    latest = checkpoint_view.latest(tx) if rows else None
    return [proved(tx, row, latest) for row in rows]


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
