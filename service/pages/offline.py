"""Capture at a commune without a steady connection (/thu-quy/ngoai-tuyen/): a page that a
service worker keeps on the phone once visited, where receipts, payments and house stages
are written down offline, each with its idempotency key from the moment it is captured,
and sent when the network returns.

A record sent twice, or whose answer was lost, is recorded once: the key travels with it,
and the application answers a repeated key with what it recorded the first time. What the
service refuses on sync (an overdraft, a closed period, a stage not reached) comes back as
problem+json with its Vietnamese reason, and the page keeps the record for correction."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

from flask import Blueprint, Response, current_app, g, jsonify, render_template, request
from flask_wtf.csrf import generate_csrf

from service.application.engine import Request, Written
from service.domain.errors import InvalidInput
from service.domain.funds import Disbursement, Donor, Receipt
from service.domain.money import Money
from service.domain.vocabulary import Category, Channel, DonorKind, Stage
from service.pages.access import OPEN, protect
from service.projections import funds as fund_view
from service.projections import houses as house_view
from service.reads import fresh
from service.web import labels
from service.web.context import actor, services
from service.web.errors import BadRequest
from service.web.guards import STYLE_HASHES, page_policy

PREFIX = "/thu-quy/ngoai-tuyen"
bp = Blueprint("offline", __name__, template_folder="templates", url_prefix=PREFIX)
STATIC = Path(__file__).resolve().parent / "static" / "offline"
#: The scripts served without a login: the service worker must be fetched whatever the
#: session, or an expired session would stop the phone from updating it.
OPEN.update({"offline.service_worker", "offline.script"})
#: Houses offered for a stage, the latest approved first.
HOUSES_OFFERED = 200
#: What the page sends: the kinds of record, and what each is recorded by.
KINDS = ("receipt", "payment", "stage")


def _script(name: str, **headers: str) -> Response:
    answer = Response((STATIC / name).read_bytes(), mimetype="text/javascript")
    answer.headers["Cache-Control"] = "no-cache"
    answer.headers.update(headers)
    return answer


@bp.get("/sw.js")
def service_worker() -> Response:
    """The service worker that keeps the page and its script for use offline."""
    return _script(
        "sw.js",
        **{
            "Service-Worker-Allowed": PREFIX + "/",
            # The worker's own policy: it fetches the page and its script, nothing else.
            "Content-Security-Policy": "default-src 'none'; connect-src 'self'",
        },
    )


@bp.get("/app.js")
def script() -> Response:
    """The page's script: the queue on the phone and its sending."""
    return _script("app.js")


@bp.get("/")
def capture() -> str:
    """The capture page, with what it needs offline: the funds and open houses of the
    signed-in person's unit, the categories and stages, and a CSRF token."""
    who = actor()
    with fresh({}) as (tx, _):
        unit = str(who.unit_id) if who.unit_id else None
        funds = fund_view.of_unit(tx, unit) if unit else []
        houses = (
            [
                {"id": h["id"], "stage": h["stage"], "approved_on": h["approved_on"]}
                for h in house_view.latest(tx, unit, HOUSES_OFFERED)
                if h["status"] == "open"
            ]
            if unit
            else []
        )
    offered = {
        "funds": [{"id": f["id"], "name": f["name"]} for f in funds],
        "houses": houses,
        "categories": {c.value: labels.CATEGORIES[c.value] for c in Category},
        "stages": {s.value: labels.STAGES[s.value] for s in Stage if s is not Stage.APPROVED},
    }
    return render_template("offline/capture.html", offered=offered)


@bp.get("/phien")
def session_token() -> Response:
    """A fresh CSRF token for sending, asked for before each sync (the session may have
    been renewed since the page was kept)."""
    return jsonify({"csrf_token": generate_csrf()})


def _amount(value: Any) -> Money:
    text = re.sub(r"[.\s]", "", str(value or ""))
    if not text.isdigit():
        raise InvalidInput("amount", "Số tiền phải là số đồng nguyên, ví dụ 500.000. Hãy nhập lại.")
    return Money(int(text))


