"""The log's Merkle tree: each stored event, in notification order, is a leaf.

A leaf covers the event exactly as stored (originator id, version, topic, state
bytes) and its position, so a change made directly in the database changes the
leaf. Only complete subtrees are stored; tree heads and proofs of any size are
computed from them with O(log n) lookups.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Notification

from service.db import Transaction
from service.domain import merkle
from service.projections.base import Projection


def leaf_data(
    position: int, originator_id: UUID | str, version: int, topic: str, state: bytes
) -> bytes:
    """The bytes a leaf hashes: fixed-width fields, then the topic's length and text."""
    topic_bytes = topic.encode()
    return b"".join(
        [
            position.to_bytes(8, "big"),
            UUID(str(originator_id)).bytes,
            version.to_bytes(8, "big"),
            len(topic_bytes).to_bytes(4, "big"),
            topic_bytes,
            # A value changed by hand may come back as text; it must still hash (and differ).
            state if isinstance(state, bytes | bytearray | memoryview) else str(state).encode(),
        ]
    )


def gap_leaf(position: int) -> bytes:
    """The leaf of a position that holds no event.

    PostgreSQL can skip a notification id (an insert refused for a concurrent change
    still consumes its sequence value). The store's table lock makes a skipped id
    final once a later one is visible, so the tree records the gap itself: leaf
    index = position - 1 always, and deleting an event later still changes its leaf.
    """
    return merkle.leaf_hash(leaf_data(position, UUID(int=0), 0, "", b""))


def leaf_of(notification: Notification) -> bytes:
    return merkle.leaf_hash(
        leaf_data(
            notification.id,
            notification.originator_id,
            notification.originator_version,
            notification.topic,
            notification.state,
        )
    )


class LogTreeProjection(Projection):
    name = "log_tree"
    tables = ("log_nodes",)
    reads_stored_events = True

    def apply_page(self, tx: Transaction, events: Sequence[tuple[int, Any]]) -> None:
        nodes: dict[tuple[int, int], bytes] = {}
        rows: list[dict[str, Any]] = []
        last = tx.scalar("SELECT MAX(idx) AS last FROM log_nodes WHERE level = 0")
        size = 0 if last is None else int(last) + 1
        for position, notification in events:
            for skipped in range(size + 1, position):
                self._append(tx, nodes, rows, skipped - 1, gap_leaf(skipped))
            self._append(tx, nodes, rows, position - 1, leaf_of(notification))
            size = position
        tx.executemany(
            "INSERT INTO log_nodes (level, idx, hash) VALUES (:level, :idx, :hash)", rows
        )

    @staticmethod
    def _append(
        tx: Transaction,
        nodes: dict[tuple[int, int], bytes],
        rows: list[dict[str, Any]],
        index: int,
        leaf: bytes,
    ) -> None:
        """Adds leaf ``index`` and every subtree it completes."""
        level, value = 0, leaf
        nodes[(level, index)] = value
        rows.append({"level": level, "idx": index, "hash": value})
        while index & 1:
            left = nodes.get((level, index - 1)) or _node(tx, level, index - 1)
            level, index = level + 1, index >> 1
            value = merkle.node_hash(left, value)
            nodes[(level, index)] = value
            rows.append({"level": level, "idx": index, "hash": value})


def _node(tx: Transaction, level: int, index: int) -> bytes:
    value = tx.scalar(
        "SELECT hash FROM log_nodes WHERE level = :level AND idx = :idx",
        {"level": level, "idx": index},
    )
    if value is None:
        raise LookupError(f"the log tree has no node at level {level}, index {index}")
    return bytes(value)


class Tree:
    """The tree of the first ``size`` leaves, read from the stored subtrees."""

    def __init__(self, tx: Transaction) -> None:
        self.tx = tx

    def size(self) -> int:
        return int(self.tx.scalar("SELECT COUNT(*) AS n FROM log_nodes WHERE level = 0") or 0)

    def leaf(self, index: int) -> bytes:
        return _node(self.tx, 0, index)

    def root(self, size: int) -> bytes:
        return self._hash(0, size)

    def inclusion_proof(self, index: int, size: int) -> list[bytes]:
        return merkle.inclusion_path(self._hash, index, size)

    def consistency_proof(self, first: int, second: int) -> list[bytes]:
        return merkle.consistency_path(self._hash, first, second)

    def _hash(self, start: int, n: int) -> bytes:
        """MTH of leaves [start, start + n): a stored node when the subtree is complete."""
        if n == 0:
            return merkle.root([])
        if n & (n - 1) == 0 and start % n == 0:
            return _node(self.tx, n.bit_length() - 1, start // n)
        k = merkle.split(n)
        return merkle.node_hash(self._hash(start, k), self._hash(start + k, n - k))


@dataclass
class Verification:
    """What ``verify`` found: the size checked, its root, and the first bad position."""

    size: int = 0
    root: bytes = field(default_factory=lambda: merkle.root([]))
    first_bad_position: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.first_bad_position is None and not self.problem


def verify(recorder: Any, db: Any, *, page_size: int = 1000) -> Verification:
    """Recomputes every leaf from the event store and compares it with the stored tree.

    An event changed, removed or inserted directly in the database gives a leaf that
    differs from the one stored when it was first recorded: the first such position
    is reported. The root recomputed from the events must equal the stored root.
    """
    found = Verification()
    stack: list[tuple[int, bytes]] = []
    position = 0
    while True:
        page = recorder.select_notifications(
            start=position, limit=page_size, inclusive_of_start=False
        )
        if not page:
            break
        with db.transaction() as tx:
            stored = {
                int(row["idx"]): bytes(row["hash"])
                for row in tx.all(
                    "SELECT idx, hash FROM log_nodes WHERE level = 0 AND idx >= :low "
                    "AND idx <= :high",
                    {"low": position, "high": page[-1].id - 1},
                )
            }
        for notification in page:
            for skipped in range(position + 1, notification.id):
                if stored.get(skipped - 1) != gap_leaf(skipped) and found.ok:
                    found.first_bad_position = skipped
                    found.problem = f"the event at position {skipped} is missing from the store"
                _append(stack, gap_leaf(skipped))
            leaf = leaf_of(notification)
            if stored.get(notification.id - 1) != leaf and found.ok:
                found.first_bad_position = notification.id
                found.problem = (
                    f"the event at position {notification.id} differs from the "
                    "one recorded in the log's tree"
                )
            _append(stack, leaf)
            position = notification.id
    found.size = position
    if stack:
        found.root = _fold(stack)
    if found.ok:
        with db.transaction() as tx:
            tree = Tree(tx)
            if tree.size() != found.size:
                found.problem = (
                    f"the log's tree holds {tree.size()} leaves, the store {found.size} events"
                )
            elif found.size and tree.root(found.size) != found.root:
                found.problem = "the log's stored tree nodes do not match its leaves"
    return found


def _append(stack: list[tuple[int, bytes]], leaf: bytes) -> None:
    level, value = 0, leaf
    while stack and stack[-1][0] == level:
        value = merkle.node_hash(stack.pop()[1], value)
        level += 1
    stack.append((level, value))


def _fold(stack: list[tuple[int, bytes]]) -> bytes:
    value = stack[-1][1]
    for _, left in reversed(stack[:-1]):
        value = merkle.node_hash(left, value)
    return value
