"""The public disclosure (công khai) of a unit for a period: the report's figures, money in
and out month by month, houses by stage, the households supported (names masked), the
unit's funds and its place in the tree. One function feeds the JSON and the HTML page."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from flask import Blueprint

from service.adapters.db import Row, Transaction
from service.adapters.personal_data import PersonalDataKeyUnavailable
from service.api.operation import operation, services
from service.api.reads import fresh
from service.api.schemas.public import DisclosureOut, DisclosureQuery
from service.domain.errors import UnitNotFound
from service.domain.households import ERASED_NAME
from service.domain.text import mask_name
from service.projections import books, reports
from service.projections import disclosure as disclosure_view
from service.projections import funds as fund_view
from service.projections import houses as house_view
from service.projections import units as unit_view

bp = Blueprint("disclosure", __name__)
#: Shown for a household whose name cannot be opened on this server (no key).
HIDDEN_NAME = "(đã ẩn)"
_UNIT = ("id", "name", "level", "code")


@bp.get("/public/units/<uuid:unit_id>/disclosure")
@operation(
    "Read a unit's public disclosure",
    tag="public",
    query=DisclosureQuery,
    response=DisclosureOut,
    public=True,
    errors=(404, 422, 503),
)
def public_disclosure(unit_id: UUID, query: dict[str, Any]) -> dict[str, Any]:
    """What the law has a committee show the people for a period: opening and closing
    balances, money raised against the target, receipts by channel, disbursements by
    category, money in and out by month, houses by stage and the households supported,
    their names masked; with the whole subtree unless ``include_children=false``."""
    with fresh(query) as (tx, position):
        shown = disclosure(
            tx,
            str(unit_id),
            query["date_from"],
            query["date_to"],
            query["include_children"],
            position,
        )
    return masked(shown)


def disclosure(
    tx: Transaction,
    unit_id: str,
    first: date,
    last: date,
    include_children: bool,
    position: int,
) -> dict[str, Any]:
    unit = unit_view.get(tx, unit_id)
    if unit is None:
        raise UnitNotFound(
            "Không có đơn vị nào với mã này. Hãy kiểm tra lại mã đơn vị.", unit_id=unit_id
        )
    report = reports.unit_report(tx, unit_id, first.isoformat(), last.isoformat(), include_children)
    parent = unit_view.get(tx, unit["parent_id"]) if unit["parent_id"] else None
    houses = house_view.by_stage(tx, unit_id, last.isoformat())
    return {
        "unit": {key: unit[key] for key in _UNIT},
        "parent": {key: parent[key] for key in _UNIT} if parent else None,
        "children": [
            {key: child[key] for key in _UNIT}
            for child in unit_view.children(tx, unit_id, None, 1000)
        ],
        "from": first.isoformat(),
        "to": last.isoformat(),
        "include_children": include_children,
        "report": {key: value for key, value in report.items() if key not in ("unit_id",)},
        "monthly": disclosure_view.monthly(tx, unit_id, first, last, include_children),
        "houses": {"by_stage": houses["by_stage"], "cancelled": houses["cancelled"]},
        "households": disclosure_view.supported_households(
            tx, unit_id, first, last, include_children
        ),
        # Each fund's balance at the end of the period, so that a closed period reads the
        # same whenever it is disclosed.
        "funds": [
            {
                **{key: fund[key] for key in ("id", "name", "kind")},
                "balance": books.balance_on(tx, str(fund["id"]), last.isoformat()),
            }
            for fund in fund_view.of_unit(tx, unit_id)
        ],
        "position": position,
    }


def masked(shown: dict[str, Any]) -> dict[str, Any]:
    """The disclosure with each household's head named masked ("Nguyễn V. A."), never in
    full; read after the disclosure's transaction, as the keyring reads in its own."""
    return {**shown, "households": _masked(shown["households"])}


def _masked(rows: list[Row]) -> list[dict[str, Any]]:
    try:
        opened = (
            services()
            .keyring()
            .open_many({UUID(row["id"]): {"head_name": row["head_name_sealed"]} for row in rows})
            if rows
            else {}
        )
    except PersonalDataKeyUnavailable:
        opened = {}
    shown = []
    for row in rows:
        data = opened.get(UUID(row["id"]))
        if row["erased_at"] is not None:
            name = ERASED_NAME
        elif data and data.get("head_name"):
            name = mask_name(str(data["head_name"]))
        else:
            name = HIDDEN_NAME
        shown.append(
            {
                "name": name,
                "unit_name": row["unit_name"],
                "amount": int(row["amount"]),
                "entries": int(row["entries"]),
            }
        )
    return shown
