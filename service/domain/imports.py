"""The mark each bank line recorded into a fund leaves in the log, so that no import
records it twice (the lines themselves are in ``service.domain.bank_lines``).

The mark's id is derived from the fund and the line's key (``line:<digest>#n``), so the
store itself refuses a transfer recorded twice, however the files that list it overlap
and whoever imports them at once.

This module's path is part of the topic of every mark stored
(``service.domain.imports:ImportedTransfer.Recorded``): moving or renaming it would leave
the stored marks unreadable, so it keeps its name.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, AggregateCreated
from eventsourcing.utils import get_topic

from service.domain.actors import Meta

_NAMESPACE = uuid5(NAMESPACE_URL, "https://sovang.vn/bank-transfers")


class ImportedTransfer(Aggregate):
    """The mark of a transfer recorded from a bank file into a fund, saved with its
    receipt: its id is the transfer's, so a second mark is refused by the store."""

    class Recorded(AggregateCreated):
        fund_id: UUID
        entry_id: UUID
        key: str
        meta: Meta

    def __init__(self, fund_id: UUID, entry_id: UUID, key: str, meta: Meta) -> None:
        self.fund_id = fund_id
        self.entry_id = entry_id

    @staticmethod
    def id_for(fund_id: UUID, key: str) -> UUID:
        return uuid5(_NAMESPACE, f"{fund_id}\n{key}")

    @staticmethod
    def ids_for(fund_id: UUID, keys: Iterable[str]) -> list[UUID]:
        """``id_for`` of each key, the fund's part written once."""
        prefix = f"{fund_id}\n"
        return [uuid5(_NAMESPACE, prefix + key) for key in keys]

    @classmethod
    def mark(cls, fund_id: UUID, entry_id: UUID, key: str, meta: Meta) -> ImportedTransfer:
        return cls._create(
            cls.Recorded,
            id=cls.id_for(fund_id, key),
            fund_id=fund_id,
            entry_id=entry_id,
            key=key,
            meta=meta,
        )

    @classmethod
    def recorded(
        cls, fund_id: UUID, entry_id: UUID, key: str, meta: Meta, mark_id: UUID | None = None
    ) -> ImportedTransfer.Recorded:
        """The event that creates the mark, without the aggregate: what a bulk save of an
        import stores (``mark_id`` is ``id_for(fund_id, key)``, where the caller has it)."""
        facts: dict[str, Any] = {
            "originator_id": mark_id if mark_id is not None else cls.id_for(fund_id, key),
            "originator_version": cls.INITIAL_VERSION,
            "timestamp": cls.Recorded.create_timestamp(),
            "originator_topic": _TOPIC,
            "fund_id": fund_id,
            "entry_id": entry_id,
            "key": key,
            "meta": meta,
        }
        return cls.Recorded(**facts)


_TOPIC = get_topic(ImportedTransfer)
