"""The log as its leaves: how a stored event is hashed, and an exported log checked
against signed checkpoints with no database at all.

An export is JSON Lines: a ``log`` line (the origin and the range of positions), one
``event`` line per stored event (or ``gap`` line per position that holds none), then
one ``checkpoint`` line per signed checkpoint that covers the range, with the hashes
that join the range's leaves to the checkpoint's root (``merkle.range_path``).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from service.domain import merkle
from service.domain.checkpoints import TreeHead, open_checkpoint
from service.domain.notes import NoteError, Verifier

FORMAT = "sovang-log-export/v1"


def leaf_data(
    position: int, originator_id: UUID | str, version: int, topic: str, state: bytes
) -> bytes:
    """The bytes a leaf hashes: fixed-width fields, then the topic's length and text."""
    topic_bytes = topic.encode()
    return b"".join(
        [
            position.to_bytes(8, "big"),
            (originator_id if isinstance(originator_id, UUID) else UUID(str(originator_id))).bytes,
            version.to_bytes(8, "big"),
            len(topic_bytes).to_bytes(4, "big"),
            topic_bytes,
            # A value changed by hand may come back as text; it must still hash (and differ).
            state if isinstance(state, bytes | bytearray | memoryview) else str(state).encode(),
        ]
    )


def event_leaf(
    position: int, originator_id: UUID | str, version: int, topic: str, state: bytes
) -> bytes:
    return merkle.leaf_hash(leaf_data(position, originator_id, version, topic, state))


def gap_leaf(position: int) -> bytes:
    """The leaf of a position that holds no event.

    PostgreSQL can skip a notification id (an insert refused for a concurrent change
    still consumes its sequence value). The store's table lock makes a skipped id
    final once a later one is visible, so the tree records the gap itself: leaf
    index = position - 1 always, and deleting an event later still changes its leaf.
    """
    return event_leaf(position, UUID(int=0), 0, "", b"")


class Frontier:
    """The right edge of a growing tree: enough to give its root at any size reached."""

    def __init__(self) -> None:
        self.size = 0
        self._stack: list[tuple[int, bytes]] = []

    def append(self, leaf: bytes) -> None:
        level, value = 0, leaf
        while self._stack and self._stack[-1][0] == level:
            value = merkle.node_hash(self._stack.pop()[1], value)
            level += 1
        self._stack.append((level, value))
        self.size += 1

    def root(self) -> bytes:
        if not self._stack:
            return merkle.root([])
        value = self._stack[-1][1]
        for _, left in reversed(self._stack[:-1]):
            value = merkle.node_hash(left, value)
        return value


@dataclass
class Verification:
    """What a verification found: the size checked, its root, the checkpoints it
    matched, and the first problem (with the position, or range of positions, at fault)."""

    size: int = 0
    #: Of the ``size`` positions checked, those holding an event and those left empty
    #: (an insert the store refused or rolled back after taking its number).
    events: int = 0
    gaps: int = 0
    #: The photos the log's stage events name, each read back and hashed.
    photos: int = 0
    root: bytes = field(default_factory=lambda: merkle.root([]))
    checkpoints: int = 0
    first_bad_position: int | None = None
    bad_range: tuple[int, int] | None = None
    problem: str = ""
    unchecked: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problem

    def fail(
        self, problem: str, position: int | None = None, within: tuple[int, int] | None = None
    ) -> None:
        """Keeps the first problem found (the earliest position when several are)."""
        if self.ok or (
            position is not None
            and (self.first_bad_position is None or position < self.first_bad_position)
        ):
            self.problem, self.first_bad_position, self.bad_range = problem, position, within

    @property
    def where(self) -> str:
        if self.first_bad_position is not None:
            return f"vị trí hỏng đầu tiên: {self.first_bad_position}"
        if self.bad_range is not None:
            return f"chỗ bị sửa nằm giữa vị trí {self.bad_range[0]} và {self.bad_range[1]}"
        return ""


def check_heads(
    found: Verification, heads: Sequence[tuple[TreeHead, str]], roots: dict[int, bytes]
) -> None:
    """Compares each signed head with the root recomputed at its size (``roots``); a
    mismatch means the log was rewritten together with its tree before that size."""
    matched = 0
    for head, label in sorted(heads, key=lambda pair: pair[0].size):
        recomputed = roots.get(head.size)
        if recomputed is None:
            found.fail(
                f"{label} phủ {head.size} vị trí nhưng sổ chỉ còn {found.size}: "
                "các sự kiện cuối sổ đã bị xóa",
                position=found.size + 1,
            )
            return
        if recomputed != head.root:
            found.fail(
                f"sổ không còn cho ra gốc cây của {label}: sổ đã bị viết lại, "
                "cả cây Merkle của nó cũng bị viết lại theo",
                within=(matched + 1, head.size),
            )
            return
        matched = head.size
        found.checkpoints += 1


def read_checkpoints(
    notes: Iterable[tuple[str, str]], log_key: Verifier
) -> list[tuple[TreeHead, str]]:
    """Opens archived or stored checkpoints (note, label); raises NoteError on a bad one."""
    heads = []
    for note, label in notes:
        try:
            head, _ = open_checkpoint(note, log_key)
        except NoteError as error:
            raise NoteError(f"{label}: {error}") from None
        heads.append((head, label))
    return heads


