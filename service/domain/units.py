"""Units: the committees of the Fatherland Front, which form a tree."""

from __future__ import annotations

from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate, AggregateCreated

from service.domain.actors import Meta
from service.domain.errors import InvalidInput
from service.domain.text import normalise, required_name
from service.domain.vocabulary import Level


class Unit(Aggregate):
    """A committee at one level, with the path of unit ids from the root down to itself."""

    class Registered(AggregateCreated):
        name: str
        level: str
        parent_id: UUID | None
        code: str | None
        path: list[UUID]
        meta: Meta

    def __init__(
        self,
        name: str,
        level: str,
        parent_id: UUID | None,
        code: str | None,
        path: list[UUID],
        meta: Meta,
    ) -> None:
        self.name = name
        self.level = level
        self.parent_id = parent_id
        self.code = code
        self.path = path

    @classmethod
    def register(
        cls,
        name: str,
        level: Level,
        parent: Unit | None,
        code: str | None,
        meta: Meta,
    ) -> Unit:
        """Registers a unit, below ``parent`` when one is given."""
        if parent is not None and level.rank <= Level(parent.level).rank:
            raise InvalidInput(
                "level",
                f"A {level.value} unit cannot sit below a {parent.level} unit.",
            )
        unit_id = uuid4()
        path = [*(parent.path if parent else []), unit_id]
        return cls._create(
            cls.Registered,
            id=unit_id,
            name=required_name("name", name),
            level=level.value,
            parent_id=parent.id if parent else None,
            code=normalise(code) or None if code else None,
            path=path,
            meta=meta,
        )
