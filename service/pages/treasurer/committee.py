"""The committee's own work from a phone (Công tác Mặt trận): a distribution of support
counted as the reports count it (gift packages, household-times, people by beneficiary
category, in a campaign), and the bình xét meeting that selects who is supported, with
its minutes' SHA-256. Also the choices other forms offer from them: the campaigns a
receipt or a payment may name, and the meetings a house or grant approval names."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any
from uuid import UUID

from flask import request
from werkzeug.wrappers import Response

from service.application import Request, Written
from service.domain.errors import InvalidInput
from service.domain.vocabulary import Category
from service.pages.treasurer.cases import case_choices
from service.pages.treasurer.forms import Field
from service.pages.treasurer.shared import (
    ROWS_SHOWN,
    answered,
    bp,
    my_units,
    reached_position,
    shown_after,
    shown_form,
    today,
)
from service.projections import campaigns as campaign_view
from service.reads import fresh, readable_unit, within
from service.reads.selections import meetings_within
from service.web import bodies, labels
from service.web.context import services

#: Rows of beneficiary categories on the distribution form, and of households put
#: forward on the bình xét form.
LINE_ROWS = 4
NOMINEE_ROWS = 6
#: How long after its end a campaign is still offered on the receipt form: a receipt
#: dated within it may be recorded late.
LATE_RECEIPT_DAYS = 365
#: What a bình xét selects for.
PURPOSES = (("house", "Nhà Đại đoàn kết"), ("grant", "Hỗ trợ sinh kế"), ("support", "Hỗ trợ khác"))
#: The minutes may be any document: a scan, a photo, a PDF, a word processor's file.
MINUTES_ACCEPT = ".pdf,.jpg,.jpeg,.png,.heic,.doc,.docx,.odt"
#: The largest minutes file read to hash it.
MINUTES_MAX_BYTES = 50 * 1024 * 1024


def _lines() -> tuple[Field, ...]:
    beneficiaries = tuple(labels.HOUSEHOLD_CATEGORIES.items())
    found: list[Field] = []
    for row in range(1, LINE_ROWS + 1):
        found += [
            Field(f"lines.{row}.beneficiary", f"Đối tượng (dòng {row})", choices=beneficiaries),
            Field(f"lines.{row}.packages", f"Số suất quà (dòng {row})", "number"),
            Field(f"lines.{row}.household_times", f"Số lượt hộ (dòng {row})", "number"),
            Field(f"lines.{row}.people", f"Số người (dòng {row})", "number"),
        ]
    return tuple(found)


def _nominees() -> tuple[Field, ...]:
    found: list[Field] = []
    for row in range(1, NOMINEE_ROWS + 1):
        found += [
            Field(f"nominees.{row}.household_id", f"Hộ đưa ra bình xét ({row})", "choice"),
            Field(f"nominees.{row}.votes_for", f"Số phiếu tán thành ({row})", "number"),
            Field(f"nominees.{row}.votes_against", f"Số phiếu không tán thành ({row})", "number"),
        ]
    return tuple(found)


DISTRIBUTION = (
    Field("on", "Ngày trao", "date", required=True),
    Field(
        "category", "Hỗ trợ gì", "choice", required=True, choices=tuple(labels.CATEGORIES.items())
    ),
    Field("title", "Tên đợt trao", required=True, hint="Ví dụ: Trao quà Tết Ất Tỵ 2025."),
    Field("campaign_id", "Thuộc cuộc vận động", "choice"),
    Field(
        "value",
        "Tổng giá trị (đồng)",
        "money",
        hint="Nếu biết; kể cả quà nhà tài trợ trao tận tay.",
    ),
    *_lines(),
)
MEETING = (
    Field("held_on", "Ngày họp", "date", required=True),
    Field("purpose", "Bình xét cho", "choice", required=True, choices=PURPOSES),
    Field("attendees", "Số người dự họp", "number", required=True),
    Field(
        "chaired_by",
        "Người chủ trì",
        required=True,
        hint="Ví dụ: Trưởng ban công tác Mặt trận thôn.",
    ),
    *_nominees(),
    Field(
        "minutes",
        "Biên bản họp (tệp)",
        "file",
        accept=MINUTES_ACCEPT,
        hint="Tệp ở lại với ban; sổ chỉ ghi tên tệp và mã SHA-256 của nó.",
    ),
    Field("minutes_name", "Tên tệp biên bản", hint="Tự điền khi tải tệp lên."),
    Field(
        "minutes_sha256",
        "Mã SHA-256 của biên bản",
        hint="Tự tính khi tải tệp lên; hoặc dán mã 64 ký tự đã tính (sha256sum).",
    ),
)


def campaign_choices(unit_id: str, *, receipts: bool) -> list[tuple[str, str]]:
    """The campaigns the unit's entries may name today: those of the unit and the units
    above it that have begun (for receipts, not ended long ago)."""
    day = today()
    with fresh({}) as (tx, _):
        rows = campaign_view.open_to(tx, unit_id, None, ROWS_SHOWN)
    late = (day - timedelta(days=LATE_RECEIPT_DAYS)).isoformat()
    return [
        (str(c["id"]), f"{c['name']} ({labels.day(c['starts_on'])} – {labels.day(c['ends_on'])})")
        for c in sorted(rows, key=lambda c: str(c["starts_on"]), reverse=True)
        if str(c["starts_on"]) <= day.isoformat() and (not receipts or str(c["ends_on"]) >= late)
    ]


def meeting_choices() -> list[tuple[str, str]]:
    """The bình xét meetings of my units, latest first, as an approval form offers them."""
    with fresh({}) as (tx, _):
        rows = meetings_within(tx, within(tx, None), ROWS_SHOWN)
    return [
        (
            str(m["id"]),
            f"{labels.day(m['held_on'])} · {m['unit_name']} · "
            f"{dict(PURPOSES).get(m['purpose'], m['purpose'])} · chọn {m['selected']} hộ",
        )
        for m in rows
    ]


def require_meeting(body: dict[str, Any]) -> None:
    """Refuses an approval sent from a page without its bình xét meeting, in the page's
    words (the page offers no reason for an approval without one); the use case holds the
    same rule (``meeting_required``) for every caller."""
    if body.get("meeting_id") is None:
        raise InvalidInput(
            "meeting_id",
            "Hãy chọn cuộc họp bình xét đã chọn hộ này. Nếu chưa có, hãy ghi cuộc họp ở "
            "trang Công tác Mặt trận trước.",
        )


@bp.get("/cong-tac")
def committee() -> str:
    """My units, each with the forms of its committee's work, and the bình xét meetings
    recorded."""
    with fresh(reached_position()) as (tx, _):
        units = my_units(tx)
        meetings = meetings_within(tx, within(tx, None), ROWS_SHOWN)
    return shown_form(
        "treasurer/committee.html", (), units=units, meetings=meetings, purposes=dict(PURPOSES)
    )


def _unit_context(unit_id: UUID) -> dict[str, Any]:
    with fresh({}) as (tx, _):
        unit = readable_unit(tx, unit_id)
    return {"unit": unit}


@bp.route("/don-vi/<uuid:unit_id>/trao-ho-tro", methods=["GET", "POST"])
def distribution(unit_id: UUID) -> Response | str | tuple[str, int]:
    """A distribution of the unit: its purpose, campaign and a line per category."""
    context = {**_unit_context(unit_id), "title": "Ghi đợt trao hỗ trợ"}
    choices = {"campaign_id": campaign_choices(str(unit_id), receipts=False)}
    if request.method == "GET":
        values = {"on": today().isoformat(), "category": Category.TET_GIFT.value}
        return shown_form("treasurer/committee_form.html", DISTRIBUTION, choices, values, **context)

    def write(body: dict[str, Any], asked: Request) -> Written:
        return services().ledger.record_distribution(
            asked,
            unit_id,
            body["on"],
            Category(body["category"]),
            body["title"],
            bodies.reach_lines(body),
            body["value"],
            body["campaign_id"],
        )

    return answered(
        "treasurer/committee_form.html",
        DISTRIBUTION,
        "distributions.record_distribution",
        write,
        choices,
        then=shown_after("treasurer.committee"),
        **context,
    )


def _minutes() -> dict[str, str]:
    """The uploaded minutes' name and SHA-256, read in pieces; nothing when none was sent."""
    sent = request.files.get("minutes")
    if sent is None or not sent.filename:
        return {}
    digest = hashlib.sha256()
    size = 0
    while piece := sent.stream.read(1 << 16):
        size += len(piece)
        if size > MINUTES_MAX_BYTES:
            break
        digest.update(piece)
    if size > MINUTES_MAX_BYTES:
        return {}
    return {"minutes_name": sent.filename[-200:], "minutes_sha256": digest.hexdigest()}


