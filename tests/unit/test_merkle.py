"""The log's Merkle tree against the reference test vectors of transparency-dev/merkle."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


# Properties over random trees ---------------------------------------------------------


def leaves_of(size: int) -> list[bytes]:
    return [merkle.leaf_hash(i.to_bytes(4, "big")) for i in range(size)]


def subtree_of(leaves: list[bytes]) -> merkle.SubtreeHash:
    return lambda start, n: merkle.root(leaves[start : start + n])


@st.composite
def ranges(draw: st.DrawFn) -> tuple[int, int, int]:
    size = draw(st.integers(1, 70))
    low = draw(st.integers(0, size - 1))
    high = draw(st.integers(low + 1, size))
    return low, high, size


@given(ranges())
def test_the_leaves_of_any_range_and_its_range_path_give_the_root(
    bounds: tuple[int, int, int],
) -> None:
    low, high, size = bounds
    leaves = leaves_of(size)
    path = merkle.range_path(subtree_of(leaves), low, high, size)
    assert merkle.root_from_range(leaves[low:high], low, size, path) == merkle.root(leaves)
    if (low, high) == (0, size):
        assert path == []


@given(ranges(), st.data())
def test_a_range_path_with_a_hash_changed_missing_or_added_gives_no_root_or_another(
    bounds: tuple[int, int, int], data: st.DataObject
) -> None:
    low, high, size = bounds
    leaves = leaves_of(size)
    head = merkle.root(leaves)
    path = merkle.range_path(subtree_of(leaves), low, high, size)
    extra = [*path, merkle.leaf_hash(b"extra")]
    assert merkle.root_from_range(leaves[low:high], low, size, extra) is None
    inserted = [merkle.leaf_hash(b"extra"), *path]
    assert merkle.root_from_range(leaves[low:high], low, size, inserted) != head
    if path:
        i = data.draw(st.integers(0, len(path) - 1))
        changed = [*path[:i], bytes([path[i][0] ^ 1]) + path[i][1:], *path[i + 1 :]]
        assert merkle.root_from_range(leaves[low:high], low, size, changed) != head
        missing = path[:i] + path[i + 1 :]
        assert merkle.root_from_range(leaves[low:high], low, size, missing) is None
        short = [*path[:i], path[i][:-1], *path[i + 1 :]]
        assert merkle.root_from_range(leaves[low:high], low, size, short) is None
    j = data.draw(st.integers(0, high - low - 1))
    flipped = list(leaves[low:high])
    flipped[j] = bytes([flipped[j][0] ^ 1]) + flipped[j][1:]
    assert merkle.root_from_range(flipped, low, size, path) != head
    if low > 0:  # the same leaves taken for a range one place later do not fit
        assert merkle.root_from_range(leaves[low:high], low - 1, size, path) != head


def test_range_path_refuses_ranges_outside_the_tree() -> None:
    subtree = subtree_of(leaves_of(8))
    for low, high, size in ((0, 0, 8), (3, 2, 8), (-1, 2, 8), (0, 9, 8), (8, 9, 8)):
        with pytest.raises(ValueError, match="not a range"):
            merkle.range_path(subtree, low, high, size)
    assert merkle.root_from_range([], 0, 8, []) is None
    assert merkle.root_from_range(leaves_of(9), 0, 8, []) is None


def flip(proof: list[bytes], index: int, bit: int) -> list[bytes]:
    changed = bytearray(proof[index])
    changed[bit // 8] ^= 1 << (bit % 8)
    return [*proof[:index], bytes(changed), *proof[index + 1 :]]


def test_inclusion_proofs_for_every_leaf_and_size_up_to_33_verify_and_flipped_bits_do_not() -> None:
    leaves = leaves_of(33)
    for size in range(1, 34):
        tree, head = leaves[:size], merkle.root(leaves[:size])
        for index in range(size):
            proof = merkle.inclusion_proof(tree, index)
            assert merkle.verify_inclusion(index, size, tree[index], proof, head)
            for p in range(len(proof)):
                assert not merkle.verify_inclusion(
                    index, size, tree[index], flip(proof, p, 0), head
                )
                assert not merkle.verify_inclusion(
                    index, size, tree[index], flip(proof, p, 255), head
                )
            assert not merkle.verify_inclusion(
                index, size, flip([tree[index]], 0, 7)[0], proof, head
            )
            assert not merkle.verify_inclusion(
                index, size, tree[index], proof, flip([head], 0, 9)[0]
            )
            assert not merkle.verify_inclusion(index, size, tree[index], [*proof, head], head)
            if proof:
                assert not merkle.verify_inclusion(index, size, tree[index], proof[:-1], head)
            if size > 1:
                other = (index + 1) % size
                assert not merkle.verify_inclusion(other, size, tree[index], proof, head)


def test_consistency_proofs_for_every_pair_of_sizes_up_to_33_verify_and_flipped_bits_do_not() -> (
    None
):
    leaves = leaves_of(33)
    roots = [merkle.root(leaves[:n]) for n in range(34)]
    for second in range(1, 34):
        for first in range(1, second + 1):
            proof = merkle.consistency_proof(leaves[:second], first)
            assert merkle.verify_consistency(first, second, roots[first], roots[second], proof)
            assert not merkle.verify_consistency(
                first, second, flip([roots[first]], 0, 3)[0], roots[second], proof
            )
            assert not merkle.verify_consistency(
                first, second, roots[first], flip([roots[second]], 0, 3)[0], proof
            )
            for p in range(len(proof)):
                for bit in (0, 131, 255):
                    assert not merkle.verify_consistency(
                        first, second, roots[first], roots[second], flip(proof, p, bit)
                    )
            if proof:
                assert not merkle.verify_consistency(
                    first, second, roots[first], roots[second], proof[:-1]
                )
                assert not merkle.verify_consistency(
                    first, second, roots[first], roots[second], [*proof, proof[0]]
                )


@settings(max_examples=200)
@given(st.integers(1, 300), st.data())
def test_proofs_made_from_stored_subtrees_equal_those_made_from_the_leaves(
    size: int, data: st.DataObject
) -> None:
    leaves = leaves_of(size)
    subtree = subtree_of(leaves)
    index = data.draw(st.integers(0, size - 1))
    first = data.draw(st.integers(1, size))
    assert merkle.inclusion_path(subtree, index, size) == merkle.inclusion_proof(leaves, index)
    assert merkle.consistency_path(subtree, first, size) == merkle.consistency_proof(leaves, first)
    assert merkle.verify_inclusion(
        index, size, leaves[index], merkle.inclusion_proof(leaves, index), merkle.root(leaves)
    )
