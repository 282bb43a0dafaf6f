"""The second factor of approvers' and administrators' accounts: TOTP (RFC 6238, pyotp),
six digits every 30 seconds from a secret the person keeps in an authenticator app.

The secret is sealed under a key derived from the personal-data master key (a file
outside the database), bound to the person: a copy of the database yields no code. A
code is accepted in its own 30 s step or the one before or after (a phone's clock a
little off), and once: the step of the last code accepted is kept, and a code of that
step or an earlier one is refused, even within its window.
"""

from __future__ import annotations

import hmac
import time

import pyotp

from service.adapters.db import Database
from service.adapters.personal_data import MasterKey

PURPOSE = "totp"
ISSUER = "Sổ Vàng"
STEP = 30


def new_secret() -> str:
    """A new 160-bit secret, in base32 as authenticator apps take it."""
    return pyotp.random_base32(32)


def uri(secret: str, login: str) -> str:
    """The otpauth:// URI an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=login, issuer_name=ISSUER)


def seal(master: MasterKey, person_id: str, secret: str) -> bytes:
    return master.seal(PURPOSE, person_id, secret.encode())


def unseal(master: MasterKey, person_id: str, sealed: bytes) -> str:
    return master.unseal(PURPOSE, person_id, bytes(sealed)).decode()


def matching_step(secret: str, code: str, now: float, after: int | None = None) -> int | None:
    """The time step (now's, or one either side) whose code is ``code``, later than
    ``after``; None if there is none."""
    code = "".join(code.split())
    if not (code.isascii() and code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    current = int(now) // STEP
    for step in (current - 1, current, current + 1):
        if (after is None or step > after) and hmac.compare_digest(totp.at(step * STEP), code):
            return step
    return None


def pending(db: Database, master: MasterKey, person_id: str) -> str:
    """The secret shown to a person while they enrol: made the first time their
    activation page is opened, the same on every later opening of it."""
    with db.transaction(write=True) as tx:
        sealed = tx.scalar("SELECT totp_pending FROM people WHERE id = :id", {"id": person_id})
        if sealed is not None:
            return unseal(master, person_id, sealed)
        secret = new_secret()
        tx.execute(
            "UPDATE people SET totp_pending = :sealed WHERE id = :id",
            {"id": person_id, "sealed": seal(master, person_id, secret)},
        )
    return secret


def check(
    db: Database, master: MasterKey, person_id: str, code: str, now: float | None = None
) -> bool:
    """Whether ``code`` is the person's current code, not used before; a code accepted is
    spent (a second use within its window is refused)."""
    at = time.time() if now is None else now
    row = db.read_one(
        "SELECT totp_sealed, totp_last_step FROM people WHERE id = :id", {"id": person_id}
    )
    if row is None or row["totp_sealed"] is None:
        return False
    last = row["totp_last_step"]
    step = matching_step(unseal(master, person_id, row["totp_sealed"]), code, at, last)
    if step is None:
        return False
    with db.transaction(write=True) as tx:
        spent = tx.one(
            "UPDATE people SET totp_last_step = :step WHERE id = :id "
            "AND (totp_last_step IS NULL OR totp_last_step < :step) RETURNING id",
            {"id": person_id, "step": step},
        )
    return spent is not None
