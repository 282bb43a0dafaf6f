"""The write engine every use case runs in.

A use case is a function of the request's ``Meta`` and today's date that loads
aggregates, calls them and returns its ``Changes``. ``WriteEngine._write`` runs it:
it honours the Idempotency-Key (the first answer, or the first refusal, is given again;
the same key with another body is refused), saves every changed aggregate and the
request's record in one transaction, and retries a bounded number of times when a
concurrent request changed the same fund first.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, ClassVar, cast
from uuid import UUID

from eventsourcing.application import Application, ProcessingEvent
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, JSONTranscoder, Recording, Transcoding

from service.adapters.db import APPLICATION_NAME
from service.adapters.fund_locks import FundLocks
from service.adapters.log_recorders import CheckedPostgresRecorder, Prefetching
from service.application.loading import find
from service.domain.actors import Actor, Meta
from service.domain.clock import VIETNAM
from service.domain.errors import Conflict, DomainError
from service.domain.fingerprints import RequestKeys, keyed, same_request
from service.domain.funds import Fund
from service.domain.households import CaseIndex, Keyring
from service.domain.idempotency import RequestRecord
from service.domain.notes import Signer

#: How many times a write is tried when concurrent writers changed its fund first.
MAX_ATTEMPTS = 40


@dataclass(frozen=True)
class Request:
    """Who asks, and how to recognise the same request when it is sent again."""

    actor: Actor
    idempotency_key: str | None = None
    #: The request's digest (``fingerprints``): compared, never stored as it is.
    fingerprint: str = ""
    request_id: str | None = None

    @property
    def record_id(self) -> UUID | None:
        if self.idempotency_key is None:
            return None
        return RequestRecord.id_for(self.actor.id, self.idempotency_key)


@dataclass(frozen=True)
class Written:
    """The answer to a write: what was recorded, and the log position to read it at."""

    body: dict[str, Any]
    position: int
    replayed: bool = False


@dataclass
class Changes:
    """What a use case changed, and the answer it gives."""

    aggregates: Sequence[Aggregate]
    body: dict[str, Any] = field(default_factory=dict)


#: A use case as the engine runs it: the request's meta and today's date in, changes out.
UseCase = Callable[[Meta, date], Changes]


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class MetaAsDict(Transcoding):
    type = Meta
    name = "meta"

    def encode(self, obj: Meta) -> dict[str, Any]:
        return {
            "actor_id": obj.actor_id,
            "actor": obj.actor,
            "role": obj.role,
            "unit_id": obj.unit_id,
            "idempotency_key": obj.idempotency_key,
            "request_id": obj.request_id,
            **({"person_id": obj.person_id} if obj.person_id is not None else {}),
        }

    def decode(self, data: dict[str, Any]) -> Meta:
        return Meta(**data)


class WriteEngine(Application[UUID]):
    """The event-sourced application under the use cases: its collaborators, the clock,
    and the one way a use case's changes are saved."""

    #: The event store's name (``service.adapters.db``); a subclass states it again, since
    #: the library names each class of an application after the class.
    name = APPLICATION_NAME
    #: A fund is loaded from its latest snapshot and the few events after it, so
    #: the cost of a write does not grow with the length of the fund's history.
    snapshotting_intervals: ClassVar[dict[type[Any], int]] = {Fund: 100}

    def __init__(
        self,
        env: dict[str, str] | None = None,
        *,
        clock: Callable[[], datetime] | None = None,
        position_of: Callable[[UUID], int | None] | None = None,
        log_signer: Callable[[], Signer] | None = None,
        keyring: Callable[[], Keyring] | None = None,
        case_index: CaseIndex | None = None,
        request_keys: Callable[[], RequestKeys | None] | None = None,
        fund_locks: FundLocks | None = None,
        photo_stored: Callable[[str], bool] | None = None,
    ) -> None:
        super().__init__(env)
        self._fund_locks = fund_locks or FundLocks()
        if isinstance(self.recorder, CheckedPostgresRecorder):
            self.recorder.save_through = self._fund_locks.save_and_unlock
        self._clock = clock or (lambda: datetime.now(VIETNAM))
        self._position_of = position_of
        self._log_signer = log_signer
        self._keyring = keyring
        self._case_index = case_index
        self._request_keys = request_keys or (lambda: None)
        self._photo_stored = photo_stored or (lambda digest: False)

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())
        transcoder.register(MetaAsDict())

    def today(self) -> date:
        """Today's date in Vietnam, which vouchers are dated by."""
        return self._clock().astimezone(VIETNAM).date()

    @property
    def keyring(self) -> Keyring:
        """The keys of beneficiaries' personal data, read when first needed."""
        if self._keyring is None:
            raise LookupError("hệ thống chưa được cài khóa bảo vệ dữ liệu cá nhân")
        return self._keyring()

    @property
    def log_signer(self) -> Signer:
        """The service's key for its checkpoints, read when first needed."""
        if self._log_signer is None:
            raise LookupError("hệ thống chưa được cài khóa ký nhật ký")
        return self._log_signer()

    def _write(
        self,
        request: Request,
        use_case: UseCase,
        keyed_by: UUID | None = None,
        *,
        fund_id: UUID | None = None,
    ) -> Written:
        """``_attempts`` with the first fund the use case loads locked against the fund's
        other writers until the write ends (``service.adapters.fund_locks``). ``fund_id``
        names that fund when the caller knows it: it is locked first, and the newer events
        of the request's record, of the fund and of its unit are read in one statement
        (``_lock_and_prefetch``)."""
        with self._fund_locks.scope():
            if fund_id is not None:
                self._lock_and_prefetch(request.record_id, fund_id)
            try:
                return self._attempts(request, use_case, keyed_by)
            finally:
                if isinstance(self.recorder, Prefetching):
                    self.recorder.discard_prefetched()

    def _lock_and_prefetch(self, record_id: UUID | None, fund_id: UUID) -> None:
        """Locks the fund, and reads at once what the write reads first: whether the
        request's record exists, and the events of the fund and of its unit newer than
        the aggregate cache's copies (``log_recorders.Prefetching``); on PostgreSQL in the
        round trip that takes the lock. A fund not cached yet is loaded as usual."""
        if not isinstance(self.recorder, Prefetching):
            self._fund_locks.hold(fund_id)
            return
        newer_than: dict[UUID, int] = {} if record_id is None else {record_id: 0}
        fund = self._cached(fund_id)
        if isinstance(fund, Fund):
            newer_than[fund_id] = fund.version
            unit = self._cached(fund.unit_id)
            if unit is not None:
                newer_than[fund.unit_id] = unit.version
        reading = self.recorder.reading(newer_than) if newer_than else None
        rows = self._fund_locks.hold(fund_id, reading)
        self.recorder.prefetch(newer_than, rows)

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording[UUID]]:
        """The library's ``save`` for aggregates, which is all the use cases save: their
        events collected without its check of each against a runtime protocol (a
        thirtieth of a receipt's CPU); anything else is saved by the library's own."""
        if not all(isinstance(obj, Aggregate) for obj in objs):
            return super().save(*objs, **kwargs)
        processing_event: ProcessingEvent[UUID] = ProcessingEvent()
        for aggregate in objs:
            processing_event.events.extend(aggregate.collect_events())
            processing_event.aggregates[aggregate.id] = aggregate
        processing_event.saved_kwargs.update(kwargs)
        recordings = self._record(processing_event)
        self._take_snapshots(processing_event)
        self._notify(recordings)
        return recordings

    def _record(self, processing_event: ProcessingEvent[UUID]) -> list[Recording[UUID]]:
        """Saves, then puts each saved aggregate that the cache holds an older copy of in
        its place: the next write of the fund finds it current, instead of reading and
        applying the events it has just saved (the library does so only without
        fast-forwarding). The saved aggregate is exactly the state at its version; were
        another write to replace it meanwhile, the next load would fast-forward it."""
        recordings = super()._record(processing_event)
        cache = self.repository.cache
        if cache is not None:
            for aggregate_id, aggregate in processing_event.aggregates.items():
                cached = self._cached(aggregate_id)
                if cached is not None and cached.version < aggregate.version:
                    cache.put(aggregate_id, aggregate)
        return recordings

    def _cached(self, aggregate_id: UUID) -> Aggregate | None:
        cache = self.repository.cache
        if cache is None:
            return None
        try:
            return cast(Aggregate, cache.get(aggregate_id))
        except KeyError:
            return None

    def _attempts(
        self, request: Request, use_case: UseCase, keyed_by: UUID | None = None
    ) -> Written:
        """Runs ``use_case`` and saves what it changed, once per Idempotency-Key; a request
        carrying the personal data of the household ``keyed_by`` has its fingerprint keyed
        under that household's key."""
        record_id = request.record_id
        if record_id is not None and (prior := self._request_record(record_id)) is not None:
            return self._replay(prior, request)
        meta = Meta.of(request.actor, request.idempotency_key, request.request_id)
        for attempt in range(MAX_ATTEMPTS):
            try:
                try:
                    changes = use_case(meta, self.today())
                finally:
                    if attempt == 0 and isinstance(self.recorder, Prefetching):
                        # Read once, for the first attempt only: a retry reads afresh.
                        self.recorder.discard_prefetched()
            except DomainError as refusal:
                if (
                    record_id is not None
                    and (
                        first := self._remember_refusal(record_id, request, refusal, meta, keyed_by)
                    )
                    is not None
                ):
                    return first
                raise
            records = (
                [
                    RequestRecord.answered(
                        record_id, self._fingerprint(request, keyed_by), changes.body, meta
                    )
                ]
                if record_id is not None
                else []
            )
            try:
                recordings = self.save(*changes.aggregates, *records)
            except IntegrityError:
                if record_id is not None and (prior := self._request_record(record_id)) is not None:
                    return self._replay(prior, request)
                time.sleep(random.uniform(0, 0.002 * (attempt + 1)))  # noqa: S311
                continue
            return Written(changes.body, recordings[-1].notification.id)
        raise Conflict("Quỹ đang bận xử lý yêu cầu khác; hãy thử lại sau giây lát.")

    def _remember_refusal(
        self,
        record_id: UUID,
        request: Request,
        refusal: DomainError,
        meta: Meta,
        keyed_by: UUID | None = None,
    ) -> Written | None:
        """Records the refusal as the request's answer. When a concurrent retry of the same
        request answered first, that first answer is given (or its refusal raised) instead."""
        try:
            fingerprint = self._fingerprint(request, keyed_by)
            self.save(RequestRecord.refused(record_id, fingerprint, refusal, meta))
        except IntegrityError:
            prior = self._request_record(record_id)
            if prior is not None:
                return self._replay(prior, request)
        return None

    def _request_record(self, record_id: UUID) -> RequestRecord | None:
        """The request's record, if it was answered before. Almost every request is new,
        so its absence is read first with one indexed read of its events (the repository
        would also look for a snapshot, which a record never has)."""
        if not self.recorder.select_events(record_id, limit=1):
            return None
        return find(self.repository, record_id, RequestRecord)

    def _fingerprint(self, request: Request, keyed_by: UUID | None) -> str:
        return keyed(request.fingerprint, self._request_keys(), keyed_by)

    def _replay(self, record: RequestRecord, request: Request) -> Written:
        same = same_request(record.fingerprint, request.fingerprint, self._request_keys())
        body = record.replay_if(same)
        position = self._position_of(record.id) if self._position_of else None
        if position is None:
            position = int(self.recorder.max_notification_id() or 0)
        return Written(body, position, replayed=True)
