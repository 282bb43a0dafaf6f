"""Questions from the people (câu hỏi, phản ánh): anyone may ask about a published entry
or a unit's disclosure, or flag an entry as wrong, without an account. The unit's board
or treasurer answers once, and the answer is published beside the entry.

What a person writes is screened before it is recorded (``screen``): a question is
prose of a bounded length, carries no links, and does not repeat one character or one
word over and over. The asker may leave a contact, which is sealed before it reaches
the event (the application seals it); the event carries only the sealed text.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date
from typing import Any, cast
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate, AggregateCreated, AggregateEvent

from service.domain.actors import Actor, Meta
from service.domain.errors import AlreadyAnswered, InvalidInput
from service.domain.text import required_text
from service.domain.vocabulary import QuestionKind, Role

#: The shortest question worth an answer, in characters.
MIN_QUESTION = 10
#: The longest question, and the longest answer.
MAX_QUESTION = 1000
MAX_ANSWER = 4000
#: The longest contact an asker may leave (a phone number or an e-mail address).
MAX_CONTACT = 120
#: A run of one character this long is noise, not a word ("!!!!!!!!", "aaaaaaaa").
MAX_RUN = 8
#: Among this many words or more, one word may make up at most half.
WORDS_FOR_REPEAT = 6
#: The letters of a tracking code: no 0/O, 1/I/L, which are misread when copied by hand.
CODE_LETTERS = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
CODE_PREFIX = "CH-"

#: Who asks on the public pages: a person without an account.
ASKER = Actor(id="cong-khai", name="Người dân (không tài khoản)", role=Role.VIEWER)

_LINK = re.compile(
    r"(https?://|www\.|\b[\w-]+\.(com|net|org|info|xyz|top|io|me|vn|ru|cn|link|click|site)\b)",
    re.IGNORECASE,
)
_RUN = re.compile(rf"(.)\1{{{MAX_RUN - 1},}}", re.DOTALL)


def screen(text: str) -> str:
    """The question as it will be recorded, or a refusal saying which rule it breaks:
    between ``MIN_QUESTION`` and ``MAX_QUESTION`` characters, no links (addresses of web
    sites), no character repeated ``MAX_RUN`` times in a row, and no word making up more
    than half of a question of ``WORDS_FOR_REPEAT`` words or more."""
    prose = required_text("text", text, max_length=MAX_QUESTION)
    if len(prose) < MIN_QUESTION:
        raise InvalidInput(
            "text", f"Câu hỏi quá ngắn; hãy viết ít nhất {MIN_QUESTION} ký tự nói rõ điều bạn hỏi."
        )
    if _LINK.search(prose):
        raise InvalidInput(
            "text",
            "Câu hỏi không được chứa đường link hay địa chỉ trang web; hãy bỏ đường link "
            "và mô tả điều bạn thấy bằng lời.",
        )
    if _RUN.search(prose):
        raise InvalidInput(
            "text",
            f"Câu hỏi có một ký tự lặp lại từ {MAX_RUN} lần liền trở lên; hãy viết lại cho rõ.",
        )
    words = re.findall(r"\w+", prose.casefold())
    if len(words) >= WORDS_FOR_REPEAT and max(map(words.count, set(words))) * 2 > len(words):
        raise InvalidInput(
            "text", "Câu hỏi lặp đi lặp lại một từ; hãy viết lại thành câu nói rõ điều bạn hỏi."
        )
    return prose


def contact_text(contact: str | None) -> str | None:
    """A contact as it will be sealed, or None when none was left."""
    if contact is None or not contact.strip():
        return None
    return required_text("contact", contact, max_length=MAX_CONTACT)


def repeat_key(text: str) -> str:
    """What two questions share when one repeats the other: their words, case and
    punctuation aside."""
    return " ".join(re.findall(r"\w+", text.casefold()))


def new_tracking_code() -> str:
    """A code the asker keeps to follow the question (``CH-7K3M9Q2X``)."""
    return CODE_PREFIX + "".join(secrets.choice(CODE_LETTERS) for _ in range(CODE_LENGTH))


@dataclass(frozen=True)
class Asking:
    """What a question is about: an entry of a fund, or a unit's disclosure."""

    kind: QuestionKind
    text: str
    fund_id: UUID | None = None
    entry_id: UUID | None = None
    unit_id: UUID | None = None
    contact: str | None = None

    def __post_init__(self) -> None:
        if self.entry_id is not None and self.fund_id is None:
            raise InvalidInput("fund_id", "Hãy cho biết khoản này thuộc quỹ nào.")
        if self.entry_id is None and self.unit_id is None:
            raise InvalidInput("entry_id", "Hãy chọn khoản thu, chi hoặc đơn vị mà bạn muốn hỏi.")


class Question(Aggregate):
    """A person's question about, or flag on, one published entry or a unit's disclosure."""

    class Asked(AggregateCreated):
        kind: str
        unit_id: UUID
        unit_path: list[UUID]
        fund_id: UUID | None
        entry_id: UUID | None
        text: str
        tracking_code: str
        #: The asker's contact, sealed under this question's own key; None when none given.
        contact: str | None
        asked_on: date
        meta: Meta

    def __init__(
        self,
        kind: str,
        unit_id: UUID,
        unit_path: list[UUID],
        fund_id: UUID | None,
        entry_id: UUID | None,
        text: str,
        tracking_code: str,
        contact: str | None,
        asked_on: date,
        meta: Meta,
    ) -> None:
        self.kind = kind
        self.unit_id = unit_id
        self.unit_path = unit_path
        self.fund_id = fund_id
        self.entry_id = entry_id
        self.tracking_code = tracking_code
        self.asked_on = asked_on
        self.answer: str | None = None

    @classmethod
    def ask(
        cls,
        question_id: UUID,
        asking: Asking,
        unit_id: UUID,
        unit_path: list[UUID],
        sealed_contact: str | None,
        today: date,
        meta: Meta,
    ) -> Question:
        """Records the question, screened, with a new tracking code."""
        return cls._create(
            cls.Asked,
            id=question_id,
            kind=asking.kind.value,
            unit_id=unit_id,
            unit_path=unit_path,
            fund_id=asking.fund_id,
            entry_id=asking.entry_id,
            text=screen(asking.text),
            tracking_code=new_tracking_code(),
            contact=sealed_contact,
            asked_on=today,
            meta=meta,
        )

    @staticmethod
    def new_id() -> UUID:
        return uuid4()

    class Answered(AggregateEvent):
        answer: str
        meta: Meta

        def apply(self, aggregate: Any) -> None:
            cast(Question, aggregate).answer = self.answer

    def record_answer(self, answer: str, meta: Meta) -> None:
        """Publishes the unit's answer; a question is answered once."""
        if self.answer is not None:
            raise AlreadyAnswered(
                "Câu hỏi này đã được trả lời; mỗi câu hỏi chỉ trả lời một lần. "
                "Nếu cần nói thêm, hãy nhờ người hỏi gửi câu hỏi mới.",
                question_id=str(self.id),
            )
        self.trigger_event(
            self.Answered, answer=required_text("answer", answer, max_length=MAX_ANSWER), meta=meta
        )
