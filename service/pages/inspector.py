"""/thanh-tra/: the audit trail, a fund's ledger, a house's history and the log's
verification, for inspection and supervision boards. Each page reads through the same
functions as the API route that answers the same question, with the session's token as
the actor, so it shows exactly what that token may read."""

from __future__ import annotations

import base64
import threading
import time
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from flask import redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from service.application.checkpoints import verify_log
from service.domain.clock import VIETNAM
from service.domain.errors import Conflict, UnitNotFound
from service.domain.notes import Note
from service.domain.vocabulary import Role
from service.pages.access import bp as bp
from service.pages.filters import audit_query, ledger_query
from service.pages.photos import with_photos
from service.projections import audit as audit_view
from service.projections import checkpoints as checkpoint_view
from service.projections import funds as fund_view
from service.projections import houses as house_view
from service.projections import units as unit_view
from service.reads import fresh, require_reach
from service.reads.audit import require_auditor, trail
from service.reads.funds import entries_page, readable_fund
from service.reads.households import readable_household, shown
from service.reads.houses import readable_house
from service.web.context import actor, services

#: Units offered in the audit trail's filter.
UNITS_OFFERED = 500
#: A verification started from the page stops after this long, well inside the workers'
#: request timeout; ``sovang audit verify`` checks a log of any size.
VERIFY_SECONDS = 20.0
#: Pages to open from an event of each kind of aggregate.
AGGREGATE_PAGES = {
    "Fund": "inspector.fund",
    "HouseProject": "inspector.house",
    "Unit": "inspector.unit",
}
_verifying = threading.Lock()


@bp.app_template_filter("moment")
def _moment(iso: str) -> str:
    """A stored UTC time as read in Vietnam: 05/03/2025 14:30:07."""
    return datetime.fromisoformat(iso).astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M:%S")


@bp.app_template_filter("unix_moment")
def _unix_moment(seconds: int) -> str:
    return _moment(datetime.fromtimestamp(int(seconds), UTC).isoformat())


class VerificationStopped(Exception):
    """The verification ran out of its time on the page."""


@bp.get("/")
def home() -> str:
    """Who is signed in, and where to start: the token's unit (every top unit for an admin)."""
    who = actor()
    with fresh({}) as (tx, _):
        if who.unit_id is None:
            units = unit_view.children(tx, None, None, UNITS_OFFERED)
        else:
            units = [unit for unit in [unit_view.get(tx, str(who.unit_id))] if unit]
    return render_template("inspector/home.html", units=units)


@bp.get("/don-vi/<uuid:unit_id>")
def unit(unit_id: UUID) -> str:
    """A unit in the token's reach: its funds, its houses and the units below it."""
    with fresh({}) as (tx, _):
        shown_unit = unit_view.get(tx, str(unit_id))
        if shown_unit is None:
            raise UnitNotFound(
                "Không có đơn vị nào với mã này. Hãy kiểm tra lại mã đơn vị.", unit_id=str(unit_id)
            )
        require_reach(tx, str(unit_id))
        parent = unit_view.get(tx, shown_unit["parent_id"]) if shown_unit["parent_id"] else None
        if parent is not None and not actor().reaches([UUID(parent["id"])]):
            parent = None
        funds = fund_view.of_unit(tx, str(unit_id))
        houses = house_view.projects(
            tx,
            within_unit=str(unit_id),
            stage=None,
            overdue_since=None,
            after_position=0,
            limit=UNITS_OFFERED,
        )
        children = unit_view.children(tx, str(unit_id), None, UNITS_OFFERED)
    return render_template(
        "inspector/unit.html",
        unit=shown_unit,
        parent=parent,
        funds=funds,
        houses=houses,
        children=children,
    )


@bp.get("/nhat-ky")
def audit_trail() -> str:
    """The audit trail, filtered by unit, type of event, dates and aggregate, each event
    with its leaf hash, a page at a time."""
    who = require_auditor("xem nhật ký kiểm toán")
    query, notes = audit_query(request.args.to_dict())
    found = trail(query)
    with fresh({}) as (tx, _):
        units = unit_view.subtree(tx, str(who.unit_id) if who.unit_id else None, UNITS_OFFERED)
        types = audit_view.event_types(tx)
    filters = {k: v for k, v in request.args.to_dict().items() if k != "sau" and v}
    return render_template(
        "inspector/audit.html",
        events=found["items"],
        next_cursor=found["next_cursor"],
        filters=filters,
        units=units,
        unit_names={u["id"]: u["name"] for u in units},
        types=types,
        pages=AGGREGATE_PAGES,
        notes=notes,
    )


