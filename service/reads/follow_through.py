"""The boards' plans and recommendations as the API and the pages both show them."""

from __future__ import annotations

from service.adapters.db import Row, Transaction
from service.domain.errors import Forbidden
from service.domain.vocabulary import Role
from service.domain.words import word
from service.projections import follow_through as follow_view
from service.reads.questions import today
from service.web.context import actor

#: Who reads plans and recommendations: the boards and the units that carry them out.
READERS = {Role.ADMIN, Role.INSPECTOR, Role.TREASURER, Role.APPROVER}


def require_reader() -> None:
    who = actor()
    if who.role not in READERS:
        raise Forbidden(
            f"Mã truy cập có vai trò “{word(who.role)}” không được xem kế hoạch và kiến nghị "
            "giám sát."
        )


def with_overdue(rows: list[Row]) -> list[Row]:
    """Each recommendation marked overdue when its deadline passed before today and it is
    not carried out."""
    day = today().isoformat()
    for row in rows:
        row["overdue"] = row["status"] not in ("done", "verified") and row["deadline"] < day
    return rows


def page_of_recommendations(
    tx: Transaction, within_unit: str | None, overdue: bool, after: int, limit: int
) -> list[Row]:
    rows = follow_view.recommendations(
        tx,
        within_unit=within_unit,
        overdue_on=today().isoformat() if overdue else None,
        after_position=after,
        limit=limit,
    )
    return with_overdue(rows)


def unit_counts(tx: Transaction, unit_id: str, whole: bool) -> dict[str, int]:
    """Recommendations made to a unit, carried out, and overdue today."""
    return follow_view.counts(tx, unit_id, whole, today().isoformat())
