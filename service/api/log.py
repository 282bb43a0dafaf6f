"""The log's signed checkpoints, their witnesses, and the proofs anyone can check."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from service.adapters.db import Transaction
from service.api.operation import operation, write_request, written
from service.api.schemas import (
    CheckpointOut,
    CheckpointsQuery,
    ConsistencyOut,
    ConsistencyQuery,
    CosignatureIn,
    CosignedOut,
    InclusionOut,
    InclusionQuery,
    LogKeyOut,
    ReadQuery,
    WitnessIn,
    WitnessList,
    WitnessOut,
    page_of,
)
from service.application.checkpoints import sign_or_reuse
from service.domain.errors import InvalidInput, NotFound
from service.projections import checkpoints as checkpoint_view
from service.projections.log import Tree
from service.reads import fresh, page
from service.reads.audit import require_auditor
from service.reads.proofs import b64, checkpoint_out
from service.web.context import services

bp = Blueprint("log", __name__)


@bp.get("/audit/key")
@operation("The log's public key", tag="log", response=LogKeyOut, public=True, errors=(503,))
def log_key() -> dict[str, Any]:
    """The verifier key that checks the service's signature on every checkpoint: archive
    it once, from a source you trust, and check every checkpoint against it."""
    signer = services().signer()
    return {"origin": signer.name, "verifier_key": str(signer.verifier)}


@bp.get("/audit/checkpoints/latest")
@operation(
    "The latest signed checkpoint",
    tag="log",
    query=ReadQuery,
    response=CheckpointOut,
    public=True,
    errors=(404, 422, 503),
)
def latest_checkpoint(query: dict[str, Any]) -> dict[str, Any]:
    """The newest signed tree head, with every witness's cosignature, as a signed note."""
    with fresh(query) as (tx, _):
        row = checkpoint_view.latest(tx)
        if row is None:
            raise NotFound(
                "Chưa có điểm kiểm tra nào được ký. Hãy chờ hệ thống ký điểm kiểm tra đầu tiên."
            )
        return checkpoint_out(tx, row)


@bp.get("/audit/checkpoints/<int(max=4611686018427387904):tree_size>")
@operation(
    "A signed checkpoint by its tree size",
    tag="log",
    query=ReadQuery,
    response=CheckpointOut,
    public=True,
    errors=(404, 422, 503),
)
def checkpoint_of_size(tree_size: int, query: dict[str, Any]) -> dict[str, Any]:
    with fresh(query) as (tx, _):
        row = checkpoint_view.of_size(tx, tree_size)
        if row is None:
            raise NotFound(f"Không có điểm kiểm tra nào được ký với kích thước cây {tree_size}.")
        return checkpoint_out(tx, row)


@bp.get("/audit/checkpoints")
@operation(
    "Every signed checkpoint",
    tag="log",
    query=CheckpointsQuery,
    response=page_of(CheckpointOut),
    public=True,
    errors=(422, 503),
)
def list_checkpoints(query: dict[str, Any]) -> dict[str, Any]:
    """The checkpoints in order of tree size, for boards that archive each of them."""
    with fresh(query) as (tx, _):
        rows = checkpoint_view.page(tx, after_size=query["cursor"] or 0, limit=query["limit"] + 1)
        items = [checkpoint_out(tx, row) for row in rows]
    return page(items, query["limit"], lambda item: item["tree_size"])


@bp.post("/audit/checkpoints")
@operation(
    "Sign a checkpoint now",
    tag="log",
    response=CheckpointOut,
    status=201,
    also={200: "The latest checkpoint still covers everything but checkpoints: it is answered"},
    errors=(401, 403, 409, 429, 503),
    creates={201: "tree_size"},
)
def sign_now() -> tuple[dict[str, Any], int]:
    """Signs the log's current tree head, for a board that wants one before it archives
    (201); when nothing but checkpoints was logged since the latest, answers that one
    (200) and adds nothing to the log. A token may ask a few times a minute (429)."""
    who = require_auditor("ký điểm kiểm tra")
    svc = services()
    svc.checkpoint_requests.count(who.id)
    checkpoint, signed = sign_or_reuse(svc, wait_seconds=svc.config.read_wait_seconds)
    answer = {
        "tree_size": checkpoint.tree_size,
        "root_hash": checkpoint.root_hash,
        "timestamp": checkpoint.created_on.isoformat(),
        "checkpoint": checkpoint.note,
    }
    return answer, 201 if signed else 200