@bp.get("/quy/<uuid:fund_id>")
def fund(fund_id: UUID) -> str:
    """A fund's ledger: every entry with its slip number and the running balance after it,
    reversed entries marked and linked to their reversal."""
    query, notes = ledger_query(request.args.to_dict())
    with fresh({}) as (tx, _):
        row = readable_fund(tx, fund_id)
        found = entries_page(tx, fund_id, query)
        holder = unit_view.get(tx, row["unit_id"])
    filters = {k: v for k, v in request.args.to_dict().items() if k != "sau" and v}
    return render_template(
        "inspector/fund.html",
        fund=row,
        unit=holder,
        entries=found["items"],
        seq_of={e["entry_id"]: e["seq"] for e in found["items"]},
        next_cursor=found["next_cursor"],
        filters=filters,
        notes=notes,
    )


@bp.get("/nha/<uuid:project_id>")
def house(project_id: UUID) -> str:
    """A house project's history: its cost sheet, every stage reached and every tranche."""
    with fresh({}) as (tx, _):
        project = readable_house(tx, project_id)
        household = readable_household(tx, UUID(project["household_id"]))
        holder = unit_view.get(tx, project["unit_id"])
        funds = {t["fund_id"]: fund_view.get(tx, t["fund_id"]) for t in project["tranches"]}
    return render_template(
        "inspector/house.html",
        house=project,
        household=shown([household])[0],
        stages=with_photos(project["stages"], board=True),
        unit=holder,
        funds=funds,
    )


@bp.get("/kiem-chung")
def verification() -> str:
    """The log's latest signed checkpoint with its cosignatures, and the last verification
    run from this session."""
    svc = services()
    with fresh({}) as (tx, _):
        latest = checkpoint_view.latest(tx)
        signers: list[str] = []
        witnesses: list[dict[str, Any]] = []
        if latest is not None:
            signers = [
                s.name for s in Note.parse(checkpoint_view.cosigned_note(tx, latest)).signatures
            ]
            witnesses = checkpoint_view.cosignatures(tx, int(latest["tree_size"]))
    return render_template(
        "inspector/verification.html",
        latest=latest,
        signers=signers,
        witnesses=witnesses,
        head=svc.runner.head(),
        result=session.get("verification"),
        read_models=session.get("read_model_check"),
        may_verify=actor().role in {Role.ADMIN, Role.INSPECTOR},
    )


@bp.post("/kiem-chung")
def verify() -> Response:
    """Recomputes every leaf and checks it against the tree and every signed checkpoint, as
    ``sovang audit verify`` does, within a bounded time; the result is kept in the session."""
    require_auditor("kiểm chứng sổ")
    if not _verifying.acquire(blocking=False):
        raise Conflict("Đang có một lần kiểm tra khác chạy; hãy thử lại sau ít phút.")
    started = time.monotonic()

    def bounded(position: int) -> None:
        if time.monotonic() - started > VERIFY_SECONDS:
            raise VerificationStopped(position)

    try:
        found = verify_log(services(), progress=bounded)
        result: dict[str, Any] = {
            "ok": found.ok,
            "size": found.size,
            "checkpoints": found.checkpoints,
            "root": base64.b64encode(found.root).decode(),
            "problem": found.problem,
            "where": found.where if not found.ok else "",
        }
    except VerificationStopped as stopped:
        result = {"ok": None, "size": stopped.args[0], "limit": VERIFY_SECONDS}
    finally:
        _verifying.release()
    result["at"] = datetime.now(UTC).isoformat()
    result["seconds"] = round(time.monotonic() - started, 2)
    session["verification"] = result
    return redirect(url_for("inspector.verification"), 303)


@bp.post("/kiem-chung/bang-doc")
def check_read_models() -> Response:
    """Recomputes the read models from the log and compares them with those served, as
    ``sovang projections check`` does, within a bounded time; the result is kept in the
    session."""
    from service.application.read_model_check import CheckStopped, check

    require_auditor("đối chiếu bảng đọc với sổ")
    if not _verifying.acquire(blocking=False):
        raise Conflict("Đang có một lần kiểm tra khác chạy; hãy thử lại sau ít phút.")
    started = time.monotonic()
    try:
        found = check(services(), deadline=started + VERIFY_SECONDS)
        result: dict[str, Any] = {
            "ok": found.ok,
            "position": found.position,
            "tables": found.tables,
            "rows": found.rows,
            "difference": found.difference.describe() if found.difference else "",
            "notes": found.notes,
        }
    except CheckStopped as stopped:
        result = {"ok": None, "position": stopped.args[0], "limit": VERIFY_SECONDS}
    finally:
        _verifying.release()
    result["at"] = datetime.now(UTC).isoformat()
    result["seconds"] = round(time.monotonic() - started, 2)
    session["read_model_check"] = result
    return redirect(url_for("inspector.verification"), 303)
