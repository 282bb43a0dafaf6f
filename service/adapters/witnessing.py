"""Witnesses and monitors of a log, run by boards or by anyone: their state files, and
the log's checkpoints and consistency proofs read over HTTP.

``sovang audit cosign`` keeps, beside the board's key, the latest checkpoint the board
cosigned, and cosigns a newer one only with a consistency proof from it
(c2sp.org/tlog-witness). ``sovang audit monitor`` follows a log's checkpoints the same
way and, on a fork, keeps both signed checkpoints as evidence.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from service.domain.checkpoints import TreeHead
from service.domain.notes import Verifier
from service.domain.witness import (
    Cosigned,
    WitnessRefusal,
    check_growth,
    open_signed,
    read_state,
    write_state,
)

#: Reads the JSON answer of a path of the log's API (``/audit/...``).
Fetch = Callable[[str], Any]


class LogUnreachable(Exception):
    """The log's API did not answer, or answered with an error."""


class StateFile:
    """A JSON file of the latest checkpoint of each log, changed under a lock so that the
    check of a new checkpoint and the record of it are one step."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @contextlib.contextmanager
    def locked(self) -> Iterator[dict[str, Cosigned]]:
        """The state, locked; written back (atomically) when the block ends normally."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_name(self.path.name + ".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                text = self.path.read_text(encoding="utf-8") if self.path.exists() else ""
                state = read_state(text)
                yield state
                self.write(state)
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def write(self, state: dict[str, Cosigned]) -> None:
        temporary = self.path.with_name(self.path.name + ".tmp")
        temporary.write_text(write_state(state), encoding="utf-8")
        os.replace(temporary, self.path)

    def keep_evidence(self, name: str, evidence: dict[str, Any]) -> Path:
        """Writes evidence of a fork beside the state file; returns its path."""
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        path = self.path.with_name(f"{self.path.name}.{name}-{stamp}.json")
        path.write_text(json.dumps(evidence, ensure_ascii=False, indent=2) + "\n", "utf-8")
        return path


def http_fetch(log_url: str, timeout: float = 30.0) -> Fetch:
    """Reads the log's API at ``log_url`` (the service's root, or its ``/api/v1``)."""
    root = log_url.rstrip("/")
    if urllib.parse.urlsplit(root).scheme not in ("http", "https"):
        raise LogUnreachable(f"{log_url} không phải địa chỉ http(s) của sổ")
    if not root.endswith("/api/v1"):
        root += "/api/v1"

    def fetch(path: str) -> Any:
        request = urllib.request.Request(  # noqa: S310 (http or https only, checked above)
            root + path, headers={"Accept": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310
                return json.loads(answer.read())
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return None
            raise LogUnreachable(f"{root}{path}: HTTP {error.code}") from None
        except (urllib.error.URLError, OSError, ValueError) as error:
            raise LogUnreachable(f"{root}{path}: {error}") from None

    return fetch


def consistency_proof(fetch: Fetch, first: int, second: int) -> list[bytes]:
    """The log's consistency proof between two sizes (to be checked, never trusted)."""
    answer = fetch(f"/audit/proofs/consistency?first={first}&second={second}")
    if answer is None:
        raise LogUnreachable(
            f"sổ không đưa ra bằng chứng nhất quán từ kích thước {first} đến {second}"
        )
    return [base64.b64decode(node) for node in answer["proof"]]


def latest_checkpoint(fetch: Fetch) -> str:
    answer = fetch("/audit/checkpoints/latest")
    if answer is None:
        raise LogUnreachable(
            "sổ chưa ký checkpoint nào; hãy thử lại khi sổ đã ký checkpoint đầu tiên"
        )
    return str(answer["checkpoint"])


def _page_query(after: int) -> dict[str, Any]:
    """The query of a page of checkpoints larger than ``after`` (the service's cursor)."""
    if not after:
        return {"limit": 100}
    cursor = base64.urlsafe_b64encode(str(after).encode()).decode().rstrip("=")
    return {"limit": 100, "cursor": cursor}


@dataclass
class Fork:
    """Two checkpoints, both signed by the log, that no consistency proof joins."""

    kept: Cosigned
    seen: str
    proof: list[bytes]
    detail: str

    def evidence(self, origin: str) -> dict[str, Any]:
        return {
            "origin": origin,
            "detail": self.detail,
            "kept_checkpoint": self.kept.checkpoint,
            "new_checkpoint": self.seen,
            "consistency_proof": [base64.b64encode(node).decode() for node in self.proof],
            "found_at": datetime.now(UTC).isoformat(),
        }


@dataclass
class Round:
    """What one round of a monitor saw."""

    checked: list[int] = field(default_factory=list)
    fork: Fork | None = None
    latest: Cosigned | None = None
    notes: list[str] = field(default_factory=list)


def follow(fetch: Fetch, log_key: Verifier, state: dict[str, Cosigned]) -> Round:
    """Reads every checkpoint the log signed since the one kept in ``state``, checks its
    signature and the consistency proof from the previous one, and keeps the newest in
    ``state``; stops at the first fork."""
    seen = Round(latest=state.get(log_key.name))

    def accept(note: str, head: TreeHead) -> bool:
        latest = seen.latest
        proof: list[bytes] = []
        if latest is not None and 0 < latest.size < head.size:
            proof = consistency_proof(fetch, latest.size, head.size)
        try:
            check_growth(latest, head, latest.size if latest else 0, proof)
        except WitnessRefusal as refusal:
            assert latest is not None
            seen.fork = Fork(latest, note, proof, refusal.detail)
            return False
        seen.latest = Cosigned(head.size, head.root, note)
        state[log_key.name] = seen.latest
        seen.checked.append(head.size)
        return True

    if seen.latest is not None:
        served = fetch(f"/audit/checkpoints/{seen.latest.size}")
        if served is None:
            seen.notes.append(
                f"sổ không còn phục vụ checkpoint kích thước {seen.latest.size} đã lưu"
            )
        else:
            head = _opened(served["checkpoint"], log_key)
            if head.root != seen.latest.root:
                seen.fork = Fork(
                    seen.latest,
                    served["checkpoint"],
                    [],
                    f"Hai checkpoint cùng kích thước {head.size} có gốc khác nhau.",
                )
                return seen
    after = seen.latest.size if seen.latest else 0
    while True:
        query = urllib.parse.urlencode(_page_query(after))
        answer = fetch(f"/audit/checkpoints?{query}") or {"items": [], "next_cursor": None}
        for item in answer["items"]:
            head = _opened(item["checkpoint"], log_key)
            after = max(after, head.size)
            if not accept(item["checkpoint"], head):
                return seen
        if not answer.get("next_cursor") or not answer["items"]:
            return seen


def _opened(note: str, log_key: Verifier) -> TreeHead:
    try:
        return open_signed(note, [log_key])
    except WitnessRefusal as refusal:
        raise LogUnreachable(f"sổ trả về một checkpoint không mở được: {refusal}") from None
