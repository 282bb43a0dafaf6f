"""Saving a large batch of aggregates' new events at once: the write of a bank-file import.

It does what the library's ``Application.save`` does, in the same order, with two costs
taken out that grow with the batch (both measured in docs/PERFORMANCE.md, "A bulk write
for the import"):

- the events are written by ``service.adapters.bulk_events`` (``COPY`` under the
  recorder's lock on PostgreSQL) instead of an ``unnest`` of an array that psycopg builds
  in Python;
- the aggregates' events are collected from the aggregates themselves, without the
  library's run-time protocol checks on every object saved (two per mark);
- the events are encoded by ``orjson`` (in C) instead of the library's transcoder (the
  ``json`` module's encoder calling back into Python for every UUID, date and meta): the
  values the transcoder would turn into ``{"_type_": ..., "_data_": ...}`` are turned
  into them first, by the transcoder's own transcodings, so the stored state is what the
  library's mapper writes and reads back;
- a mark that makes an import exactly-once is saved as its creation event alone
  (``ImportedTransfer.recorded``): nothing of the batch reads the mark's aggregate.

The snapshots are those ``Ledger._take_snapshots`` takes after every save. The fund the
import wrote is left in the aggregate cache as saved (``remember``): the library leaves
the copy it loaded there, which the next load of the fund in the same process (a
re-import of the file) would otherwise bring up to date by replaying every receipt
the import recorded.
"""

from __future__ import annotations

from collections.abc import Sequence
from copy import deepcopy
from typing import TYPE_CHECKING, Any

import orjson
from eventsourcing.domain import Aggregate, DomainEvent
from eventsourcing.persistence import (
    JSONTranscoder,
    Mapper,
    StoredEvent,
    Transcoding,
    TranscodingNotRegisteredError,
)
from eventsourcing.utils import get_topic

from service.adapters.bulk_events import insert_in_bulk
from service.domain.actors import Meta

if TYPE_CHECKING:
    from service.application.ledger import Ledger


class _Saved:
    """What ``Ledger._take_snapshots`` reads of a save: its events and their aggregates."""

    def __init__(self, aggregates: tuple[Aggregate, ...], created: Sequence[DomainEvent]) -> None:
        self.aggregates: dict[Any, Aggregate] = {}
        self.events: list[Any] = []
        for aggregate in aggregates:
            self.events.extend(aggregate.collect_events())
            self.aggregates[aggregate.id] = aggregate
        self.events.extend(created)


def save_in_bulk(
    ledger: Ledger, *aggregates: Aggregate, created: Sequence[DomainEvent] = ()
) -> int:
    """Saves the aggregates' new events, then the events ``created`` (each the first event
    of an aggregate not loaded), in one transaction, all or none (the library's
    ``IntegrityError`` when another writer saved one of their versions first); returns
    the log position of the last event."""
    saved = _Saved(aggregates, created)
    to_stored = _encoder(ledger.mapper)
    position = insert_in_bulk(ledger.recorder, [to_stored(event) for event in saved.events])
    ledger._take_snapshots(saved)
    return position


def _encoder(mapper: Mapper[Any]) -> Any:
    """The mapper's ``to_stored_event``, by ``orjson`` where the mapper is the library's
    with its JSON transcoder and neither compresses nor encrypts."""
    transcoder = mapper.transcoder
    if (
        type(mapper) is Mapper
        and type(transcoder) is JSONTranscoder
        and mapper.compressor is None
        and mapper.cipher is None
    ):
        return FastEncoder(transcoder.types).to_stored_event
    return mapper.to_stored_event


class FastEncoder:
    """Domain events as the library's mapper stores them, encoded by ``orjson``."""

    def __init__(self, transcodings: dict[type, Transcoding]) -> None:
        # The json module writes a subclass of its own types as it is, never transcoded.
        self._transcodings = {
            kind: transcoding
            for kind, transcoding in transcodings.items()
            if not issubclass(kind, dict | list | tuple | str | int | float)
        }
        self._topics: dict[type, str] = {}
        #: Each object transcoded, by identity, with what it became: the events of an
        #: import share one meta. Held for one save (the objects are kept alive with it).
        self._done: dict[int, tuple[Any, Any]] = {}

    def to_stored_event(self, event: DomainEvent) -> StoredEvent:
        cls = type(event)
        topic = self._topics.get(cls)
        if topic is None:
            topic = self._topics[cls] = get_topic(cls)
        state = dict(vars(event))
        originator_id = state.pop("originator_id")
        originator_version = state.pop("originator_version")
        class_version = getattr(cls, "class_version", 1)
        if class_version > 1:
            state["class_version"] = class_version
        return StoredEvent(
            originator_id=originator_id,
            originator_version=originator_version,
            topic=topic,
            state=orjson.dumps(self._dict(state), option=orjson.OPT_NON_STR_KEYS),
        )

    def plain(self, value: Any) -> Any:
        """The value with what the ``json`` module would hand to the transcoder (anything
        not a dict, list, tuple, text, number, boolean or None) transcoded, as
        ``JSONTranscoder`` writes it."""
        kind = type(value)
        if kind in _NATIVE:
            return value
        transcoding = self._transcodings.get(kind)
        if transcoding is not None:
            done = self._done.get(id(value))
            if done is not None:
                return done[1]
            data = transcoding.encode(value)
            if type(data) not in _NATIVE:
                data = self.plain(data)
            plain = {"_type_": transcoding.name, "_data_": data}
            if kind in _SHARED:
                self._done[id(value)] = (value, plain)
            return plain
        if isinstance(value, dict):
            return self._dict(value)
        if isinstance(value, list | tuple):
            return [item if type(item) in _NATIVE else self.plain(item) for item in value]
        if isinstance(value, str | int | float):
            # Subclasses (the vocabulary's enums) are written as the json module writes them.
            return value
        raise TranscodingNotRegisteredError(
            f"Object of type {kind} is not serializable. Please define and register "
            "a custom transcoding for this type."
        )

    def _dict(self, value: dict[Any, Any]) -> dict[Any, Any]:
        # Most values are text and numbers: checked here, without a call each.
        return {
            key: item if type(item) in _NATIVE else self.plain(item) for key, item in value.items()
        }


#: The immutable types whose objects the events of a save share (one meta a request).
_SHARED = frozenset({Meta})
#: The types the ``json`` module writes as they are.
_NATIVE = frozenset({str, int, float, bool, type(None)})


def remember(ledger: Ledger, aggregate: Aggregate) -> None:
    """Puts a copy of the aggregate, every event of which is saved, in the aggregate cache
    in place of an older copy: a load brings it up to date from its version."""
    assert not aggregate.pending_events, "only a saved aggregate is cached"
    cache = ledger.repository.cache
    if cache is not None:
        cache.put(aggregate.id, deepcopy(aggregate))
