"""The first answer to a request that carried an Idempotency-Key, kept in the log.

The record is saved in the same transaction as the facts the request recorded,
and its id is derived from the key, so a retry can never record them twice:
the store refuses a second record with the same id.
"""

from __future__ import annotations

from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, AggregateCreated

from service.domain.actors import Meta
from service.domain.errors import DomainError, IdempotencyKeyReused

_NAMESPACE = uuid5(NAMESPACE_URL, "https://sovang.vn/idempotency-keys")


class RequestRecord(Aggregate):
    """A request's fingerprint (``fingerprints``: keyed, never the request itself) and the
    answer it was given: accepted or refused."""

    class Answered(AggregateCreated):
        fingerprint: str
        body: dict[str, Any]
        meta: Meta

    class Refused(AggregateCreated):
        fingerprint: str
        code: str
        detail: str
        extra: dict[str, Any]
        meta: Meta

    def __init__(
        self,
        fingerprint: str,
        meta: Meta,
        body: dict[str, Any] | None = None,
        code: str | None = None,
        detail: str = "",
        extra: dict[str, Any] | None = None,
    ) -> None:
        self.fingerprint = fingerprint
        self.body = body
        self.refusal = (code, detail, extra or {}) if code is not None else None

    @staticmethod
    def id_for(actor_id: str, key: str) -> UUID:
        return uuid5(_NAMESPACE, f"{actor_id}\n{key}")

    @classmethod
    def answered(
        cls, record_id: UUID, fingerprint: str, body: dict[str, Any], meta: Meta
    ) -> RequestRecord:
        return cls._create(
            cls.Answered, id=record_id, fingerprint=fingerprint, body=body, meta=meta
        )

    @classmethod
    def refused(
        cls, record_id: UUID, fingerprint: str, refusal: DomainError, meta: Meta
    ) -> RequestRecord:
        return cls._create(
            cls.Refused,
            id=record_id,
            fingerprint=fingerprint,
            code=refusal.code,
            detail=refusal.detail,
            extra=refusal.extra,
            meta=meta,
        )

    def replay(self, fingerprint: str) -> dict[str, Any]:
        """The first answer again; the first refusal raised again."""
        return self.replay_if(fingerprint == self.fingerprint)

    def replay_if(self, same: bool | None) -> dict[str, Any]:
        """The first answer again, or the first refusal raised again, when the request is
        the ``same`` as the first (``fingerprints.same_request``); None when that can no
        longer be told, since the household whose key made the fingerprint was erased."""
        if same is None:
            raise IdempotencyKeyReused(
                "Idempotency-Key này đã dùng cho một yêu cầu không còn đối chiếu được: khóa tạo "
                "dấu vân tay của nó không còn (đã xóa cùng dữ liệu cá nhân của hộ, hoặc chưa "
                "được cài); hãy dùng một key mới."
            )
        if not same:
            raise IdempotencyKeyReused(
                "Idempotency-Key này đã được dùng cho một yêu cầu khác; "
                "hãy dùng một key mới cho yêu cầu mới."
            )
        if self.refusal is not None:
            code, detail, extra = self.refusal
            raise DomainError.restore(code, detail, extra)
        assert self.body is not None
        return self.body
