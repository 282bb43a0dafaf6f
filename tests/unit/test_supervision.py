"""Supervision: a board's review, its findings, the unit's responses and the conclusion."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

import pytest

from service.domain.actors import Meta
from service.domain.errors import (
    AlreadyResponded,
    FindingNotFound,
    InvalidInput,
    SupervisionConcluded,
)
from service.domain.supervision import MAX_LINKS, Finding, Subject, Supervision
from service.domain.text import required_text
from service.domain.vocabulary import Severity, SubjectKind, SupervisionStatus

BOARD = Meta(actor_id="board", actor="Ban Thanh tra Nhân dân", role="inspector", unit_id=None)
UNIT = Meta(actor_id="treasurer", actor="Thủ quỹ", role="treasurer", unit_id=None)


def review(subject: Subject | None = None) -> Supervision:
    unit = uuid4()
    return Supervision.open(
        subject or Subject(SubjectKind.FUND, fund_id=uuid4()),
        unit,
        [uuid4(), unit],
        unit,
        "Giám sát Quỹ Vì người nghèo năm 2024",
        BOARD,
    )


def finding(description: str = "Phiếu chi số 12 thiếu chữ ký người nhận.") -> Finding:
    return Finding(Severity.MINOR, description, "Bổ sung chữ ký.")


def test_a_review_of_a_fund_names_the_fund_and_is_open() -> None:
    fund = uuid4()
    opened = review(Subject(SubjectKind.FUND, fund_id=fund))
    assert opened.subject_kind == "fund"
    assert opened.subject_id == fund
    assert opened.status is SupervisionStatus.OPEN
    assert (opened.period_from, opened.period_to) == (None, None)


def test_a_review_of_a_period_keeps_the_period_and_no_subject_id() -> None:
    subject = Subject(
        SubjectKind.PERIOD,
        unit_id=uuid4(),
        period_from=date(2024, 1, 1),
        period_to=date(2024, 12, 31),
    )
    opened = review(subject)
    assert opened.subject_kind == "period"
    assert opened.subject_id is None
    assert (opened.period_from, opened.period_to) == (date(2024, 1, 1), date(2024, 12, 31))


@pytest.mark.parametrize(
    ("subject", "field"),
    [
        ({"kind": SubjectKind.FUND}, "subject.fund_id"),
        ({"kind": SubjectKind.PERIOD, "period_from": date(2024, 1, 1)}, "subject.unit_id"),
        ({"kind": SubjectKind.PERIOD, "unit_id": uuid4()}, "subject.from"),
        (
            {"kind": SubjectKind.FUND, "fund_id": uuid4(), "period_from": date(2024, 1, 1)},
            "subject.to",
        ),
        (
            {
                "kind": SubjectKind.PERIOD,
                "unit_id": uuid4(),
                "period_from": date(2024, 12, 31),
                "period_to": date(2024, 1, 1),
            },
            "subject.to",
        ),
    ],
)
def test_a_subject_that_does_not_say_what_is_reviewed_is_refused_naming_the_field(
    subject: dict[str, object], field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        Subject(**subject)  # type: ignore[arg-type]
    assert refused.value.field == field


def test_a_review_needs_a_title() -> None:
    with pytest.raises(InvalidInput) as refused:
        Supervision.open(
            Subject(SubjectKind.FUND, fund_id=uuid4()), uuid4(), [], uuid4(), " ", BOARD
        )
    assert refused.value.field == "title"


def test_a_finding_is_recorded_with_its_severity_and_links_once_each() -> None:
    opened = review()
    entry = uuid4()
    finding_id = opened.record_finding(
        Finding(
            Severity.MAJOR,
            "Chi  hỗ trợ\n\n\n  trùng hai lần ",
            None,
            opened.subject_id,
            (entry, entry),
            (7, 3, 7),
        ),
        BOARD,
    )
    event = opened.pending_events[-1]
    assert isinstance(event, Supervision.FindingRecorded)
    assert event.finding_id == finding_id
    assert event.severity == "major"
    assert event.description == "Chi hỗ trợ\n\ntrùng hai lần"
    assert event.recommendation is None
    assert event.entry_ids == [entry]
    assert event.positions == [7, 3]
    assert opened.responded == {finding_id: False}


@pytest.mark.parametrize(
    ("made", "field"),
    [
        (lambda: Finding(Severity.MINOR, "x", entry_ids=(uuid4(),) * (MAX_LINKS + 1)), "entry_ids"),
        (lambda: Finding(Severity.MINOR, "x", positions=(1,) * (MAX_LINKS + 1)), "positions"),
        (lambda: Finding(Severity.MINOR, "x", positions=(0,)), "positions"),
    ],
)
def test_a_finding_links_a_bounded_number_of_real_positions(made: object, field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        made()  # type: ignore[operator]
    assert refused.value.field == field


def test_a_finding_needs_a_description() -> None:
    with pytest.raises(InvalidInput) as refused:
        review().record_finding(finding(" \n\t "), BOARD)
    assert refused.value.field == "description"


def test_the_unit_responds_to_a_finding_once() -> None:
    opened = review()
    finding_id = opened.record_finding(finding(), BOARD)

    opened.record_response(finding_id, "Đã bổ sung chữ ký ngày 5/3.", UNIT)

    assert opened.responded == {finding_id: True}
    with pytest.raises(AlreadyResponded):
        opened.record_response(finding_id, "Lần nữa.", UNIT)


def test_a_response_to_an_unknown_finding_is_not_found() -> None:
    with pytest.raises(FindingNotFound):
        review().record_response(uuid4(), "Đã khắc phục.", UNIT)


def test_a_response_needs_words() -> None:
    opened = review()
    finding_id = opened.record_finding(finding(), BOARD)
    with pytest.raises(InvalidInput) as refused:
        opened.record_response(finding_id, "  ", UNIT)
    assert refused.value.field == "response"


def test_a_concluded_review_takes_no_findings_responses_or_second_conclusion() -> None:
    opened = review()
    finding_id = opened.record_finding(finding(), BOARD)
    opened.conclude("Quỹ được quản lý đúng quy định.", BOARD)

    assert opened.status is SupervisionStatus.CONCLUDED
    with pytest.raises(SupervisionConcluded):
        opened.record_finding(finding(), BOARD)
    with pytest.raises(SupervisionConcluded):
        opened.record_response(finding_id, "Muộn.", UNIT)
    with pytest.raises(SupervisionConcluded):
        opened.conclude("Kết luận khác.", BOARD)
    assert opened.conclusion == "Quỹ được quản lý đúng quy định."


def test_prose_keeps_paragraphs_in_nfc_and_refuses_what_is_too_long() -> None:
    typed = "  Ho\u0300a   Bi\u0300nh \r\n\n\n\nxã  Vĩnh Linh "
    assert required_text("note", typed, max_length=40) == "Hòa Bình\n\nxã Vĩnh Linh"
    with pytest.raises(InvalidInput):
        required_text("note", "x" * 21, max_length=20)


def test_finding_ids_are_distinct_uuids() -> None:
    opened = review()
    ids = {opened.record_finding(finding(), BOARD) for _ in range(3)}
    assert len(ids) == 3
    assert all(isinstance(i, UUID) for i in ids)