def _day(value: Any, field: str) -> date:
    try:
        return labels.parse_day(str(value or ""))
    except ValueError:
        raise InvalidInput(
            field, "Ngày phải viết theo kiểu ngày/tháng/năm, ví dụ 20/11/2026. Hãy nhập lại."
        ) from None


def _text(body: dict[str, Any], field: str, limit: int) -> str | None:
    text = str(body.get(field) or "").strip()
    if len(text) > limit:
        raise InvalidInput(field, f"Tối đa {limit} ký tự. Hãy viết ngắn lại.")
    return text or None


def _id(body: dict[str, Any], field: str, what: str) -> UUID:
    try:
        return UUID(str(body.get(field)))
    except ValueError:
        raise InvalidInput(field, f"Hãy chọn {what}.") from None


def _write(kind: str, body: dict[str, Any], asked: Request) -> Written:
    ledger = services().ledger
    if kind == "receipt":
        name = _text(body, "donor_name", 200)
        receipt = Receipt(
            amount=_amount(body.get("amount")),
            occurred_on=_day(body.get("occurred_on"), "occurred_on"),
            donor=Donor(name, DonorKind.INDIVIDUAL if name else DonorKind.ANONYMOUS),
            channel=Channel.CASH,
            note=_text(body, "note", 1000),
        )
        return ledger.record_receipt(asked, _id(body, "fund_id", "quỹ"), receipt)
    if kind == "payment":
        try:
            category = Category(str(body.get("category")))
        except ValueError:
            raise InvalidInput("category", "Hãy chọn khoản chi thuộc nhóm nào.") from None
        payment = Disbursement(
            amount=_amount(body.get("amount")),
            occurred_on=_day(body.get("occurred_on"), "occurred_on"),
            category=category,
            note=_text(body, "note", 1000),
        )
        return ledger.record_disbursement(asked, _id(body, "fund_id", "quỹ"), payment)
    try:
        stage = Stage(str(body.get("stage")))
    except ValueError:
        raise InvalidInput("stage", "Hãy chọn giai đoạn nhà đã đạt.") from None
    board = [m.strip() for m in str(body.get("board_members") or "").split(",") if m.strip()]
    return ledger.record_house_stage(
        asked, _id(body, "house_id", "căn nhà"), stage, _day(body.get("on"), "on"), (), board
    )


@bp.post("/gui")
def send() -> tuple[Response, int]:
    """Records one captured record (JSON: ``kind`` and its fields), exactly once for its
    ``Idempotency-Key``; answers what was recorded, or problem+json with the reason."""
    body = request.get_json(silent=True)
    key = request.headers.get("Idempotency-Key", "")
    if not isinstance(body, dict) or body.get("kind") not in KINDS:
        raise BadRequest(
            "Bản ghi gửi lên không đọc được. Hãy tải lại trang rồi gửi lại.",
            {"kind": [f"Một trong: {', '.join(KINDS)}."]},
        )
    if not (0 < len(key) <= 255 and key.isprintable()):
        raise BadRequest(
            "Bản ghi thiếu mã chống ghi trùng. Hãy tải lại trang rồi gửi lại.",
            {"Idempotency-Key": ["Cần một mã không trùng, ví dụ một UUID."]},
        )
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False)
    asked = Request(
        actor=actor(),
        idempotency_key=key,
        fingerprint=hashlib.sha256(f"POST\n{PREFIX}/gui\n{canonical}".encode()).hexdigest(),
        request_id=g.get("request_id"),
    )
    result = _write(str(body["kind"]), body, asked)
    answer = {**result.body, "position": result.position, "replayed": result.replayed}
    if body["kind"] == "receipt" and result.body.get("entry_id"):
        answer["slip_url"] = f"/thu-quy/phieu/{result.body['entry_id']}"
    return jsonify(answer), 202 if result.body.get("status") == "pending" else 201


@bp.after_request
def _scripts_allowed(response: Response) -> Response:
    """This page alone runs a script of its own and a service worker, and sends with it."""
    if response.mimetype == "text/html":
        response.headers["Content-Security-Policy"] = (
            page_policy(current_app.config.get(STYLE_HASHES, []))
            + "; script-src 'self'; worker-src 'self'; connect-src 'self'; manifest-src 'self'"
        )
    return response


protect(bp)
