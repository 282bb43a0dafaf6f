"""People's accounts for the pages, kept like API tokens outside the log: a person's
name, contact, role and unit; their password as an argon2id hash (argon2-cffi), hashed
again at the next login when the configured parameters change; one-time activation links, of which
only the SHA-256 is kept. The second factor is in ``second_factor``.

A person's id is the ``person_id`` of every event they record through the pages, and of
the API tokens given to them (``sovang token create --person``): maker-checker compares
that id, never a name.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from service.adapters.db import Database, Transaction
from service.domain.accounts import Contact
from service.domain.actors import Actor
from service.domain.errors import ContactTaken, PersonNotFound
from service.domain.vocabulary import Role

#: A hash per hasher's parameters, compared when no account matches, so that an unknown
#: login takes as long as a wrong password.
_decoys: dict[tuple[int, int, int], str] = {}
_COLUMNS = (
    "id, name, phone, email, role, unit_id, personal_data, password_hash, totp_sealed, "
    "created_at, activated_at, disabled_at"
)


@dataclass(frozen=True)
class Person:
    """A person with an account (active, awaiting activation, or disabled)."""

    id: str
    name: str
    phone: str | None
    email: str | None
    role: Role
    unit_id: UUID | None
    personal_data: bool
    created_at: str
    activated_at: str | None
    disabled_at: str | None
    #: Whether they have added a second factor (TOTP).
    second_factor: bool

    @property
    def contact(self) -> Contact:
        return Contact(phone=self.phone, email=self.email)

    @property
    def status(self) -> str:
        """``pending`` until activated, ``active``, or ``disabled``."""
        if self.disabled_at is not None:
            return "disabled"
        return "active" if self.activated_at is not None else "pending"

    def actor(self) -> Actor:
        """Who acts when this person uses the pages: their own id names them in the log."""
        return Actor(
            id=self.id,
            name=self.name,
            role=self.role,
            unit_id=self.unit_id,
            personal_data=self.personal_data,
            person_id=self.id,
        )


def _person(row: dict[str, Any]) -> Person:
    return Person(
        id=row["id"],
        name=row["name"],
        phone=row["phone"],
        email=row["email"],
        role=Role(row["role"]),
        unit_id=UUID(str(row["unit_id"])) if row["unit_id"] else None,
        personal_data=bool(row["personal_data"]),
        created_at=row["created_at"],
        activated_at=row["activated_at"],
        disabled_at=row["disabled_at"],
        second_factor=row["totp_sealed"] is not None,
    )


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _now_iso() -> str:
    return datetime.now(UTC).isoformat()


def create(
    db: Database,
    *,
    name: str,
    contact: Contact,
    role: Role,
    unit_id: UUID | None,
    personal_data: bool = False,
    person_id: str | None = None,
) -> Person:
    """Records a person awaiting activation. ``person_id`` makes the account that of the
    holder of existing API tokens (see ``tokens.person_of``); a phone or e-mail that
    another account uses is refused."""
    new_id = person_id or str(uuid4())
    with db.transaction(write=True) as tx:
        _refuse_taken(tx, contact, new_id)
        tx.execute(
            "INSERT INTO people (id, name, phone, email, role, unit_id, personal_data, "
            "created_at) VALUES (:id, :name, :phone, :email, :role, :unit, :personal_data, :at)",
            {
                "id": new_id,
                "name": name,
                "phone": contact.phone,
                "email": contact.email,
                "role": role.value,
                "unit": str(unit_id) if unit_id else None,
                "personal_data": int(personal_data),
                "at": _now_iso(),
            },
        )
    found = get(db, new_id)
    assert found is not None
    return found


def _refuse_taken(tx: Transaction, contact: Contact, person_id: str) -> None:
    taken = tx.one(
        "SELECT id, phone, email FROM people WHERE id = :id OR phone = :phone OR email = :email",
        {"id": person_id, "phone": contact.phone, "email": contact.email},
    )
    if taken is None:
        return
    if taken["id"] == person_id:
        raise ContactTaken("Người giữ mã truy cập này đã có tài khoản.", person_id=person_id)
    which = (
        "Số điện thoại"
        if contact.phone is not None and taken["phone"] == contact.phone
        else "E-mail"
    )
    raise ContactTaken(
        f"{which} này đã là của một tài khoản khác; mỗi người đăng nhập bằng số điện thoại "
        "hoặc e-mail của riêng mình. Hãy kiểm tra lại, hoặc cấp lại liên kết kích hoạt cho "
        "tài khoản đã có.",
        person_id=taken["id"],
    )


def get(db: Database, person_id: str) -> Person | None:
    with db.transaction() as tx:
        row = tx.one(f"SELECT {_COLUMNS} FROM people WHERE id = :id", {"id": person_id})
    return _person(row) if row is not None else None


def require(db: Database, person_id: str) -> Person:
    found = get(db, person_id)
    if found is None:
        raise PersonNotFound(
            "Không có tài khoản nào mang mã này. Hãy kiểm tra lại mã tài khoản.",
            person_id=person_id,
        )
    return found


def listing(db: Database) -> list[Person]:
    """Every account, by name."""
    with db.transaction() as tx:
        rows = tx.all(f"SELECT {_COLUMNS} FROM people ORDER BY name, id")
    return [_person(row) for row in rows]


def issue_link(db: Database, person_id: str, now: float, lifetime: float) -> str:
    """A new activation link's secret for the person (an earlier unused link stops
    working); the link works once, for ``lifetime`` seconds. Only its hash is kept. For a
    person already active it sets a new password (and a new second factor)."""
    secret = secrets.token_urlsafe(32)
    with db.transaction(write=True) as tx:
        tx.execute(
            "UPDATE activation_links SET used_at = :now "
            "WHERE person_id = :person AND used_at IS NULL",
            {"person": person_id, "now": now},
        )
        tx.execute(
            "INSERT INTO activation_links (token_hash, person_id, created_at, expires_at) "
            "VALUES (:hash, :person, :now, :expires)",
            {"hash": _hash(secret), "person": person_id, "now": now, "expires": now + lifetime},
        )
        tx.execute(
            "UPDATE people SET totp_pending = NULL WHERE id = :person", {"person": person_id}
        )
    return secret


def link_holder(db: Database, secret: str, now: float) -> Person | None:
    """The person a live activation link is for; None for a link unknown, used, expired
    or of a disabled account."""
    with db.transaction() as tx:
        return _link_holder(tx, secret, now)


def _link_holder(tx: Transaction, secret: str, now: float) -> Person | None:
    row = tx.one(
        f"SELECT {', '.join('p.' + c.strip() for c in _COLUMNS.split(','))} "
        "FROM activation_links a JOIN people p ON p.id = a.person_id "
        "WHERE a.token_hash = :hash AND a.used_at IS NULL AND a.expires_at > :now "
        "AND p.disabled_at IS NULL",
        {"hash": _hash(secret), "now": now},
    )
    return _person(row) if row is not None else None


def _decoy(hasher: PasswordHasher) -> str:
    key = (hasher.time_cost, hasher.memory_cost, hasher.parallelism)
    if key not in _decoys:
        _decoys[key] = hasher.hash(secrets.token_urlsafe(16))
    return _decoys[key]


def activate(
    db: Database,
    hasher: PasswordHasher,
    secret: str,
    password: str,
    now: float,
    totp_sealed: bytes | None = None,
    totp_step: int | None = None,
) -> Person | None:
    """Uses the link: sets the person's password (and second factor, with the step of
    the code that proved it, so that code is spent) and makes the account active. None
    if the link no longer works (used meanwhile, expired)."""
    with db.transaction(write=True) as tx:
        person = _link_holder(tx, secret, now)
        if person is None:
            return None
        tx.execute(
            "UPDATE activation_links SET used_at = :now WHERE token_hash = :hash",
            {"hash": _hash(secret), "now": now},
        )
        tx.execute(
            "UPDATE people SET password_hash = :password, totp_sealed = :totp, "
            "totp_pending = NULL, totp_last_step = :step, activated_at = :at WHERE id = :id",
            {
                "id": person.id,
                "password": hasher.hash(password),
                "totp": totp_sealed,
                "step": totp_step,
                "at": _now_iso(),
            },
        )
        _end_sessions(tx, person.id, now)
    return get(db, person.id)


def sign_in(db: Database, hasher: PasswordHasher, login: Contact, password: str) -> Person | None:
    """The active person whose phone or e-mail is ``login`` and whose password this is;
    their hash is made again if the hasher's parameters changed since it was made."""
    row = db.read_one(
        f"SELECT {_COLUMNS} FROM people WHERE (phone = :phone OR email = :email) "
        "AND activated_at IS NOT NULL AND disabled_at IS NULL",
        {"phone": login.phone, "email": login.email},
    )
    stored = row["password_hash"] if row is not None else None
    try:
        hasher.verify(stored or _decoy(hasher), password)
    except (VerificationError, InvalidHashError):
        return None
    if row is None or stored is None:
        return None
    if hasher.check_needs_rehash(stored):
        with db.transaction(write=True) as tx:
            tx.execute(
                "UPDATE people SET password_hash = :new WHERE id = :id AND password_hash = :old",
                {"id": row["id"], "old": stored, "new": hasher.hash(password)},
            )
    return _person(row)


def actor_of(db: Database, person_id: str) -> Actor | None:
    """Who a session of this person acts as; None once the account is disabled."""
    row = db.read_one(
        f"SELECT {_COLUMNS} FROM people WHERE id = :id "
        "AND activated_at IS NOT NULL AND disabled_at IS NULL",
        {"id": person_id},
    )
    return _person(row).actor() if row is not None else None


def disable(db: Database, person_id: str, now: float) -> Person:
    """Disables the account: its sessions end at once and its links stop working."""
    require(db, person_id)
    with db.transaction(write=True) as tx:
        tx.execute(
            "UPDATE people SET disabled_at = :at WHERE id = :id AND disabled_at IS NULL",
            {"id": person_id, "at": _now_iso()},
        )
        tx.execute(
            "UPDATE activation_links SET used_at = :now "
            "WHERE person_id = :person AND used_at IS NULL",
            {"person": person_id, "now": now},
        )
        _end_sessions(tx, person_id, now)
    return require(db, person_id)


def _end_sessions(tx: Transaction, person_id: str, now: float) -> None:
    tx.execute(
        "UPDATE login_sessions SET ended_at = :now WHERE person_id = :person AND ended_at IS NULL",
        {"person": person_id, "now": now},
    )
