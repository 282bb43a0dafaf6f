"""/cong-khai/hoi/: anyone asks about, or flags, a published entry or a unit's disclosure
without an account, and follows the answer by a tracking code. The statement, the
receipt's proof and the disclosure show the questions and answers beside what they are
about, through the template globals defined here."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from flask import Blueprint, abort, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from service.adapters.throttle import TooManyRequests
from service.domain.errors import InvalidInput, NotFound
from service.domain.questions import Asking
from service.domain.vocabulary import QuestionKind
from service.projections import questions as question_view
from service.projections import units as unit_view
from service.reads import fresh
from service.reads import questions as questions_read
from service.reads.proofs import proved_receipts
from service.web import labels
from service.web.context import services

bp = Blueprint(
    "questions_pages", __name__, template_folder="templates", url_prefix="/cong-khai/hoi"
)


@bp.context_processor
def _labels() -> dict[str, Any]:
    return {"labels": labels}


@bp.app_template_global()
def questions_beside(fund_id: str) -> dict[str, list[dict[str, Any]]]:
    """The fund's questions by entry, for its statement."""
    with fresh({}) as (tx, _):
        return questions_read.answered_beside(tx, str(fund_id))


@bp.app_template_global()
def questions_on_entry(entry_id: str) -> list[dict[str, Any]]:
    """The questions on one entry, for its proof page."""
    day = questions_read.overdue_from()
    with fresh({}) as (tx, _):
        return [
            questions_read.public_question(row, day)
            for row in question_view.of_entry(tx, str(entry_id))
        ]


@bp.app_template_global()
def question_counts(unit_id: str, first: date, last: date, whole: bool) -> dict[str, Any]:
    """How many questions a unit's disclosure period drew, answered, and left overdue."""
    with fresh({}) as (tx, _):
        return questions_read.unit_counts(tx, str(unit_id), first, last, whole)


def _uuid(name: str) -> UUID | None:
    text = (request.values.get(name) or "").strip()
    if not text:
        return None
    try:
        return UUID(text)
    except ValueError:
        abort(404)


@bp.get("/moi")
def ask_form() -> str:
    """The form to ask about an entry (``quy``, ``but_toan``) or a unit (``don_vi``)."""
    return _form(_uuid("quy"), _uuid("but_toan"), _uuid("don_vi"))


@bp.post("/moi")
def ask() -> Response | tuple[str, int]:
    """Records the question and shows its tracking page; a refusal shows the form again
    with what was typed and the reason."""
    fund_id, entry_id, unit_id = _uuid("quy"), _uuid("but_toan"), _uuid("don_vi")
    kind = request.form.get("loai", QuestionKind.QUESTION.value)
    text = request.form.get("noi_dung", "")[:2000]
    contact = request.form.get("lien_he", "")[:200]
    try:
        asking = Asking(
            kind=QuestionKind(kind) if kind in set(QuestionKind) else QuestionKind.QUESTION,
            text=text,
            fund_id=fund_id,
            entry_id=entry_id,
            unit_id=unit_id,
            contact=contact,
        )
        result = questions_read.ask(asking)
    except InvalidInput as refusal:
        return _form(fund_id, entry_id, unit_id, refusal.detail, kind, text, contact), 422
    except TooManyRequests as refusal:
        return _form(fund_id, entry_id, unit_id, refusal.detail, kind, text, contact), 429
    code = result.body["tracking_code"]
    return redirect(
        url_for("questions_pages.tracked", code=code, moi=1, vi_tri=result.position), 303
    )


@bp.get("/<code>")
def tracked(code: str) -> str:
    """A question followed by its tracking code, with its answer once given."""
    position = request.args.get("vi_tri", "0")
    wanted = int(position) if position.isdigit() and len(position) < 19 else 0
    with fresh({"min_position": wanted}) as (tx, _):
        try:
            question = questions_read.tracked(tx, code)
        except NotFound:
            abort(404)
    return render_template(
        "questions/tracked.html",
        q=question,
        just_asked=request.args.get("moi") == "1",
        answer_days=services().config.question_answer_days,
    )


def _form(
    fund_id: UUID | None,
    entry_id: UUID | None,
    unit_id: UUID | None,
    error: str = "",
    kind: str = QuestionKind.QUESTION.value,
    text: str = "",
    contact: str = "",
) -> str:
    receipt = None
    unit = None
    with fresh({}) as (tx, _):
        if entry_id is not None:
            found = [r for r in proved_receipts(tx, str(entry_id)) if r["fund_id"] == str(fund_id)]
            if not found:
                abort(404)
            receipt = found[0]
        elif unit_id is not None:
            unit = unit_view.get(tx, str(unit_id))
            if unit is None:
                abort(404)
        else:
            abort(404)
    return render_template(
        "questions/ask.html",
        receipt=receipt,
        unit=unit,
        fund_id=fund_id,
        entry_id=entry_id,
        unit_id=unit_id,
        error=error,
        kind=kind,
        text=text,
        contact=contact,
        answer_days=services().config.question_answer_days,
    )