# Exports ---------------------------------------------------------------------------


def header_line(origin: str, first: int, last: int) -> dict[str, Any]:
    return {"type": "log", "format": FORMAT, "origin": origin, "first": first, "last": last}


def event_line(
    position: int, originator_id: UUID | str, version: int, topic: str, state: bytes
) -> dict[str, Any]:
    return {
        "type": "event",
        "position": position,
        "originator_id": str(originator_id),
        "originator_version": version,
        "topic": topic,
        "state": base64.b64encode(bytes(state)).decode(),
        "leaf_hash": base64.b64encode(
            event_leaf(position, originator_id, version, topic, bytes(state))
        ).decode(),
    }


def gap_line(position: int) -> dict[str, Any]:
    return {"type": "gap", "position": position}


def checkpoint_line(note: str, path: Sequence[bytes]) -> dict[str, Any]:
    return {
        "type": "checkpoint",
        "checkpoint": note,
        "range_path": [base64.b64encode(h).decode() for h in path],
    }


def verify_export(
    lines: Iterable[str], log_key: Verifier, archived: Sequence[tuple[str, str]] = ()
) -> Verification:
    """Checks an exported log: every event against its position, every checkpoint in the
    file and every archived one (note, label) against the leaves and the log's key.

    Raises NoteError when an archived checkpoint is not one the log's key signed."""
    outside = read_checkpoints(archived, log_key)
    found = Verification()
    try:
        first, leaves, exported = _read_export(lines, found)
    except (ValueError, KeyError, TypeError, IndexError, binascii.Error) as error:
        found.fail(
            f"không đọc được tệp xuất (tệp hỏng hoặc không phải tệp xuất của Sổ Vàng): {error}"
        )
        return found
    if not found.ok:
        return found
    try:
        signed = read_checkpoints(
            [
                (note, f"điểm kiểm tra số {i + 1} trong tệp xuất")
                for i, (note, _) in enumerate(exported)
            ],
            log_key,
        )
    except NoteError as error:
        found.fail(str(error))
        return found
    roots: dict[int, bytes] = {}
    for (head, label), (_, path) in zip(signed, exported, strict=True):
        root = merkle.root_from_range(leaves, first - 1, head.size, path)
        if root is None:
            found.fail(f"{label} không khớp với khoảng vị trí của tệp xuất")
            return found
        roots[head.size] = root
    if first == 1:
        frontier, wanted = Frontier(), {head.size for head, _ in outside}
        for leaf in leaves:
            frontier.append(leaf)
            if frontier.size in wanted:
                roots[frontier.size] = frontier.root()
        found.root = frontier.root()
    if first != 1 and roots:
        # The period's leaves alone give no tree of their own: report the root they were
        # proved part of, that of the largest checkpoint covering them.
        found.root = roots[max(roots)]
    checked = [(head, label) for head, label in outside if head.size in roots]
    found.unchecked = [
        f"{label}: tệp xuất không bắt đầu từ vị trí 1 hoặc không kéo đến vị trí "
        f"{head.size}, nên không dựng lại được cây của điểm kiểm tra đó; muốn đối chiếu "
        "điểm kiểm tra này, hãy xuất toàn bộ sổ (không có --from)"
        for head, label in outside
        if head.size not in roots
    ]
    check_heads(found, [*signed, *checked], roots)
    return found


def _read_export(
    lines: Iterable[str], found: Verification
) -> tuple[int, list[bytes], list[tuple[str, list[bytes]]]]:
    records = (json.loads(line) for line in lines if line.strip())
    header = next(records)
    if header.get("type") != "log" or header.get("format") != FORMAT:
        raise ValueError("dòng đầu không phải phần đầu của tệp xuất nhật ký Sổ Vàng")
    first, last = int(header["first"]), int(header["last"])
    leaves: list[bytes] = []
    exported: list[tuple[str, list[bytes]]] = []
    position = first - 1
    for record in records:
        if record["type"] == "checkpoint":
            exported.append((record["checkpoint"], [_b64(h) for h in record["range_path"]]))
            continue
        position += 1
        if record["position"] != position:
            found.fail(f"tệp xuất thiếu dòng của vị trí {position}", position)
            break
        if record["type"] == "gap":
            found.gaps += 1
            leaves.append(gap_leaf(position))
            continue
        found.events += 1
        leaf = event_leaf(
            position,
            record["originator_id"],
            int(record["originator_version"]),
            record["topic"],
            _b64(record["state"]),
        )
        if _b64(record["leaf_hash"]) != leaf:
            found.fail(
                f"sự kiện ở vị trí {position} không cho ra dấu băm lá ghi kèm nó: "
                "nội dung sự kiện đã bị sửa",
                position,
            )
        leaves.append(leaf)
    if found.ok and position != last:
        found.fail(
            f"tệp xuất dừng ở vị trí {position}, không phải {last} như dòng đầu tệp ghi: "
            "tệp đã bị cắt bớt",
            position + 1,
        )
    found.size = position
    return first, leaves, exported


def _b64(text: str) -> bytes:
    return base64.b64decode(text, validate=True)
