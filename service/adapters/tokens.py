"""API tokens: made at the command line, kept only as SHA-256 hashes."""

from __future__ import annotations

import hashlib
import secrets
import weakref
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from service.adapters.db import Database
from service.domain.actors import Actor, name_key
from service.domain.vocabulary import Role

PREFIX = "sv_"

#: What keeps tokens in this process (``token_cache``): told at once of a revocation made
#: here; other processes hear of it by the notification.
_keepers: weakref.WeakSet[Any] = weakref.WeakSet()


def keep_informed(keeper: Any) -> None:
    """Has ``keeper.forget()`` called after every revocation made in this process."""
    _keepers.add(keeper)


def digest(token: str) -> str:
    """Tokens are 256 random bits, so a plain hash is as strong as a slow one."""
    return hashlib.sha256(token.encode()).hexdigest()


def create(
    db: Database,
    *,
    name: str,
    role: Role,
    unit_id: UUID | None,
    personal_data: bool = False,
    expires_at: datetime | None = None,
    person_id: str | None = None,
) -> tuple[str, str]:
    """Stores a new token's hash; returns (token id, the token itself). ``personal_data``
    grants it the reading of beneficiaries' personal data in its reach; after
    ``expires_at`` (if given) it authenticates no more. ``person_id`` names the person
    who holds it (see ``person_of``); without it the token's holder is a new person."""
    token = PREFIX + secrets.token_urlsafe(32)
    token_id = str(uuid4())
    with db.transaction(write=True) as tx:
        tx.execute(
            "INSERT INTO api_tokens (id, name, role, unit_id, token_hash, created_at, "
            "personal_data, expires_at, person_id) VALUES (:id, :name, :role, :unit, :hash, "
            ":at, :personal_data, :expires_at, :person)",
            {
                "id": token_id,
                "name": name,
                "role": role.value,
                "unit": str(unit_id) if unit_id else None,
                "hash": digest(token),
                "at": datetime.now(UTC).isoformat(),
                "personal_data": personal_data,
                "expires_at": expires_at.astimezone(UTC).isoformat() if expires_at else None,
                "person": person_id or token_id,
            },
        )
    return token_id, token


def person_of(db: Database, token_id: str) -> str | None:
    """The person who holds the token ``token_id`` (revoked or not), or None if no token
    has this id: give it to ``create`` to make another token for the same person."""
    with db.transaction() as tx:
        found = tx.scalar("SELECT person_id FROM api_tokens WHERE id = :id", {"id": token_id})
    return str(found) if found is not None else None


def look_alikes(db: Database, name: str) -> list[tuple[str, str]]:
    """The (token id, name) of active tokens whose name looks like ``name`` once case,
    spacing, compatibility forms and invisible characters are set aside: a new token under
    such a name is most likely the same person's, and must say so."""
    with db.transaction() as tx:
        rows = tx.all("SELECT id, name FROM api_tokens WHERE revoked_at IS NULL ORDER BY id")
    key = name_key(name)
    return [(row["id"], row["name"]) for row in rows if name_key(row["name"]) == key]


def revoke(db: Database, token_id: str) -> bool:
    with db.transaction(write=True) as tx:
        found = tx.scalar(
            "SELECT id FROM api_tokens WHERE id = :id AND revoked_at IS NULL", {"id": token_id}
        )
        if found:
            tx.execute(
                "UPDATE api_tokens SET revoked_at = :at WHERE id = :id",
                {"id": token_id, "at": datetime.now(UTC).isoformat()},
            )
            if db.dialect == "postgresql":
                # Delivered at commit to every worker's token cache (``token_cache``).
                tx.execute("NOTIFY sovang_tokens")
    if found is not None:
        for keeper in list(_keepers):
            keeper.forget()
    return found is not None


def authenticate(db: Database, token: str) -> Actor | None:
    """The actor a token stands for, or None for an unknown, revoked or expired token."""
    if not token.startswith(PREFIX):
        return None
    return authenticate_digest(db, digest(token))


def authenticate_digest(db: Database, token_hash: str) -> Actor | None:
    """As ``authenticate``, from the token's hash (what a login session keeps instead of
    the token itself)."""
    found = read_digest(db, token_hash)
    return None if found is None else unexpired(*found)


def unexpired(actor: Actor, expires_at: datetime | None) -> Actor | None:
    """The token's actor, or None once the token has expired."""
    if expires_at is not None and expires_at <= datetime.now(UTC):
        return None
    return actor


def read_digest(db: Database, token_hash: str) -> tuple[Actor, datetime | None] | None:
    """The actor of an unrevoked token and the time it expires (None: never), or None for
    an unknown or revoked token."""
    # One statement on its own: a revocation committed before it is seen, as in a
    # transaction of its own.
    row = db.read_one(
        "SELECT id, name, role, unit_id, personal_data, expires_at, person_id "
        "FROM api_tokens "
        "WHERE token_hash = :hash AND revoked_at IS NULL",
        {"hash": token_hash},
    )
    if row is None:
        return None
    expires_at = row["expires_at"]
    actor = Actor(
        id=row["id"],
        name=row["name"],
        role=Role(row["role"]),
        unit_id=UUID(row["unit_id"]) if row["unit_id"] else None,
        personal_data=bool(row["personal_data"]),
        person_id=row["person_id"] or row["id"],
    )
    return actor, datetime.fromisoformat(expires_at) if expires_at is not None else None
