"""A witness cosigns a log's checkpoints only as the log grows (c2sp.org/tlog-witness)."""

from __future__ import annotations

import hashlib

import pytest

from service.domain import merkle
from service.domain.checkpoints import TreeHead
from service.domain.notes import COSIGNATURE, Note, Signer
from service.domain.witness import (
    AddCheckpoint,
    Cosigned,
    WitnessRefusal,
    add_checkpoint,
    read_state,
    write_state,
)

LOG = Signer.generate("example.org/log")
WITNESS = Signer.generate("thanhtra.example/w", COSIGNATURE)


def leaves(count: int, salt: bytes = b"") -> list[bytes]:
    return [merkle.leaf_hash(salt + hashlib.sha256(bytes([i])).digest()) for i in range(count)]


def checkpoint(tree: list[bytes], log: Signer = LOG) -> str:
    head = TreeHead(log.name, len(tree), merkle.root(tree))
    return head.text + "\n" + log.sign(head.text)


def request(old: int, tree: list[bytes], proof: list[bytes] | None = None) -> AddCheckpoint:
    if proof is None:
        proof = merkle.consistency_proof(tree, old) if 0 < old < len(tree) else []
    return AddCheckpoint(old, tuple(proof), checkpoint(tree))


def cosign(req: AddCheckpoint, state: dict[str, Cosigned]) -> str:
    line, latest = add_checkpoint(req, [LOG.verifier], state, WITNESS, 1_700_000_000)
    state[LOG.name] = latest
    return line


def refusal(req: AddCheckpoint, state: dict[str, Cosigned]) -> WitnessRefusal:
    with pytest.raises(WitnessRefusal) as refused:
        cosign(req, state)
    return refused.value


def test_a_request_reads_and_writes_as_the_protocol_spells_it() -> None:
    tree = leaves(9)
    req = request(4, tree)
    body = str(req)
    assert body.startswith("old 4\n")
    assert body.split("\n\n", 1)[1] == req.checkpoint
    assert AddCheckpoint.parse(body) == req
    for bad in ("old 04\n\n" + req.checkpoint, "old x\n\n", "new 4\n\n", "old 4\n!!\n\n"):
        assert refusal_of_parse(bad).status == 400
    too_long = "old 4\n" + "AAAA\n" * 64 + "\n" + req.checkpoint
    assert refusal_of_parse(too_long).status == 400


def refusal_of_parse(body: str) -> WitnessRefusal:
    with pytest.raises(WitnessRefusal) as refused:
        AddCheckpoint.parse(body)
    return refused.value


def test_the_witness_cosigns_a_first_checkpoint_then_only_with_a_proof_from_it() -> None:
    state: dict[str, Cosigned] = {}
    tree = leaves(20)
    line = cosign(request(0, tree[:7]), state)
    assert Note.parse(checkpoint(tree[:7]) + line).signed_by(WITNESS.verifier) is not None
    assert state[LOG.name].size == 7

    cosign(request(7, tree[:20]), state)
    assert state[LOG.name].size == 20
    cosign(request(20, tree[:20]), state)  # the same checkpoint again

    stale = refusal(request(7, tree[:20]), state)
    assert (stale.status, stale.latest_size, stale.split_view) == (409, 20, False)
    fresh = refusal(request(0, tree[:20]), state)
    assert (fresh.status, fresh.latest_size) == (409, 20)


def test_a_split_view_is_refused_whatever_proof_comes_with_it() -> None:
    state: dict[str, Cosigned] = {}
    honest = leaves(12)
    cosign(request(0, honest[:8]), state)
    forked = honest[:5] + leaves(7, b"fork")  # the same first five leaves, then others
    # The fork's own proof from its own size-8 tree does not join the witness's root.
    refused = refusal(request(8, forked), state)
    assert (refused.status, refused.split_view) == (422, True)
    # Nor does the honest proof, sent with the forked checkpoint.
    honest_proof = merkle.consistency_proof(honest, 8)
    assert refusal(request(8, forked, honest_proof), state).status == 422
    # A second checkpoint of the size already cosigned, with another root.
    same_size = refusal(request(8, forked[:8]), state)
    assert (same_size.status, same_size.split_view) == (409, True)
    assert state[LOG.name].size == 8


def test_unknown_logs_bad_signatures_and_bad_sizes_get_the_protocols_statuses() -> None:
    state: dict[str, Cosigned] = {}
    tree = leaves(6)
    stranger = Signer.generate("other.example/log")
    assert refusal(AddCheckpoint(0, (), checkpoint(tree, stranger)), state).status == 404
    impostor = Signer.generate(LOG.name)
    assert refusal(AddCheckpoint(0, (), checkpoint(tree, impostor)), state).status == 403
    assert refusal(AddCheckpoint(7, (), checkpoint(tree)), state).status == 400
    with_proof = AddCheckpoint(0, (merkle.leaf_hash(b"x"),), checkpoint(tree))
    assert refusal(with_proof, state).status == 422
    assert state == {}


def test_the_state_file_keeps_each_logs_latest_checkpoint() -> None:
    state: dict[str, Cosigned] = {}
    cosign(request(0, leaves(3)), state)
    assert read_state(write_state(state)) == state
    assert read_state("") == {}
