"""The inspector pages' sessions, kept in the database: the signed cookie names a session
by a random id, and only the row decides whether it still opens a page. Logging out ends
the row, so a copy of the cookie saved before opens nothing afterwards; a session ends by
itself after an absolute lifetime and after a while unused.

The store keeps the SHA-256 of each id, not the id: a copy of the database opens no
session.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from service.adapters.db import Database


@dataclass(frozen=True)
class Lifetimes:
    """How long a session lasts from its start, and unused, in seconds."""

    absolute: float
    idle: float


def _hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def start(db: Database, token_hash: str, now: float, lifetimes: Lifetimes) -> str:
    """A new session for the token of ``token_hash``; returns its id (for the cookie)."""
    session_id = secrets.token_urlsafe(32)
    with db.transaction(write=True) as tx:
        tx.execute(
            "DELETE FROM inspector_sessions WHERE started_at < :stale OR ended_at < :stale",
            {"stale": now - lifetimes.absolute},
        )
        tx.execute(
            "INSERT INTO inspector_sessions (id_hash, token_hash, started_at, seen_at) "
            "VALUES (:id, :token, :now, :now)",
            {"id": _hash(session_id), "token": token_hash, "now": now},
        )
    return session_id


def resume(db: Database, session_id: str, now: float, lifetimes: Lifetimes) -> str | None:
    """The token hash of a live session, its use recorded; None for a session that was
    ended, has outlived its lifetime or sat unused too long (it is ended then)."""
    with db.transaction(write=True) as tx:
        row = tx.one(
            "SELECT token_hash, started_at, seen_at, ended_at FROM inspector_sessions "
            "WHERE id_hash = :id",
            {"id": _hash(session_id)},
        )
        if row is None or row["ended_at"] is not None:
            return None
        expired = (
            now - float(row["started_at"]) >= lifetimes.absolute
            or now - float(row["seen_at"]) >= lifetimes.idle
        )
        tx.execute(
            "UPDATE inspector_sessions SET "
            + ("ended_at = :now" if expired else "seen_at = :now")
            + " WHERE id_hash = :id",
            {"id": _hash(session_id), "now": now},
        )
    return None if expired else str(row["token_hash"])


def end(db: Database, session_id: str, now: float) -> None:
    """Ends the session: its cookie opens no page any more, wherever it was copied."""
    with db.transaction(write=True) as tx:
        tx.execute(
            "UPDATE inspector_sessions SET ended_at = :now "
            "WHERE id_hash = :id AND ended_at IS NULL",
            {"id": _hash(session_id), "now": now},
        )
