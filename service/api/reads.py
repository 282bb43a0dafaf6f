"""Reads: wait for the caller's own writes, and check what the token may see."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from uuid import UUID

from flask import g

from service.adapters.db import Transaction
from service.api.operation import actor, services
from service.api.schemas.common import encode_cursor
from service.domain.errors import Forbidden
from service.domain.vocabulary import Role
from service.domain.words import word
from service.projections import units as unit_view
from service.projections.standby import replayed


@contextmanager
def fresh(query: dict[str, Any], *, bulk: bool = False) -> Iterator[tuple[Transaction, int]]:
    """A read transaction on projections that have passed ``min_position``, and the
    position they have reached. Public reads, and ``bulk`` ones (statements, exports,
    reports), are served by the hot standby when there is one."""
    svc = services()
    wanted = query.get("min_position", 0)
    if svc.on_standby and (g.get("public") or bulk):
        standby = svc.public_db if g.get("public") else svc.reports_db
        with replayed(svc.runner, standby, wanted, svc.config.read_wait_seconds) as found:
            yield found
        return
    if g.get("public") and not wanted:
        # Anyone's read: on the public routes' own small pool, within their time limit.
        with svc.public_db.transaction() as tx:
            yield tx, svc.runner.position_in(tx)
        return
    reached = svc.runner.wait_for(wanted, svc.config.read_wait_seconds)
    with (svc.public_db if g.get("public") else svc.db).transaction() as tx:
        yield tx, reached


def require_reach(tx: Transaction, unit_id: str, roles: set[Role] | None = None) -> None:
    """Refuses unless the token reaches ``unit_id`` (and has one of ``roles``, if given)."""
    who = actor()
    if roles is not None and who.role not in roles:
        raise Forbidden(
            f"Mã truy cập có vai trò “{word(who.role)}” không được xem dữ liệu này. "
            "Hãy nhờ người có quyền xem, hoặc xin quản trị cấp quyền."
        )
    path = [UUID(u) for u in unit_view.path(tx, unit_id)]
    if not who.reaches(path):
        raise Forbidden("Mã truy cập này không được xem dữ liệu của đơn vị ngoài đơn vị của mình.")


def within(tx: Transaction, unit_id: UUID | None) -> str | None:
    """The subtree a list is limited to: the unit asked for, which the token must reach, or
    else the token's own unit (none for an admin: everything)."""
    if unit_id is not None:
        require_reach(tx, str(unit_id))
        return str(unit_id)
    who = actor()
    return None if who.role is Role.ADMIN else str(who.unit_id)


def page(rows: list[dict[str, Any]], limit: int, key: Any) -> dict[str, Any]:
    """A page of ``limit`` items and the cursor of the next one, if there is more."""
    items = rows[:limit]
    more = len(rows) > limit
    return {"items": items, "next_cursor": encode_cursor(key(items[-1])) if more else None}
