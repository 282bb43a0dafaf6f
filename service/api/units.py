"""Units: the committees, their tree, and their reports."""

from __future__ import annotations

import io
from typing import Any
from uuid import UUID

from flask import Blueprint, Response, request

from service.adapters.csvfile import csv_writer
from service.api import exports
from service.api.operation import operation, write_request, written
from service.api.schemas import (
    ApprovalThresholdIn,
    AssignedTargetOut,
    MergedOut,
    MergeIn,
    ReadQuery,
    ReportOut,
    ReportQuery,
    TargetIn,
    TargetList,
    TargetsQuery,
    UnitIn,
    UnitOut,
    UnitsQuery,
    page_of,
)
from service.api.spreadsheets import FORMATS, file_response
from service.domain.errors import UnitNotFound
from service.domain.money import Money
from service.domain.vocabulary import FundKind, Level
from service.projections import books, reports
from service.projections import units as unit_view
from service.reads import fresh, page, require_reach
from service.web.context import services

bp = Blueprint("units", __name__)


@bp.post("/units")
@operation(
    "Register a unit",
    tag="units",
    body=UnitIn,
    response=UnitOut,
    status=201,
    errors=(401, 403, 422),
)
def register_unit(body: dict[str, Any]) -> dict[str, Any]:
    """Registers a committee below its parent (administrators only)."""
    result = services().ledger.register_unit(
        write_request(), body["name"], Level(body["level"]), body["parent_id"], body["code"]
    )
    return written(result)


@bp.get("/units/<uuid:unit_id>")
@operation("Read a unit", tag="units", query=ReadQuery, response=UnitOut, errors=(401, 404))
def get_unit(unit_id: UUID, query: dict[str, Any]) -> dict[str, Any]:
    """One unit: its name, level, parent and code."""
    with fresh(query) as (tx, _):
        unit = unit_view.get(tx, str(unit_id))
    if unit is None:
        raise UnitNotFound(
            "Không có đơn vị nào với mã này. Hãy kiểm tra lại mã đơn vị.", unit_id=str(unit_id)
        )
    return unit


@bp.put("/units/<uuid:unit_id>/approval-threshold")
@operation(
    "Set the approval threshold",
    tag="units",
    body=ApprovalThresholdIn,
    response=UnitOut,
    errors=(401, 403, 404, 422),
)
def set_approval_threshold(unit_id: UUID, body: dict[str, Any]) -> dict[str, Any]:
    """Sets the amount above which a payment from the unit's funds waits for an approver
    (administrators, or an approver of the unit or a unit above); null lifts it."""
    result = services().ledger.set_approval_threshold(write_request(), unit_id, body["amount"])
    return written(result)


@bp.post("/units/<uuid:unit_id>/merge")
@operation(
    "Merge a unit",
    tag="units",
    body=MergeIn,
    response=MergedOut,
    status=201,
    errors=(401, 403, 404, 409, 422),
)
def merge_unit(unit_id: UUID, body: dict[str, Any]) -> dict[str, Any]:
    """Merges the unit into its successor from a date (administrators, or an approver of a
    unit above both): its funds' balances move and their books close; its cases move."""
    result = services().ledger.merge_unit(
        write_request(), unit_id, body["successor_id"], body["merged_on"]
    )
    return written(result)


@bp.get("/units")
@operation(
    "List units", tag="units", query=UnitsQuery, response=page_of(UnitOut), errors=(401, 422)
)
def list_units(query: dict[str, Any]) -> dict[str, Any]:
    """The children of ``parent_id``, or the top units when it is not given."""
    parent = str(query["parent_id"]) if query["parent_id"] else None
    with fresh(query) as (tx, _):
        rows = unit_view.children(tx, parent, query["cursor"], query["limit"] + 1)
    return page(rows, query["limit"], lambda row: row["id"])


@bp.post("/units/<uuid:unit_id>/targets")
@operation(
    "Assign a target",
    tag="units",
    body=TargetIn,
    response=AssignedTargetOut,
    status=201,
    errors=(401, 403, 404, 422),
)
def assign_target(unit_id: UUID, body: dict[str, Any]) -> dict[str, Any]:
    """Sets what the unit is to raise in a year into its funds of one kind (the level
    above: administrators, approvers and treasurers of a unit above); replaces an earlier
    target of the same year and kind."""
    result = services().ledger.assign_target(
        write_request(), unit_id, body["year"], FundKind(body["fund_kind"]), Money(body["amount"])
    )
    return written(result)


@bp.get("/units/<uuid:unit_id>/targets")
@operation(
    "List a unit's targets",
    tag="units",
    query=TargetsQuery,
    response=TargetList,
    errors=(401, 403, 404, 422, 503),
)
def list_targets(unit_id: UUID, query: dict[str, Any]) -> dict[str, Any]:
    """The unit's own targets by year and kind of fund (``year`` keeps one year)."""
    with fresh(query) as (tx, _):
        if unit_view.get(tx, str(unit_id)) is None:
            raise UnitNotFound(
                "Không có đơn vị nào với mã này. Hãy kiểm tra lại mã đơn vị.", unit_id=str(unit_id)
            )
        require_reach(tx, str(unit_id))
        return {"items": unit_view.targets(tx, str(unit_id), query["year"])}


@bp.get("/units/<uuid:unit_id>/report")
@operation(
    "Report on a unit",
    tag="units",
    query=ReportQuery,
    response=ReportOut,
    errors=(401, 403, 404, 422),
)
def unit_report(unit_id: UUID, query: dict[str, Any]) -> Any:
    """Opening balance, money in by channel and out by category, transfers, closing
    balance and counts for a period; with ``include_children``, for the whole subtree.
    Send ``Accept: text/csv`` or ``format=csv`` for the figures by name, ``format=csv-vi``
    or ``format=xlsx`` for a file in Vietnamese that names its checkpoint."""
    with fresh(query, bulk=True) as (tx, position):
        if unit_view.get(tx, str(unit_id)) is None:
            raise UnitNotFound(
                "Không có đơn vị nào với mã này. Hãy kiểm tra lại mã đơn vị.", unit_id=str(unit_id)
            )
        require_reach(tx, str(unit_id))
        report = reports.unit_report(
            tx,
            str(unit_id),
            query["date_from"].isoformat(),
            query["date_to"].isoformat(),
            query["include_children"],
        )
        through = query["date_to"].isoformat()
        data_position = books.last_position(tx, str(unit_id), None, through)
        checkpoint = books.covering_checkpoint(tx, data_position)
        unit = unit_view.get(tx, str(unit_id)) or {}
    if query["format"] in FORMATS:
        # The file names the last entry it was read from, not the moment it was read,
        # so that a closed period's file is the same whenever it is made.
        report["position"] = data_position
        return file_response(exports.report_table(unit, report, checkpoint), query["format"])
    report["position"] = position
    if query["format"] == "csv" or request.accept_mimetypes.best == "text/csv":
        return csv_response(report, f"report-{unit_id}.csv")
    return report


def csv_response(report: dict[str, Any], filename: str) -> Response:
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(["figure", "value"])
    for key, value in _flatten(report):
        writer.writerow([key, value])
    response = Response(out.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _flatten(data: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    rows: list[tuple[str, Any]] = []
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            rows.extend(_flatten(value, name + "."))
        else:
            rows.append((name, value))
    return rows
