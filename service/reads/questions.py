"""Questions from the people, as the API and the pages both take and show them: asking
(counted per address, screened for repeats), the public view of a question with its
answer, the board's queue, and the counts a disclosure shows."""

from __future__ import annotations

import time
from datetime import date, datetime
from typing import Any
from uuid import UUID

from flask import g, request

from service.adapters.db import Row, Transaction
from service.application import Request, Written
from service.domain.clock import VIETNAM
from service.domain.errors import Forbidden, InvalidInput, QuestionNotFound
from service.domain.questions import ASKER, Asking, screen
from service.domain.vocabulary import Role
from service.domain.words import word
from service.projections import questions as question_view
from service.web.context import actor, services

#: Who sees the queue: the unit's board (inspectors, the chair) and its treasurer.
QUEUE_READERS = {Role.ADMIN, Role.INSPECTOR, Role.TREASURER, Role.APPROVER}
NOT_FOUND = "Không có câu hỏi nào với mã theo dõi này. Hãy kiểm tra lại mã (dạng CH-XXXXXXXX)."


def today() -> date:
    """Today in Vietnam by the services' wall clock, which tests may turn."""
    return datetime.fromtimestamp(services().clock(), VIETNAM).date()


def overdue_from() -> str:
    return question_view.overdue_before(today(), services().config.question_answer_days)


def ask(asking: Asking) -> Written:
    """Records a person's question: refused with 429 when their address has asked too
    often this minute, and with 422 when the text breaks the spam screen or repeats a
    question already asked about the same thing. No Idempotency-Key is honoured: every
    asker shares one actor, and one person's key must never answer another's code."""
    svc = services()
    screened = screen(asking.text)
    svc.questions_asked.count(request.remote_addr or "unknown")
    # The questions already recorded, to the head of the log (bounded).
    svc.runner.catch_up(deadline=time.monotonic() + svc.config.read_wait_seconds, nowait=True)
    with svc.db.transaction() as tx:
        if question_view.repeated(
            tx,
            entry_id=str(asking.entry_id) if asking.entry_id else None,
            unit_id=str(asking.unit_id) if asking.unit_id else None,
            text=screened,
        ):
            raise InvalidInput(
                "text",
                "Câu hỏi này đã có người gửi về đúng khoản này; hãy xem câu trả lời ngay dưới "
                "khoản đó, hoặc hỏi điều khác.",
            )
    return svc.ledger.ask_question(Request(ASKER, request_id=g.get("request_id")), asking)


def public_question(row: Row, overdue_day: str) -> Row:
    """What anyone may read of a question: never the asker's contact."""
    answered = row["answer"] is not None
    return {
        "tracking_code": row["tracking_code"],
        "kind": row["kind"],
        "text": row["text"],
        "asked_on": row["asked_on"],
        "fund_id": row["fund_id"],
        "entry_id": row["entry_id"],
        "unit_id": row["unit_id"],
        "status": "answered" if answered else "open",
        "overdue": not answered and row["asked_on"] < overdue_day,
        "answer": row["answer"],
        "answered_at": row["answered_at"],
        "answered_role": row["answered_role"],
    }


def tracked(tx: Transaction, code: str) -> Row:
    """The question a tracking code follows, as anyone may read it."""
    row = question_view.by_code(tx, code.strip().upper()[:20])
    if row is None:
        raise QuestionNotFound(NOT_FOUND, tracking_code=code[:20])
    return public_question(row, overdue_from())


def answered_beside(tx: Transaction, fund_id: str) -> dict[str, list[Row]]:
    """The fund's questions by entry, as the statement shows them beside each line."""
    day = overdue_from()
    found: dict[str, list[Row]] = {}
    for row in question_view.of_fund(tx, fund_id):
        found.setdefault(row["entry_id"], []).append(public_question(row, day))
    return found


def staff_questions(rows: list[Row]) -> list[Row]:
    """Questions as the board reads them: the contact opened for those who may read
    personal data, otherwise only whether one was left. Called outside a transaction, as
    the keys are read in one of their own."""
    day = overdue_from()
    sealed = {
        UUID(row["id"]): {"contact": row["contact"]}
        for row in rows
        if row["contact"] is not None and actor().sees_personal_data
    }
    opened = services().keyring().open_many(sealed) if sealed else {}
    shown = []
    for row in rows:
        fields = opened.get(UUID(row["id"]))
        shown.append(
            {
                **public_question(row, day),
                "id": row["id"],
                "contact_left": row["contact"] is not None,
                "contact": fields["contact"] if fields else None,
                "answered_by": row["answered_by"],
                "asked_position": row["asked_position"],
            }
        )
    return shown


def require_queue_reader() -> None:
    who = actor()
    if who.role not in QUEUE_READERS:
        raise Forbidden(
            f"Mã truy cập có vai trò “{word(who.role)}” không được xem câu hỏi của người dân."
        )


def queue_page(
    tx: Transaction, within_unit: str | None, status: str | None, after: int, limit: int
) -> list[Row]:
    """A page of the queue as stored; ``staff_questions`` shows it, outside ``tx``."""
    return question_view.queue(
        tx,
        within_unit=within_unit,
        status=status,
        overdue_from=overdue_from(),
        after_position=after,
        limit=limit,
    )


def unit_counts(
    tx: Transaction, unit_id: str, first: date, last: date, whole: bool
) -> dict[str, Any]:
    """How many questions the unit's disclosure period drew, answered, and left overdue."""
    return question_view.counts(tx, unit_id, first, last, overdue_from(), whole)
