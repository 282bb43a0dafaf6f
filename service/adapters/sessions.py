"""The pages' sessions, kept in the database: the signed cookie names a session by a
random id, and only the row decides whether it still opens a page. A session is held by
an API token (its hash) or by a person's account (their id). Logging out ends the row, so
a copy of the cookie saved before opens nothing afterwards; a session ends by itself after
an absolute lifetime and after a while unused, and a person's sessions all end when their
account is disabled.

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


@dataclass(frozen=True)
class Holder:
    """Who a session is for: the hash of an API token, or a person's id."""

    token_hash: str | None = None
    person_id: str | None = None


def _hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def start(db: Database, holder: Holder, now: float, lifetimes: Lifetimes) -> str:
    """A new session for ``holder``; returns its id (for the cookie)."""
    session_id = secrets.token_urlsafe(32)
    with db.transaction(write=True) as tx:
        tx.execute(
            "DELETE FROM login_sessions WHERE started_at < :stale OR ended_at < :stale",
            {"stale": now - lifetimes.absolute},
        )
        tx.execute(
            "INSERT INTO login_sessions (id_hash, token_hash, person_id, started_at, seen_at) "
            "VALUES (:id, :token, :person, :now, :now)",
            {
                "id": _hash(session_id),
                "token": holder.token_hash,
                "person": holder.person_id,
                "now": now,
            },
        )
    return session_id


def resume(db: Database, session_id: str, now: float, lifetimes: Lifetimes) -> Holder | None:
    """Who holds a live session, its use recorded; None for a session that was ended,
    has outlived its lifetime or sat unused too long (it is ended then)."""
    with db.transaction(write=True) as tx:
        row = tx.one(
            "SELECT token_hash, person_id, started_at, seen_at, ended_at FROM login_sessions "
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
            "UPDATE login_sessions SET "
            + ("ended_at = :now" if expired else "seen_at = :now")
            + " WHERE id_hash = :id",
            {"id": _hash(session_id), "now": now},
        )
    return None if expired else Holder(row["token_hash"], row["person_id"])


def end(db: Database, session_id: str, now: float) -> None:
    """Ends the session: its cookie opens no page any more, wherever it was copied."""
    with db.transaction(write=True) as tx:
        tx.execute(
            "UPDATE login_sessions SET ended_at = :now WHERE id_hash = :id AND ended_at IS NULL",
            {"id": _hash(session_id), "now": now},
        )
