"""/thanh-tra/cau-hoi: the questions the people asked about the units this login reaches,
oldest first, each answered from the page; the answer is published beside the entry."""

from __future__ import annotations

from uuid import UUID

from flask import g, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from service.application import Request
from service.domain.errors import AlreadyAnswered, InvalidInput
from service.pages.access import bp
from service.reads import fresh, within
from service.reads import questions as questions_read
from service.web.context import actor, services

#: Questions shown on the page at once; the oldest come first.
SHOWN = 200
STATUSES = {"open": "Chưa trả lời", "overdue": "Quá hạn", "answered": "Đã trả lời", "": "Tất cả"}


@bp.get("/cau-hoi")
def questions() -> str:
    """The queue: open questions first by default, overdue ones marked."""
    questions_read.require_queue_reader()
    status = request.args.get("tinh_trang", "open")
    status = status if status in STATUSES else "open"
    with fresh({"min_position": _position()}) as (tx, _):
        rows = questions_read.queue_page(tx, within(tx, None), status or None, 0, SHOWN)
    return render_template(
        "inspector/questions.html",
        questions=questions_read.staff_questions(rows),
        status=status,
        statuses=STATUSES,
        answer_days=services().config.question_answer_days,
    )


@bp.post("/cau-hoi/<uuid:question_id>/tra-loi")
def answer_question(question_id: UUID) -> Response:
    """Publishes the answer, then shows the queue again."""
    text = request.form.get("tra_loi", "")
    if not text.strip():
        raise InvalidInput("answer", "Hãy viết câu trả lời trước khi gửi.")
    try:
        result = services().ledger.answer_question(
            Request(actor(), request_id=g.get("request_id")), question_id, text
        )
    except AlreadyAnswered:
        return redirect(url_for("inspector.questions", tinh_trang="answered", da_co=1), 303)
    return redirect(url_for("inspector.questions", vi_tri=result.position, da_tra_loi=1), 303)


def _position() -> int:
    text = request.args.get("vi_tri", "0")
    return int(text) if text.isdigit() and len(text) < 19 else 0
