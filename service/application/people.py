"""People's accounts as an administrator manages them, from the API (``/people``) or the
command line (``sovang person``): register a person with their role and unit, issue
their one-time activation link, disable their account."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID, uuid5

from service.adapters import accounts, tokens
from service.adapters.accounts import Person
from service.adapters.db import Database
from service.application.ledger import Ledger
from service.domain.accounts import contact_of
from service.domain.errors import IdempotencyKeyReused, InvalidInput, NotFound
from service.domain.text import required_name
from service.domain.vocabulary import Role

#: The namespace of the ids of people made by a request with an Idempotency-Key.
RETRIES = UUID("5d0c3a4e-8f3b-4c55-9a53-6f1c2b7e9d10")
#: Where an activation link leads, under the service's address.
ACTIVATION_PATH = "/tai-khoan/kich-hoat/"


@dataclass(frozen=True)
class Link:
    """An activation link: its secret (shown once, never stored) and when it expires."""

    secret: str
    expires_at: float

    def url(self, base_url: str) -> str:
        return base_url.rstrip("/") + ACTIVATION_PATH + self.secret


def register(
    db: Database,
    ledger: Ledger,
    *,
    name: str,
    phone: str | None,
    email: str | None,
    role: Role,
    unit_id: UUID | None,
    personal_data: bool = False,
    same_person_as: str | None = None,
    retry_key: str | None = None,
) -> Person:
    """A new person awaiting activation. Every role but admin belongs to a unit, which
    must exist; ``same_person_as`` (an API token's id) makes them that token's holder, so
    they never approve what they recorded with either. A request sent again with the same
    ``retry_key`` (who asks and their Idempotency-Key) finds the person it made."""
    if role is not Role.ADMIN and unit_id is None:
        raise InvalidInput(
            "unit_id", "Người có vai trò này phải thuộc một đơn vị. Hãy chọn đơn vị của họ."
        )
    if unit_id is not None:
        try:
            ledger.unit(unit_id)
        except NotFound:
            raise InvalidInput(
                "unit_id", f"Không có đơn vị nào mang mã {unit_id}. Hãy kiểm tra lại mã đơn vị."
            ) from None
    person_id = None
    if same_person_as is not None:
        person_id = tokens.person_of(db, same_person_as)
        if person_id is None:
            raise InvalidInput(
                "same_person_as",
                "Không có mã truy cập nào mang id này. Hãy kiểm tra lại id của mã truy cập.",
            )
    if person_id is None and retry_key is not None:
        person_id = str(uuid5(RETRIES, retry_key))
    shown_name, contact = required_name("name", name), contact_of(phone, email)
    made = accounts.get(db, person_id) if retry_key is not None and person_id else None
    if made is not None:
        if (made.name, made.contact, made.role, made.unit_id, made.personal_data) != (
            shown_name,
            contact,
            role,
            unit_id,
            personal_data,
        ):
            raise IdempotencyKeyReused(
                "Idempotency-Key này đã được dùng để tạo một tài khoản khác. "
                "Hãy dùng một khóa mới cho mỗi tài khoản."
            )
        return made
    return accounts.create(
        db,
        name=shown_name,
        contact=contact,
        role=role,
        unit_id=unit_id,
        personal_data=personal_data,
        person_id=person_id,
    )


def issue_link(db: Database, person_id: str, now: float, hours: float) -> Link:
    """A new one-time activation link for the person (earlier ones stop working)."""
    person = accounts.require(db, person_id)
    if person.status == "disabled":
        raise InvalidInput(
            "person_id",
            "Tài khoản này đã bị khóa nên không cấp liên kết kích hoạt. "
            "Nếu người này cần dùng lại, hãy tạo tài khoản mới.",
        )
    lifetime = hours * 3600
    return Link(accounts.issue_link(db, person_id, now, lifetime), now + lifetime)
