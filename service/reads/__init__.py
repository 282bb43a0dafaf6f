"""The reads that the API and the pages share: a read transaction that waits for the
caller's own writes, the checks of what the token may see, and pages of rows with their
cursor. The modules beside this one find and shape what one resource's routes and pages
both show (service/reads/funds.py for a fund and its ledger, and so on)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from uuid import UUID

from flask import g

from service.adapters.db import Row, Transaction
from service.domain.errors import Forbidden, NotFound, UnitNotFound
from service.domain.vocabulary import Role
from service.domain.words import word
from service.projections import units as unit_view
from service.projections.standby import replayed
from service.web.context import actor, services
from service.web.cursors import encode_cursor


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


def reachable_unit(tx: Transaction, unit_id: UUID) -> Row:
    """The unit, if there is one (else 404) and the token reaches it (else 403)."""
    missing = UnitNotFound(
        "Không có đơn vị nào với mã này. Hãy kiểm tra lại mã đơn vị.", unit_id=str(unit_id)
    )
    unit = unit_view.get(tx, str(unit_id))
    if unit is None:
        raise missing
    require_reach(tx, str(unit_id))
    return unit


def reached(tx: Transaction, row: Row | None, missing: NotFound) -> Row:
    """The row found by its id, if there is one (else ``missing`` is raised) and the token
    reaches its unit."""
    if row is None:
        raise missing
    require_reach(tx, row["unit_id"])
    return row


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
