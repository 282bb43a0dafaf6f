"""Saving a large batch of aggregates' new events at once: the write of a bank-file import.

It does what the library's ``Application.save`` does, in the same order, with two costs
taken out that grow with the batch (both measured in docs/PERFORMANCE.md, "A bulk write
for the import"):

- the events are written by ``service.adapters.bulk_events`` (``COPY`` under the
  recorder's lock on PostgreSQL) instead of an ``unnest`` of an array that psycopg builds
  in Python;
- the aggregates' events are collected from the aggregates themselves, without the
  library's run-time protocol checks on every object saved (two per mark).

The snapshots are those ``Ledger._take_snapshots`` takes after every save. The fund the
import wrote is left in the aggregate cache as saved (``remember``): the library leaves
the copy it loaded there, which the next load of the fund in the same process (a
re-import of the file) would otherwise bring up to date by replaying every receipt
the import recorded.
"""

from __future__ import annotations

from copy import deepcopy
from typing import TYPE_CHECKING, Any

from eventsourcing.domain import Aggregate

from service.adapters.bulk_events import insert_in_bulk

if TYPE_CHECKING:
    from service.application.ledger import Ledger


class _Saved:
    """What ``Ledger._take_snapshots`` reads of a save: its events and their aggregates."""

    def __init__(self, aggregates: tuple[Aggregate, ...]) -> None:
        self.aggregates: dict[Any, Aggregate] = {}
        self.events: list[Any] = []
        for aggregate in aggregates:
            self.events.extend(aggregate.collect_events())
            self.aggregates[aggregate.id] = aggregate


def save_in_bulk(ledger: Ledger, *aggregates: Aggregate) -> int:
    """Saves the aggregates' new events in one transaction, all or none (the library's
    ``IntegrityError`` when another writer saved one of their versions first); returns
    the log position of the last event."""
    saved = _Saved(aggregates)
    to_stored = ledger.mapper.to_stored_event
    position = insert_in_bulk(ledger.recorder, [to_stored(event) for event in saved.events])
    ledger._take_snapshots(saved)
    return position


def remember(ledger: Ledger, aggregate: Aggregate) -> None:
    """Puts a copy of the aggregate, every event of which is saved, in the aggregate cache
    in place of an older copy: a load brings it up to date from its version."""
    assert not aggregate.pending_events, "only a saved aggregate is cached"
    cache = ledger.repository.cache
    if cache is not None:
        cache.put(aggregate.id, deepcopy(aggregate))
