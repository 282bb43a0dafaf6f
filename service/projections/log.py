"""The log's Merkle tree: each stored event, in notification order, is a leaf.

A leaf covers the event exactly as stored (originator id, version, topic, state
bytes) and its position, so a change made directly in the database changes the
leaf. Only complete subtrees are stored; tree heads and proofs of any size are
computed from them with O(log n) lookups.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Notification
from eventsourcing.utils import get_topic

from service.adapters.db import Database, Transaction
from service.domain import merkle
from service.domain.checkpoints import Checkpoint, TreeHead
from service.domain.logfile import (
    Frontier,
    Verification,
    check_heads,
    event_leaf,
    gap_leaf,
    read_checkpoints,
)
from service.domain.notes import NoteError, Verifier
from service.projections.base import Projection

CHECKPOINT_TOPIC = get_topic(Checkpoint.Signed)


def leaf_of(notification: Notification) -> bytes:
    return event_leaf(
        notification.id,
        notification.originator_id,
        notification.originator_version,
        notification.topic,
        notification.state,
    )


class LogTreeProjection(Projection):
    name = "log_tree"
    weight = 8
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
        for row in rows:
            tx.insert("log_nodes", row)

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
        raise LookupError(f"cây của sổ thiếu nút ở tầng {level}, chỉ số {index}")
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

    def range_path(self, low: int, high: int, size: int) -> list[bytes]:
        return merkle.range_path(self._hash, low, high, size)

    def _hash(self, start: int, n: int) -> bytes:
        """MTH of leaves [start, start + n): a stored node when the subtree is complete."""
        if n == 0:
            return merkle.root([])
        if n & (n - 1) == 0 and start % n == 0:
            return _node(self.tx, n.bit_length() - 1, start // n)
        k = merkle.split(n)
        return merkle.node_hash(self._hash(start, k), self._hash(start + k, n - k))


def verify(
    recorder: Any,
    mapper: Any,
    db: Database,
    log_key: Verifier,
    *,
    archived: Sequence[tuple[str, str]] = (),
    page_size: int = 1000,
    progress: Callable[[int], None] | None = None,
) -> Verification:
    """Recomputes every leaf from the event store and checks it against the stored tree,
    every checkpoint the log holds and every archived one (note, label).

    An event changed, removed or inserted directly in the database gives a leaf that
    differs from the one stored when it was first recorded: the first such position is
    reported. A change made to the tree's tables as well is found by the checkpoints:
    the first one whose root the log no longer has bounds where the change lies.
    Raises NoteError when an archived checkpoint is not signed by ``log_key``.
    """
    outside = read_checkpoints(archived, log_key)
    found = Verification()
    heads, unsigned = _stored_checkpoints(recorder, mapper, log_key)
    for position, problem in unsigned:
        found.fail(problem, position)
    with db.transaction() as tx:
        tree_size = Tree(tx).size()
    wanted = {head.size for head, _ in [*heads, *outside]} | {tree_size}
    roots: dict[int, bytes] = {}
    frontier = Frontier()

    def append(leaf: bytes) -> None:
        frontier.append(leaf)
        if frontier.size in wanted:
            roots[frontier.size] = frontier.root()

    position = walked = 0
    with db.transaction() as tx:
        for notification_id, originator_id, version, topic, state, stored in _events_with_leaves(
            tx, recorder.events_table_name
        ):
            for skipped in range(position + 1, notification_id):
                if skipped <= tree_size and stored_gap(tx, skipped) != gap_leaf(skipped):
                    found.fail(
                        f"sự kiện ở vị trí {skipped} không còn trong kho sự kiện: "
                        "nó đã bị xóa trực tiếp trong cơ sở dữ liệu",
                        skipped,
                    )
                append(gap_leaf(skipped))
                found.gaps += 1
            found.events += 1
            leaf = event_leaf(notification_id, originator_id, version, topic, state)
            if notification_id <= tree_size and (stored is None or bytes(stored) != leaf):
                found.fail(
                    f"sự kiện ở vị trí {notification_id} khác với sự kiện đã ghi vào cây "
                    "của sổ: nó đã bị sửa, chèn thêm hoặc đổi chỗ trực tiếp trong cơ sở dữ liệu",
                    notification_id,
                )
            append(leaf)
            position, walked = notification_id, walked + 1
            if progress is not None and walked % page_size == 0:
                progress(position)
    if progress is not None:
        progress(position)
    found.size, found.root = position, frontier.root()
    check_rows(db, recorder.events_table_name, found, walked)
    if tree_size > found.size:
        found.fail(
            f"cây của sổ có {tree_size} lá nhưng kho sự kiện chỉ còn {found.size} vị trí: "
            "các sự kiện cuối sổ đã bị xóa",
            found.size + 1,
        )
    else:
        if tree_size < found.size:
            found.unchecked.append(
                f"các sự kiện từ vị trí {tree_size + 1} đến {found.size} chưa vào cây của sổ "
                "(các bảng đọc chưa theo kịp): chúng chưa được đối chiếu với lá của cây"
            )
        with db.transaction() as tx:
            if tree_size and Tree(tx).root(tree_size) != roots[tree_size]:
                found.fail(
                    "các nút đã lưu của cây sổ (bảng log_nodes) không khớp với các lá của nó: "
                    "bảng này đã bị sửa trực tiếp"
                )
    check_heads(found, [*heads, *outside], roots)
    return found


def check_rows(db: Database, table: str, found: Verification, walked: int) -> None:
    """Checks that every row of the events table is a leaf of the walk just made.

    The walk follows notification ids 1, 2, 3, ... up to ``found.size``; an aggregate is
    loaded from its rows whatever their ids. So a row outside those positions (an id of
    0 or below), or an aggregate whose versions do not follow one another in the log,
    is an event the tree does not cover: it is named here, with its aggregate."""
    column = "notification_id" if db.dialect == "postgresql" else "rowid"
    with db.transaction() as tx:
        stored = int(
            tx.scalar(
                f"SELECT COUNT(*) AS n FROM {table} WHERE {column} <= :size",
                {"size": found.size},
            )
            or 0
        )
        strays = tx.all(
            f"SELECT {column} AS position, originator_id, originator_version FROM {table} "
            f"WHERE {column} < 1 ORDER BY {column} LIMIT 5"
        )
        skipped = tx.one(
            f"SELECT position, originator_id, originator_version, previous FROM ("
            f"SELECT {column} AS position, originator_id, originator_version, "
            "LAG(originator_version, 1, 0) OVER ("
            f"PARTITION BY originator_id ORDER BY {column}) AS previous "
            f"FROM {table} WHERE {column} >= 1 AND {column} <= :size) AS versions "
            "WHERE originator_version <> previous + 1 ORDER BY position LIMIT 1",
            {"size": found.size},
        )
    if strays:
        named = "; ".join(
            f"notification_id {row['position']} (đối tượng {_uuid(row['originator_id'])}, "
            f"phiên bản {row['originator_version']})"
            for row in strays
        )
        found.fail(
            f"kho sự kiện có {stored} dòng nhưng cây của sổ chỉ có {walked} lá sự kiện: "
            f"có dòng nằm ngoài các vị trí của sổ (1 đến {found.size}), không phải lá nào "
            f"của cây, mà vẫn được nạp vào đối tượng của nó: {named}"
        )
    elif skipped is not None:
        found.fail(
            f"phiên bản {skipped['originator_version']} của đối tượng "
            f"{_uuid(skipped['originator_id'])} ở vị trí {skipped['position']} không nối tiếp "
            f"phiên bản {skipped['previous']} trong sổ: một sự kiện của đối tượng này bị "
            "chèn, xóa hoặc đánh số lại",
            int(skipped["position"]),
        )


def _uuid(value: Any) -> str:
    try:
        return str(UUID(str(value)))
    except ValueError:
        return str(value)


def _events_with_leaves(tx: Transaction, table: str) -> Iterator[tuple[Any, ...]]:
    """Every stored event at a position of the log (notification id 1 and up), in order,
    with the leaf the tree holds for its position (None when it holds none): one read,
    streamed, whatever the log's length."""
    column = "notification_id" if tx.dialect == "postgresql" else "rowid"
    return tx.stream(
        f"SELECT e.{column}, e.originator_id, e.originator_version, e.topic, e.state, "
        f"leaf.hash FROM {table} e LEFT JOIN log_nodes leaf "
        f"ON leaf.level = 0 AND leaf.idx = e.{column} - 1 "
        f"WHERE e.{column} >= 1 ORDER BY e.{column}"
    )


def stored_gap(tx: Transaction, position: int) -> bytes | None:
    """The leaf the tree holds for a position that holds no event, if any."""
    value = tx.scalar(
        "SELECT hash FROM log_nodes WHERE level = 0 AND idx = :idx", {"idx": position - 1}
    )
    return None if value is None else bytes(value)


def _stored_checkpoints(
    recorder: Any, mapper: Any, log_key: Verifier
) -> tuple[list[tuple[TreeHead, str]], list[tuple[int, str]]]:
    """The checkpoints recorded in the log, and those whose signature does not verify."""
    heads: list[tuple[TreeHead, str]] = []
    unsigned: list[tuple[int, str]] = []
    position = 0
    while page := recorder.select_notifications(
        start=position, limit=1000, topics=[CHECKPOINT_TOPIC], inclusive_of_start=False
    ):
        for notification in page:
            event = mapper.to_domain_event(notification)
            label = f"điểm kiểm tra kích thước {event.tree_size} (ở vị trí {notification.id})"
            try:
                heads.extend(read_checkpoints([(event.note, label)], log_key))
            except NoteError as error:
                unsigned.append((notification.id, str(error)))
        position = page[-1].id
    return heads, unsigned
