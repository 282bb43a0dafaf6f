"""Beneficiaries' personal data: sealed under a key of each household's own, which
erasure destroys (crypto-shredding).

Each household's data key (AES-256-GCM) is kept in the table ``personal_data_keys``,
wrapped by the master key. The master key is a file outside the database, like the
log's signing key, so that a copy of the database alone reads no one's name. Blind
indexes are HMAC-SHA256 under a key derived from the master key; so are the fingerprints
of requests sent with an Idempotency-Key, and those of requests carrying a household's
personal data under a key derived from the household's own. People's second-factor
secrets are sealed under another key derived from the master key (``MasterKey.seal``).

Deleting a household's row of ``personal_data_keys`` is the one deletion the service
makes: it is how an erasure request is honoured, and no event changes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from service.adapters import keyfiles
from service.adapters.db import Database

#: The prefix of every sealed value, naming the scheme, so that a later one can coexist.
SCHEME = "v1:"


class PersonalDataKeyUnavailable(Exception):
    """The service has no usable master key, so it can neither seal nor read personal data."""


class MasterKey:
    """The key that wraps every household's key and derives the blind-index key."""

    def __init__(self, secret: bytes) -> None:
        if len(secret) != 32:
            raise PersonalDataKeyUnavailable("Khóa chính phải dài 32 byte.")
        self._aead = AESGCM(secret)
        self._blind = hmac.new(secret, b"sovang blind index v1", hashlib.sha256).digest()
        self._fingerprint = hmac.new(
            secret, b"sovang request fingerprint v1", hashlib.sha256
        ).digest()
        self._secrets = AESGCM(
            hmac.new(secret, b"sovang sealed secrets v1", hashlib.sha256).digest()
        )

    @classmethod
    def generate(cls) -> MasterKey:
        return cls(secrets.token_bytes(32))

    def wrap(self, household_id: UUID, key: bytes) -> bytes:
        nonce = secrets.token_bytes(12)
        return nonce + self._aead.encrypt(nonce, key, household_id.bytes)

    def unwrap(self, household_id: UUID, wrapped: bytes) -> bytes:
        try:
            return self._aead.decrypt(wrapped[:12], wrapped[12:], household_id.bytes)
        except InvalidTag:
            raise PersonalDataKeyUnavailable(
                "Khóa của hộ không mở được bằng khóa chính này; "
                "hãy kiểm tra có đúng tệp khóa không."
            ) from None

    def blind(self, purpose: str, text: str) -> str:
        return hmac.new(self._blind, f"{purpose}\n{text}".encode(), hashlib.sha256).hexdigest()

    def seal(self, purpose: str, subject: str, secret: bytes) -> bytes:
        """A secret of the service's own (a person's second factor) sealed under a key
        derived from the master key, bound to what it is for and whose it is."""
        nonce = secrets.token_bytes(12)
        return nonce + self._secrets.encrypt(nonce, secret, f"{purpose}\n{subject}".encode())

    def unseal(self, purpose: str, subject: str, sealed: bytes) -> bytes:
        try:
            return self._secrets.decrypt(sealed[:12], sealed[12:], f"{purpose}\n{subject}".encode())
        except InvalidTag:
            raise PersonalDataKeyUnavailable(
                "Bí mật đã niêm phong không mở được bằng khóa chính này; "
                "hãy kiểm tra có đúng tệp khóa không."
            ) from None

    def fingerprint(self, digest: str) -> str:
        """A request's digest keyed under the service's fingerprint key."""
        return hmac.new(self._fingerprint, digest.encode(), hashlib.sha256).hexdigest()


def load(path: Path) -> MasterKey:
    try:
        return MasterKey(keyfiles.read_random(path, "sovang keys init"))
    except keyfiles.KeyFileUnavailable as error:
        raise PersonalDataKeyUnavailable(
            f"Chưa dùng được khóa chính dữ liệu cá nhân: {error}"
        ) from None


def write(path: Path) -> None:
    """Writes a new master key file, readable by its owner only; never overwrites one."""
    keyfiles.write_random(path)


