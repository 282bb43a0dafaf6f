"""The log's Merkle tree against the reference test vectors of transparency-dev/merkle."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from service.domain import merkle

VECTORS = Path(__file__).resolve().parent.parent / "vectors" / "merkle"
#: The leaves of the reference implementation's test trees (RFC 6962 test data).
LEAVES = [
    bytes.fromhex(h)
    for h in [
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    ]
]


def cases(kind: str) -> list[Any]:
    files = sorted((VECTORS / kind).rglob("*.json"))
    assert files, f"no {kind} vectors under {VECTORS}"
    return [pytest.param(json.loads(f.read_text()), id=str(f.relative_to(VECTORS))) for f in files]


def b64(value: str | None) -> bytes:
    return base64.b64decode(value) if value else b""


@pytest.mark.parametrize("case", cases("inclusion"))
def test_the_inclusion_verifier_agrees_with_the_reference_vector(case: dict[str, Any]) -> None:
    verdict = merkle.verify_inclusion(
        case["leafIdx"],
        case["treeSize"],
        b64(case["leafHash"]),
        [b64(p) for p in case["proof"] or []],
        b64(case["root"]),
    )
    assert verdict is not case["wantErr"], case["desc"]


@pytest.mark.parametrize("case", cases("consistency"))
def test_the_consistency_verifier_agrees_with_the_reference_vector(case: dict[str, Any]) -> None:
    verdict = merkle.verify_consistency(
        case["size1"],
        case["size2"],
        b64(case["root1"]),
        b64(case["root2"]),
        [b64(p) for p in case["proof"] or []],
    )
    assert verdict is not case["wantErr"], case["desc"]


def test_roots_of_the_reference_trees_match_rfc_6962() -> None:
    hashes = [merkle.leaf_hash(leaf) for leaf in LEAVES]
    assert merkle.root(hashes).hex() == (
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"
    )
    assert merkle.root([]).hex() == (
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    )


def test_proofs_made_for_every_leaf_and_size_verify_and_match_the_reference() -> None:
    hashes = [merkle.leaf_hash(leaf) for leaf in LEAVES]
    for size in range(1, len(hashes) + 1):
        tree, head = hashes[:size], merkle.root(hashes[:size])
        for index in range(size):
            proof = merkle.inclusion_proof(tree, index)
            assert merkle.verify_inclusion(index, size, tree[index], proof, head)
            assert not merkle.verify_inclusion(index, size, tree[index], proof, b"\x00" * 32)
        for first in range(1, size + 1):
            proof = merkle.consistency_proof(tree, first)
            assert merkle.verify_consistency(first, size, merkle.root(tree[:first]), head, proof)
    for case in (c.values[0] for c in cases("inclusion")):
        if not case["wantErr"] and case["treeSize"] <= len(hashes) and case["desc"] == "happy path":
            made = merkle.inclusion_proof(hashes[: case["treeSize"]], case["leafIdx"])
            assert made == [b64(p) for p in case["proof"] or []]
