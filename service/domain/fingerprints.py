"""How a request sent again under the same Idempotency-Key is recognised, without the log
keeping anything from which what it said could be recovered.

A request's digest (SHA-256 of its method, path and body) is never stored: a request
record keeps it keyed (HMAC) under a key outside the database, so that a copy of the
database cannot be searched for the body that made a fingerprint. A request that carries
a household's personal data is keyed under that household's own key, so that erasing
the household also makes the fingerprints of its requests unrecoverable.

Each stored fingerprint names its scheme:

- ``k1:<hex>``: keyed under the service's fingerprint key;
- ``h1:<household id>:<hex>``: keyed under the household's key;
- anything else: the plain digest, as records made before keyed fingerprints keep it
  (and a service installed without the personal-data key, whose requests carry none).
"""

from __future__ import annotations

import hmac
from typing import Protocol
from uuid import UUID

SERVICE = "k1"
HOUSEHOLD = "h1"


class RequestKeys(Protocol):
    """The keys that fingerprints are made with, kept outside the database."""

    def service_fingerprint(self, digest: str) -> str: ...

    def household_fingerprint(self, household_id: UUID, digest: str) -> str | None:
        """None when the household has no key (never made, or destroyed by erasure)."""
        ...


def keyed(digest: str, keys: RequestKeys | None, household_id: UUID | None = None) -> str:
    """The fingerprint a new request record keeps for the request with ``digest``: under
    the household's key when the request names one that has a key, else the service's."""
    if keys is None:
        return digest
    if household_id is not None:
        fingerprint = keys.household_fingerprint(household_id, digest)
        if fingerprint is not None:
            return f"{HOUSEHOLD}:{household_id}:{fingerprint}"
    return f"{SERVICE}:{keys.service_fingerprint(digest)}"


def same_request(stored: str, digest: str, keys: RequestKeys | None) -> bool | None:
    """Whether the request with ``digest`` is the one ``stored`` was kept for; None when
    that can no longer be told: the household whose key made it was erased, or the key
    is not installed."""
    scheme, _, rest = stored.partition(":")
    if scheme == SERVICE and rest:
        if keys is None:
            return None
        return _equal(rest, keys.service_fingerprint(digest))
    if scheme == HOUSEHOLD and rest:
        named, _, value = rest.partition(":")
        household_id = _uuid(named)
        if household_id is not None and value:
            expected = keys.household_fingerprint(household_id, digest) if keys else None
            return None if expected is None else _equal(value, expected)
    return _equal(stored, digest)


def _equal(first: str, second: str) -> bool:
    return hmac.compare_digest(first.encode(), second.encode())


def _uuid(text: str) -> UUID | None:
    try:
        return UUID(text)
    except ValueError:
        return None