@bp.route("/don-vi/<uuid:unit_id>/binh-xet", methods=["GET", "POST"])
def meeting(unit_id: UUID) -> Response | str | tuple[str, int]:
    """A bình xét meeting of the unit: who attended, the households put forward with their
    votes, and the minutes' SHA-256 (computed here from the uploaded file)."""
    context = {**_unit_context(unit_id), "title": "Ghi cuộc họp bình xét", "upload": True}
    households = case_choices()["household_id"]
    choices = {f.name: households for f in MEETING if f.name.endswith(".household_id")}
    if request.method == "GET":
        values = {"held_on": today().isoformat(), "purpose": "house"}
        return shown_form("treasurer/committee_form.html", MEETING, choices, values, **context)

    def write(body: dict[str, Any], asked: Request) -> Written:
        return services().ledger.hold_selection_meeting(
            asked,
            unit_id,
            body["held_on"],
            body["purpose"],
            body["attendees"],
            body["chaired_by"],
            bodies.nominees(body),
            (body["minutes_name"], body["minutes_sha256"]),
        )

    return answered(
        "treasurer/committee_form.html",
        MEETING,
        "selections.hold_selection_meeting",
        write,
        choices,
        then=shown_after("treasurer.committee"),
        given=_minutes(),
        **context,
    )
