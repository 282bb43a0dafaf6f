"""Who records a fact, and what their token lets them reach."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from service.domain.errors import Forbidden
from service.domain.text import normalise
from service.domain.vocabulary import Role


@dataclass(frozen=True)
class Actor:
    """The holder of an API token (or an operator at the command line)."""

    id: str
    name: str
    role: Role
    unit_id: UUID | None = None
    #: Granted to the token: it may read beneficiaries' personal data in its reach.
    personal_data: bool = False

    @property
    def sees_personal_data(self) -> bool:
        """Whether beneficiaries' names, addresses, CCCD and phone numbers are shown to this
        actor in full (administrators, and tokens granted it); others see them masked."""
        return self.role is Role.ADMIN or self.personal_data

    def reaches(self, unit_path: Sequence[UUID]) -> bool:
        """Whether this actor may act on a unit whose path from the root is ``unit_path``."""
        return self.role is Role.ADMIN or (self.unit_id is not None and self.unit_id in unit_path)

    def require(self, roles: set[Role], unit_path: Sequence[UUID], action: str) -> None:
        """Refuses unless the actor has one of ``roles`` and reaches the unit."""
        if self.role not in roles:
            raise Forbidden(f"A token with the role {self.role.value} may not {action}.")
        if not self.reaches(unit_path):
            raise Forbidden(f"This token may not {action} for a unit outside its own.")


@dataclass(frozen=True)
class Meta:
    """What every event records beside its facts: who, through which request."""

    actor_id: str
    actor: str
    role: str
    unit_id: str | None
    idempotency_key: str | None = None
    request_id: str | None = None

    def same_person(self, other: Meta) -> bool:
        """Whether two records were made by one person: the same token, or tokens made
        under the same name (one person may hold a treasurer's and an approver's token)."""
        return self.actor_id == other.actor_id or (
            normalise(self.actor).casefold() == normalise(other.actor).casefold()
        )

    @classmethod
    def of(cls, actor: Actor, idempotency_key: str | None, request_id: str | None) -> Meta:
        return cls(
            actor_id=actor.id,
            actor=actor.name,
            role=actor.role.value,
            unit_id=str(actor.unit_id) if actor.unit_id else None,
            idempotency_key=idempotency_key,
            request_id=request_id,
        )
