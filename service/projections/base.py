"""What every projection is: a name, the tables it owns, and a handler per event."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar
from uuid import UUID

from service.adapters.db import Transaction


class Projection:
    """A read model fed from the event log.

    ``apply`` is called for every event in notification order, inside the same
    transaction that advances the projection's tracking position, so each event
    is applied exactly once even when the runner is killed and restarted.
    """

    name: ClassVar[str]
    tables: ClassVar[tuple[str, ...]]
    #: Whether the projection is given the events as stored (notifications with
    #: their state bytes) rather than decoded into domain events.
    reads_stored_events: ClassVar[bool] = False

    def apply(self, event: Any, position: int, tx: Transaction) -> None:
        """Updates the projection's rows for one event; unknown events change nothing."""

    def apply_page(self, tx: Transaction, events: Sequence[tuple[int, Any]]) -> None:
        apply = self.apply  # once a page: a singledispatchmethod is rebuilt on each access
        for position, event in events:
            apply(event, position, tx)


def touch(tx: Transaction, table: str, row_id: str, position: int, **columns: Any) -> None:
    """Sets ``columns`` of the row ``row_id`` of ``table``, and the position it now reflects."""
    sets = "".join(f"{column} = :{column}, " for column in columns)
    tx.execute(
        f"UPDATE {table} SET {sets}position = :position WHERE id = :id",
        {**columns, "position": position, "id": row_id},
    )


def text_id(value: UUID | str | None) -> str | None:
    return None if value is None else str(value)
