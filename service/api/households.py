"""Households: registration with duplicate checks, categories over time, escaping
poverty, erasure on request, and reads that show personal data only to those allowed."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint

from service.api.operation import operation, write_request, written
from service.api.schemas import (
    CategoryIn,
    ErasedOut,
    ErasureIn,
    EscapeIn,
    HistoryOut,
    HouseholdIn,
    HouseholdOut,
    HouseholdsQuery,
    HouseholdWritten,
    ReadQuery,
    page_of,
)
from service.domain.households import PersonalData
from service.domain.vocabulary import HouseholdCategory
from service.projections import history
from service.projections import households as household_view
from service.reads import fresh, page, within
from service.reads.households import readable_household, shown, students_shown
from service.web.context import services

bp = Blueprint("households", __name__)

WRITE_ERRORS = (401, 403, 404, 409, 422, 503)


@bp.post("/households")
@operation(
    "Register a household",
    tag="households",
    body=HouseholdIn,
    response=HouseholdWritten,
    status=201,
    errors=(401, 403, 409, 422, 503),
)
def register_household(body: dict[str, Any]) -> dict[str, Any]:
    """Registers a household of a unit (its treasurer, or an admin); one that matches a
    household already registered is refused (409) unless ``duplicate_reason`` is given."""
    data = PersonalData.of(body["head_name"], body["address"], body["cccd"], body["phone"])
    categories = [(HouseholdCategory(c["category"]), c["since"]) for c in body["categories"]]
    result = services().ledger.register_household(
        write_request(),
        body["unit_id"],
        data,
        body["members_count"],
        categories,
        body["duplicate_reason"],
    )
    return written(result)


@bp.get("/households")
@operation(
    "List households",
    tag="households",
    query=HouseholdsQuery,
    response=page_of(HouseholdOut),
    errors=(401, 403, 422, 503),
)
def list_households(query: dict[str, Any]) -> dict[str, Any]:
    """The households this token reaches, oldest registration first; with ``unit_id``, of
    that unit and the units below it; with ``category``, those in it now."""
    with fresh(query) as (tx, _):
        rows = household_view.of_units(
            tx,
            within_unit=within(tx, query["unit_id"]),
            category=query["category"],
            after_position=query["cursor"] or 0,
            limit=query["limit"] + 1,
        )
    return page(shown(rows), query["limit"], lambda row: row["registered_position"])


@bp.get("/households/<uuid:household_id>")
@operation(
    "Read a household",
    tag="households",
    query=ReadQuery,
    response=HouseholdOut,
    errors=(401, 403, 404, 503),
)
def get_household(household_id: UUID, query: dict[str, Any]) -> dict[str, Any]:
    """The household, its categories over time and its outcome; personal data in full only
    for administrators and tokens granted it, masked for others."""
    with fresh(query) as (tx, _):
        row = readable_household(tx, household_id)
    return shown([row])[0]


@bp.get("/households/<uuid:household_id>/history")
@operation(
    "Read a household's case history",
    tag="households",
    query=ReadQuery,
    response=HistoryOut,
    errors=(401, 403, 404, 503),
)
def get_history(household_id: UUID, query: dict[str, Any]) -> dict[str, Any]:
    """Everything the household received: every disbursement naming it and from which fund,
    its houses with their stages and tranches, its grants with their follow-ups, its
    categories over time and its outcome, with totals by category and by year. Personal
    data is shown as for the household itself; an erased household's money stays."""
    with fresh(query) as (tx, position):
        row = readable_household(tx, household_id)
        entries = history.disbursements(tx, str(household_id))
        houses, grants = history.houses(tx, row["id"]), history.grants(tx, row["id"])
    household = shown([row])[0]
    return {
        "household": household,
        "disbursements": students_shown(household, entries),
        "houses": houses,
        "grants": grants,
        "totals": history.totals(entries),
        "position": position,
    }


@bp.post("/households/<uuid:household_id>/categories")
@operation(
    "Record a category",
    tag="households",
    body=CategoryIn,
    response=HouseholdWritten,
    status=201,
    errors=WRITE_ERRORS,
)
def record_category(household_id: UUID, body: dict[str, Any]) -> dict[str, Any]:
    """Puts the household in a category from ``since``, or takes it out on ``until``."""
    result = services().ledger.record_household_category(
        write_request(),
        household_id,
        HouseholdCategory(body["category"]),
        body["since"],
        body["until"],
    )
    return written(result)


@bp.post("/households/<uuid:household_id>/escaped-poverty")
@operation(
    "Record escaping poverty",
    tag="households",
    body=EscapeIn,
    response=HouseholdWritten,
    status=201,
    errors=WRITE_ERRORS,
)
def record_escape(household_id: UUID, body: dict[str, Any]) -> dict[str, Any]:
    """Records that the household escaped poverty (thoát nghèo) on a date; its poor or
    near-poor category ends that day."""
    result = services().ledger.record_escape_from_poverty(
        write_request(), household_id, body["on"], body["note"]
    )
    return written(result)


@bp.post("/households/<uuid:household_id>/erasure")
@operation(
    "Erase a household's personal data",
    tag="households",
    body=ErasureIn,
    response=ErasedOut,
    status=201,
    errors=WRITE_ERRORS,
)
def erase_household(household_id: UUID, body: dict[str, Any]) -> dict[str, Any]:
    """Destroys the household's key on a lawful request (an admin, or an approver of its
    unit): its personal data can never be read again; its support and every money figure
    stay, and the log still verifies."""
    result = services().ledger.erase_household(write_request(), household_id, body["reason"])
    return written(result)
