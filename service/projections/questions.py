"""Questions from the people: each question with its answer, and what the pages count of
them (asked, answered, overdue)."""

from __future__ import annotations

from datetime import date, timedelta
from functools import singledispatchmethod
from typing import Any

from service.adapters.db import Row, Transaction
from service.domain.questions import Question, repeat_key
from service.projections import counting
from service.projections.base import Projection, text_id


class QuestionsProjection(Projection):
    name = "questions"
    tables = ("questions",)

    @singledispatchmethod
    def apply(self, event: Any, position: int, tx: Transaction) -> None:
        """Events of other aggregates change nothing here."""

    @apply.register
    def _asked(self, event: Question.Asked, position: int, tx: Transaction) -> None:
        tx.execute(
            "INSERT INTO questions (id, tracking_code, kind, unit_id, fund_id, entry_id, text, "
            "repeat_key, contact, asked_on, asked_at, asked_position, position) VALUES (:id, "
            ":code, :kind, :unit_id, :fund_id, :entry_id, :text, :repeat_key, :contact, "
            ":asked_on, :at, :position, :position)",
            {
                "id": str(event.originator_id),
                "code": event.tracking_code,
                "kind": event.kind,
                "unit_id": str(event.unit_id),
                "fund_id": text_id(event.fund_id),
                "entry_id": text_id(event.entry_id),
                "text": event.text,
                "repeat_key": repeat_key(event.text),
                "contact": event.contact,
                "asked_on": event.asked_on.isoformat(),
                "at": event.timestamp.isoformat(),
                "position": position,
            },
        )

    @apply.register
    def _answered(self, event: Question.Answered, position: int, tx: Transaction) -> None:
        tx.execute(
            "UPDATE questions SET answer = :answer, answered_at = :at, answered_by = :by, "
            "answered_role = :role, position = :position WHERE id = :id",
            {
                "answer": event.answer,
                "at": event.timestamp.isoformat(),
                "by": event.meta.actor,
                "role": event.meta.role,
                "position": position,
                "id": str(event.originator_id),
            },
        )


_COLUMNS = (
    "q.id, q.tracking_code, q.kind, q.unit_id, q.fund_id, q.entry_id, q.text, q.contact, "
    "q.asked_on, q.asked_at, q.answer, q.answered_at, q.answered_by, q.answered_role, "
    "q.asked_position, q.position"
)


def overdue_before(today: date, answer_days: int) -> str:
    """Questions asked before this day and not answered are overdue."""
    return (today - timedelta(days=answer_days)).isoformat()


def by_code(tx: Transaction, code: str) -> Row | None:
    return tx.one(
        f"SELECT {_COLUMNS} FROM questions q WHERE q.tracking_code = :code", {"code": code}
    )


def get(tx: Transaction, question_id: str) -> Row | None:
    return tx.one(f"SELECT {_COLUMNS} FROM questions q WHERE q.id = :id", {"id": question_id})


def queue(
    tx: Transaction,
    *,
    within_unit: str | None,
    status: str | None,
    overdue_from: str,
    after_position: int,
    limit: int,
) -> list[Row]:
    """A page of questions, oldest first; ``status`` is ``open``, ``answered`` or
    ``overdue`` (open and asked before ``overdue_from``)."""
    where = ["q.asked_position > :after"]
    if within_unit:
        where.append(counting.within_unit("q.unit_id"))
    if status == "answered":
        where.append("q.answer IS NOT NULL")
    elif status == "open":
        where.append("q.answer IS NULL")
    elif status == "overdue":
        where.append("q.answer IS NULL AND q.asked_on < :overdue_from")
    return tx.all(
        f"SELECT {_COLUMNS} FROM questions q WHERE {' AND '.join(where)} "
        "ORDER BY q.asked_position LIMIT :limit",
        {
            "after": after_position,
            "within": within_unit,
            "overdue_from": overdue_from,
            "limit": limit,
        },
    )


def of_fund(tx: Transaction, fund_id: str) -> list[Row]:
    """Every question on an entry of the fund, oldest first."""
    return tx.all(
        f"SELECT {_COLUMNS} FROM questions q WHERE q.fund_id = :fund ORDER BY q.asked_position",
        {"fund": fund_id},
    )


def of_entry(tx: Transaction, entry_id: str) -> list[Row]:
    return tx.all(
        f"SELECT {_COLUMNS} FROM questions q WHERE q.entry_id = :entry ORDER BY q.asked_position",
        {"entry": entry_id},
    )


def of_unit(tx: Transaction, unit_id: str) -> list[Row]:
    """The questions about the unit's disclosure itself (not about one of its entries)."""
    return tx.all(
        f"SELECT {_COLUMNS} FROM questions q WHERE q.unit_id = :unit AND q.entry_id IS NULL "
        "ORDER BY q.asked_position",
        {"unit": unit_id},
    )


def repeated(tx: Transaction, *, entry_id: str | None, unit_id: str | None, text: str) -> bool:
    """Whether the same question (by its words) was already asked about the same thing."""
    subject = "q.entry_id = :entry" if entry_id else "q.unit_id = :unit AND q.entry_id IS NULL"
    found = tx.scalar(
        f"SELECT count(*) FROM questions q WHERE {subject} AND q.repeat_key = :key",
        {"entry": entry_id, "unit": unit_id, "key": repeat_key(text)},
    )
    return bool(found)


def counts(
    tx: Transaction, unit_id: str, first: date, last: date, overdue_from: str, whole: bool
) -> dict[str, int]:
    """Questions asked in the period about the unit (and the units below it when
    ``whole``): how many, how many answered, how many overdue now."""
    scope = counting.within_unit("q.unit_id") if whole else "q.unit_id = :within"
    row = tx.one(
        "SELECT count(*) AS asked, "
        "coalesce(sum(CASE WHEN q.answer IS NOT NULL THEN 1 ELSE 0 END), 0) AS answered, "
        "coalesce(sum(CASE WHEN q.answer IS NULL AND q.asked_on < :overdue_from "
        "THEN 1 ELSE 0 END), 0) AS overdue "
        f"FROM questions q WHERE {scope} AND q.asked_on >= :first AND q.asked_on <= :last",
        {
            "within": unit_id,
            "first": first.isoformat(),
            "last": last.isoformat(),
            "overdue_from": overdue_from,
        },
    )
    assert row is not None
    return {key: int(row[key]) for key in ("asked", "answered", "overdue")}
