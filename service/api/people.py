"""People's accounts for the pages: an administrator registers a person, issues their
one-time activation link and disables the account. The person sets their password (and
second factor) on the page the link opens."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, request

from service.adapters import accounts
from service.adapters.accounts import Person
from service.api.operation import operation, write_request
from service.api.schemas import ActivationLinkOut, PeopleList, PersonIn, PersonOut
from service.application import people
from service.application.roles import ACCOUNT_ISSUERS
from service.domain.vocabulary import Role
from service.web.context import actor, services

bp = Blueprint("people", __name__)
ACTION = "quản lý tài khoản người dùng"


def _issuer() -> None:
    actor().require(ACCOUNT_ISSUERS, [], ACTION)


def _shown(person: Person) -> dict[str, Any]:
    return {
        "id": person.id,
        "name": person.name,
        "phone": person.phone,
        "email": person.email,
        "role": person.role.value,
        "unit_id": str(person.unit_id) if person.unit_id else None,
        "personal_data": person.personal_data,
        "status": person.status,
        "second_factor": person.second_factor,
        "created_at": person.created_at,
        "activated_at": person.activated_at,
        "disabled_at": person.disabled_at,
    }


def _link(person_id: str) -> dict[str, Any]:
    svc = services()
    link = people.issue_link(svc.db, person_id, svc.clock(), svc.config.activation_hours)
    return {
        "url": link.url(request.host_url),
        "expires_at": datetime.fromtimestamp(link.expires_at, UTC),
    }


@bp.post("/people")
@operation(
    "Register a person",
    tag="people",
    body=PersonIn,
    response=PersonOut,
    status=201,
    errors=(401, 403, 409, 422),
)
def register_person(body: dict[str, Any]) -> dict[str, Any]:
    """Registers a person with their role and unit (administrators only) and answers with
    their one-time activation link, shown this once. Sent again with the same
    Idempotency-Key, it answers with the same person and a new link (the first stops
    working)."""
    _issuer()
    svc = services()
    person = people.register(
        svc.db,
        svc.ledger,
        name=body["name"],
        phone=body["phone"],
        email=body["email"],
        role=Role(body["role"]),
        unit_id=body["unit_id"],
        personal_data=body["personal_data"],
        same_person_as=body["same_person_as"],
        retry_key=_retry_key(),
    )
    return {**_shown(person), "activation": _link(person.id)}


def _retry_key() -> str | None:
    """Who asks and their Idempotency-Key: a retry finds the person the first request
    made, and gets a new activation link (the first one stops working)."""
    key = write_request().idempotency_key
    return f"{actor().id}\n{key}" if key is not None else None


@bp.get("/people")
@operation("List people", tag="people", response=PeopleList, errors=(401, 403))
def list_people() -> dict[str, Any]:
    """Every account, with its status (administrators only)."""
    _issuer()
    return {"items": [_shown(p) for p in accounts.listing(services().db)]}


@bp.get("/people/<person_id>")
@operation("Read a person", tag="people", response=PersonOut, errors=(401, 403, 404))
def get_person(person_id: str) -> dict[str, Any]:
    _issuer()
    return _shown(accounts.require(services().db, person_id))


@bp.post("/people/<person_id>/activation-links")
@operation(
    "Issue an activation link",
    tag="people",
    response=ActivationLinkOut,
    status=201,
    errors=(401, 403, 404, 422),
)
def issue_activation_link(person_id: str) -> dict[str, Any]:
    """A new one-time link (earlier ones stop working): for a person who lost theirs, or
    forgot their password, or must enrol a new phone. Using it sets a new password."""
    _issuer()
    return _link(person_id)


@bp.post("/people/<person_id>/disable")
@operation("Disable an account", tag="people", response=PersonOut, errors=(401, 403, 404))
def disable_person(person_id: str) -> dict[str, Any]:
    """Disables the account: its sessions end at once, and its links stop working."""
    _issuer()
    svc = services()
    return _shown(accounts.disable(svc.db, person_id, svc.clock()))