class Keyring:
    """Households' data keys in the store, wrapped by the master key. Keys are read from
    the store each time, never cached, so an erasure takes effect in every process at once."""

    def __init__(self, db: Database, master: MasterKey) -> None:
        self.db = db
        self.master = master

    def create_key(self, household_id: UUID) -> None:
        """Makes the household's key, unless it already has one."""
        with self.db.transaction(write=True) as tx:
            tx.execute(
                "INSERT INTO personal_data_keys (household_id, wrapped_key, created_at) "
                "VALUES (:id, :wrapped, :at) ON CONFLICT (household_id) DO NOTHING",
                {
                    "id": str(household_id),
                    "wrapped": self.master.wrap(household_id, AESGCM.generate_key(256)),
                    "at": datetime.now(UTC).isoformat(),
                },
            )

    def seal(self, household_id: UUID, fields: dict[str, str]) -> dict[str, str]:
        key = self._keys([household_id]).get(household_id)
        if key is None:
            raise PersonalDataKeyUnavailable(f"Hộ {household_id} không có khóa.")
        aead = AESGCM(key)
        sealed = {}
        for name, text in fields.items():
            nonce = secrets.token_bytes(12)
            box = nonce + aead.encrypt(nonce, text.encode(), _context(household_id, name))
            sealed[name] = SCHEME + base64.b64encode(box).decode()
        return sealed

    def open(
        self, household_id: UUID, sealed: dict[str, str | None]
    ) -> dict[str, str | None] | None:
        """The fields in plain text; None when the household's key was destroyed."""
        return self.open_many({household_id: sealed}).get(household_id)

    def open_many(
        self, sealed: dict[UUID, dict[str, str | None]]
    ) -> dict[UUID, dict[str, str | None] | None]:
        """Opens several households' fields with one read of their keys."""
        keys = self._keys(sealed)
        opened: dict[UUID, dict[str, str | None] | None] = {}
        for household_id, fields in sealed.items():
            key = keys.get(household_id)
            if key is None:
                opened[household_id] = None
                continue
            aead = AESGCM(key)
            opened[household_id] = {
                name: _open(aead, household_id, name, box) if box else None
                for name, box in fields.items()
            }
        return opened

    def blind(self, purpose: str, text: str) -> str:
        return self.master.blind(purpose, text)

    def service_fingerprint(self, digest: str) -> str:
        """A request's digest keyed under a key derived from the master key."""
        return self.master.fingerprint(digest)

    def household_fingerprint(self, household_id: UUID, digest: str) -> str | None:
        """A request's digest keyed under a key derived from the household's own, so that
        erasure makes it unrecoverable; None when the household has no key."""
        key = self._keys([household_id]).get(household_id)
        if key is None:
            return None
        derived = hmac.new(key, b"sovang request fingerprint v1", hashlib.sha256).digest()
        return hmac.new(derived, digest.encode(), hashlib.sha256).hexdigest()

    def destroy_key(self, household_id: UUID) -> bool:
        """Deletes the household's key; whatever was sealed under it is unreadable after."""
        with self.db.transaction(write=True) as tx:
            found = tx.scalar(
                "SELECT household_id FROM personal_data_keys WHERE household_id = :id",
                {"id": str(household_id)},
            )
            tx.execute(
                "DELETE FROM personal_data_keys WHERE household_id = :id",
                {"id": str(household_id)},
            )
        return found is not None

    def _keys(self, household_ids: Iterable[UUID]) -> dict[UUID, bytes]:
        ids = [str(household_id) for household_id in household_ids]
        if not ids:
            return {}
        names = {f"id{i}": value for i, value in enumerate(ids)}
        with self.db.transaction() as tx:
            rows = tx.all(
                "SELECT household_id, wrapped_key FROM personal_data_keys "
                f"WHERE household_id IN ({', '.join(':' + name for name in names)})",
                names,
            )
        return {
            UUID(row["household_id"]): self.master.unwrap(
                UUID(row["household_id"]), bytes(row["wrapped_key"])
            )
            for row in rows
        }


def _context(household_id: UUID, field: str) -> bytes:
    """Binds a sealed value to its household and field, so it cannot be moved to another."""
    return household_id.bytes + field.encode()


def _open(aead: AESGCM, household_id: UUID, field: str, box: str) -> str:
    if not box.startswith(SCHEME):
        raise PersonalDataKeyUnavailable(f"Không rõ cách niêm phong dữ liệu trong {field}.")
    raw = base64.b64decode(box[len(SCHEME) :])
    return aead.decrypt(raw[:12], raw[12:], _context(household_id, field)).decode()