@bp.post("/audit/witnesses")
@operation(
    "Register a witness's key",
    tag="log",
    body=WitnessIn,
    response=WitnessOut,
    status=201,
    errors=(401, 403, 409, 422, 503),
)
def register_witness(body: dict[str, Any]) -> dict[str, Any]:
    """An inspection board registers the public key it will cosign checkpoints with."""
    return written(
        services().ledger.register_witness(write_request(), body["verifier_key"], body["unit_id"])
    )


@bp.get("/audit/witnesses")
@operation(
    "The registered witnesses",
    tag="log",
    query=ReadQuery,
    response=WitnessList,
    public=True,
    errors=(422, 503),
)
def list_witnesses(query: dict[str, Any]) -> dict[str, Any]:
    with fresh(query) as (tx, _):
        return {"items": checkpoint_view.witnesses(tx)}


@bp.post("/audit/checkpoints/<int(max=4611686018427387904):tree_size>/cosignatures")
@operation(
    "Add a witness's cosignature to a checkpoint",
    tag="log",
    body=CosignatureIn,
    response=CosignedOut,
    status=201,
    errors=(401, 403, 404, 409, 422, 503),
)
def cosign(tree_size: int, body: dict[str, Any]) -> dict[str, Any]:
    """A registered witness's cosignature/v1 line over the checkpoint's text; it is
    checked, kept, and served after the service's own signature from then on."""
    return written(
        services().ledger.cosign_checkpoint(write_request(), tree_size, body["signature"])
    )


@bp.get("/audit/proofs/inclusion")
@operation(
    "Prove that an event is in the log",
    tag="log",
    query=InclusionQuery,
    response=InclusionOut,
    public=True,
    errors=(422, 503),
)
def inclusion(query: dict[str, Any]) -> dict[str, Any]:
    """The RFC 6962 audit path from the leaf of the event at ``position`` to the root of
    the tree of ``tree_size`` leaves."""
    size, index = query["tree_size"], query["position"] - 1
    with fresh(query) as (tx, _):
        tree = _tree_of(tx, size, "tree_size")
        return {
            "leaf_index": index,
            "tree_size": size,
            "leaf_hash": b64(tree.leaf(index)),
            "root_hash": b64(tree.root(size)),
            "proof": [b64(node) for node in tree.inclusion_proof(index, size)],
        }


@bp.get("/audit/proofs/consistency")
@operation(
    "Prove that the log only grew between two sizes",
    tag="log",
    query=ConsistencyQuery,
    response=ConsistencyOut,
    public=True,
    errors=(422, 503),
)
def consistency(query: dict[str, Any]) -> dict[str, Any]:
    """The RFC 6962 proof that the tree of ``first`` leaves is a prefix of the tree of
    ``second`` leaves: nothing recorded before was changed, removed or reordered."""
    first, second = query["first"], query["second"]
    with fresh(query) as (tx, _):
        tree = _tree_of(tx, second, "second")
        return {
            "first": first,
            "second": second,
            "first_root": b64(tree.root(first)),
            "second_root": b64(tree.root(second)),
            "proof": [b64(node) for node in tree.consistency_proof(first, second)],
        }


def _tree_of(tx: Transaction, size: int, field: str) -> Tree:
    tree = Tree(tx)
    held = tree.size()
    if size > held:
        raise InvalidInput(
            field, f"Cây của nhật ký hiện mới có {held} lá; hãy chọn kích thước không lớn hơn."
        )
    return tree
