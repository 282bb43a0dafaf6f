"""Who records a fact, and what their token lets them reach."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from service.domain.errors import Forbidden
from service.domain.text import normalise
from service.domain.vocabulary import Role
from service.domain.words import word


@dataclass(frozen=True)
class Actor:
    """The holder of an API token (or an operator at the command line)."""

    id: str
    name: str
    role: Role
    unit_id: UUID | None = None
    #: Granted to the token: it may read beneficiaries' personal data in its reach.
    personal_data: bool = False
    #: The person who holds the token: every token of one person shares it (one person
    #: may hold a treasurer's and an approver's token). Empty: the token is its own person.
    person_id: str = ""

    @property
    def person(self) -> str:
        """The stable identity of the person behind the token, never their display name."""
        return self.person_id or self.id

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
            raise Forbidden(
                f"Mã truy cập có vai trò “{word(self.role)}” không được {action}. "
                "Hãy nhờ người có quyền làm việc này, hoặc xin quản trị cấp quyền."
            )
        if not self.reaches(unit_path):
            raise Forbidden(
                f"Mã truy cập này không được {action} cho đơn vị ngoài đơn vị của mình. "
                "Hãy nhờ cán bộ của đơn vị đó làm."
            )


@dataclass(frozen=True)
class Meta:
    """What every event records beside its facts: who, through which request."""

    actor_id: str
    actor: str
    role: str
    unit_id: str | None
    idempotency_key: str | None = None
    request_id: str | None = None
    #: The person behind the token (events recorded before people were told apart lack it).
    person_id: str | None = None

    def same_person(self, other: Meta) -> bool:
        """Whether two records were made by one person: the same token, or tokens of the
        same person. Display names are never compared, so a look-alike name neither makes
        two people one nor one person two. A record made before tokens named their person
        falls back to the rule of its time: the same token, or the same name."""
        if self.actor_id == other.actor_id:
            return True
        if self.person_id is not None and other.person_id is not None:
            return self.person_id == other.person_id
        return normalise(self.actor).casefold() == normalise(other.actor).casefold()

    @classmethod
    def of(cls, actor: Actor, idempotency_key: str | None, request_id: str | None) -> Meta:
        return cls(
            actor_id=actor.id,
            actor=actor.name,
            role=actor.role.value,
            unit_id=str(actor.unit_id) if actor.unit_id else None,
            idempotency_key=idempotency_key,
            request_id=request_id,
            person_id=actor.person,
        )


def name_key(name: str) -> str:
    """A display name folded so that look-alikes meet: compatibility forms (NFKC),
    invisible format characters (zero-width spaces, direction marks) dropped, case and
    spacing ignored. Used only to warn when a new person looks like an existing one."""
    folded = unicodedata.normalize("NFKC", name)
    visible = "".join(ch for ch in folded if unicodedata.category(ch) != "Cf")
    return " ".join(visible.casefold().split())
