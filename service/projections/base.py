"""What every projection is: a name, the tables it owns, and a handler per event."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Sequence
from typing import Any, ClassVar, cast
from uuid import UUID

from service.adapters.db import Transaction

#: What a projection does with one event: (event, position, transaction).
Handler = Callable[[Any, int, Transaction], None]


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
    #: Roughly what applying an event costs this projection, against the others: a rebuild
    #: in several processes balances its groups of projections by it (``groups``).
    weight: ClassVar[int] = 1

    def apply(self, event: Any, position: int, tx: Transaction) -> None:
        """Updates the projection's rows for one event; unknown events change nothing."""

    def apply_page(self, tx: Transaction, events: Sequence[tuple[int, Any]]) -> None:
        handlers = self._handlers
        for position, event in events:
            kind = type(event)
            if kind not in handlers:
                handlers[kind] = self._handler_for(kind)
            handler = handlers[kind]
            if handler is not None:
                handler(event, position, tx)

    @functools.cached_property
    def _handlers(self) -> dict[type[Any], Handler | None]:
        """The handler of each class of event met so far (None: the event changes nothing)."""
        return {}

    def _handler_for(self, kind: type[Any]) -> Handler | None:
        """What ``apply`` does with events of class ``kind``, looked up once per class: a
        ``singledispatchmethod`` is rebuilt on each access and dispatches on each call. Its
        default (the function registered for ``object``) changes nothing, by the convention
        of every projection, so events that fall to it are not handled at all."""
        apply = inspect.getattr_static(type(self), "apply")
        if not isinstance(apply, functools.singledispatchmethod):
            return self.apply
        function = apply.dispatcher.dispatch(kind)
        if function is apply.dispatcher.dispatch(object):
            return None
        return cast(Handler, functools.partial(function, self))


def groups(projections: Sequence[Projection], count: int) -> list[list[str]]:
    """The names of ``projections`` split into at most ``count`` groups of about equal
    weight (the heaviest first, each to the lightest group so far), for runners that
    apply them side by side. The projections are independent: none reads another's
    tables while it applies an event, so any split gives the same rows."""
    chosen: list[list[str]] = [[] for _ in range(max(1, min(count, len(projections))))]
    loads = [0] * len(chosen)
    for projection in sorted(projections, key=lambda p: -p.weight):
        lightest = loads.index(min(loads))
        chosen[lightest].append(projection.name)
        loads[lightest] += projection.weight
    return [names for names in chosen if names]


def touch(tx: Transaction, table: str, row_id: str, position: int, **columns: Any) -> None:
    """Sets ``columns`` of the row ``row_id`` of ``table``, and the position it now reflects."""
    sets = "".join(f"{column} = :{column}, " for column in columns)
    tx.execute(
        f"UPDATE {table} SET {sets}position = :position WHERE id = :id",
        {**columns, "position": position, "id": row_id},
    )


def text_id(value: UUID | str | None) -> str | None:
    return None if value is None else str(value)
