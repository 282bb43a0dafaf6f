"""The log's Merkle tree, as RFC 6962 / RFC 9162 define it (SHA-256, leaf prefix 0x00,
node prefix 0x01): tree heads, inclusion and consistency proofs, and their verifiers.

The verifiers follow RFC 9162 sections 2.1.3.2 and 2.1.4.2 and agree with every test
vector of the reference implementation (transparency-dev/merkle), forged and
malformed proofs included.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

HASH_SIZE = 32


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def root(leaves: Sequence[bytes]) -> bytes:
    """MTH(D[n]): the root hash of the tree whose leaf hashes are ``leaves``."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaves[0]
    k = split(len(leaves))
    return node_hash(root(leaves[:k]), root(leaves[k:]))


def inclusion_proof(leaves: Sequence[bytes], index: int) -> list[bytes]:
    """PATH(m, D[n]): the audit path of leaf ``index`` in the tree of ``leaves``."""
    return inclusion_path(_hash_over(leaves), index, len(leaves))


def consistency_proof(leaves: Sequence[bytes], first: int) -> list[bytes]:
    """PROOF(m, D[n]): proves the tree of the first ``first`` leaves is a prefix."""
    if first == 0:
        return []
    return consistency_path(_hash_over(leaves), first, len(leaves))


#: The root hash of the leaves [start, start + n) of a tree, however they are stored.
SubtreeHash = Callable[[int, int], bytes]


def inclusion_path(subtree: SubtreeHash, index: int, size: int) -> list[bytes]:
    """PATH(m, D[n]) for a tree whose subtree hashes ``subtree`` gives."""
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of size {size}")
    return _path(subtree, index, 0, size)


def consistency_path(subtree: SubtreeHash, first: int, second: int) -> list[bytes]:
    """PROOF(m, D[n]) for a tree whose subtree hashes ``subtree`` gives."""
    if not 0 < first <= second:
        raise ValueError("a consistency proof needs 0 < first <= second")
    return [] if first == second else _subproof(subtree, first, 0, second, complete=True)


def split(n: int) -> int:
    """The largest power of two smaller than ``n`` (n > 1): where RFC 6962 splits a tree."""
    return 1 << ((n - 1).bit_length() - 1)


def _hash_over(leaves: Sequence[bytes]) -> SubtreeHash:
    return lambda start, n: root(leaves[start : start + n])


def _path(subtree: SubtreeHash, index: int, start: int, n: int) -> list[bytes]:
    if n == 1:
        return []
    k = split(n)
    if index < k:
        return [*_path(subtree, index, start, k), subtree(start + k, n - k)]
    return [*_path(subtree, index - k, start + k, n - k), subtree(start, k)]


def _subproof(subtree: SubtreeHash, m: int, start: int, n: int, *, complete: bool) -> list[bytes]:
    if m == n:
        return [] if complete else [subtree(start, n)]
    k = split(n)
    if m <= k:
        return [*_subproof(subtree, m, start, k, complete=complete), subtree(start + k, n - k)]
    return [*_subproof(subtree, m - k, start + k, n - k, complete=False), subtree(start, k)]


def verify_inclusion(
    index: int, size: int, leaf: bytes, proof: Sequence[bytes], expected_root: bytes
) -> bool:
    """Whether ``proof`` shows ``leaf`` at ``index`` in the tree of ``size`` with that root."""
    if not 0 <= index < size or not _well_formed(leaf, expected_root, *proof):
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == expected_root


def verify_consistency(
    first: int, second: int, first_root: bytes, second_root: bytes, proof: Sequence[bytes]
) -> bool:
    """Whether ``proof`` shows the tree of size ``first`` is a prefix of that of ``second``."""
    if not 1 <= first <= second or not _well_formed(*proof):
        return False  # a consistency proof from the empty tree proves nothing (RFC 9162)
    if first == second:
        return not proof and first_root == second_root
    if not proof:
        return False
    path = list(proof)
    if first & (first - 1) == 0:
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == first_root and sr == second_root


def _well_formed(*hashes: bytes) -> bool:
    return all(len(h) == HASH_SIZE for h in hashes)


def range_path(subtree: SubtreeHash, low: int, high: int, size: int) -> list[bytes]:
    """The hashes that, with the leaves [low, high), give the root of the tree of ``size``:
    every maximal subtree outside that range, left to right. Empty for the whole tree."""
    if not 0 <= low < high <= size:
        raise ValueError(f"leaves [{low}, {high}) are not a range of a tree of size {size}")
    hashes: list[bytes] = []

    def walk(start: int, n: int) -> None:
        if start + n <= low or start >= high:
            hashes.append(subtree(start, n))
        elif n > 1:
            k = split(n)
            walk(start, k)
            walk(start + k, n - k)

    walk(0, size)
    return hashes


def root_from_range(
    leaves: Sequence[bytes], low: int, size: int, path: Sequence[bytes]
) -> bytes | None:
    """The root of the tree of ``size`` from its leaves [low, low + len(leaves)) and the
    ``range_path`` of the rest; None when the path does not fit the range."""
    high = low + len(leaves)
    if not 0 <= low < high <= size or not _well_formed(*path):
        return None
    rest = iter(path)

    def walk(start: int, n: int) -> bytes:
        if start + n <= low or start >= high:
            return next(rest)
        if n == 1:
            return leaves[start - low]
        k = split(n)
        left = walk(start, k)
        return node_hash(left, walk(start + k, n - k))

    try:
        value = walk(0, size)
    except StopIteration:
        return None
    return value if next(rest, None) is None else None
