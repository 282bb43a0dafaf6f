"""The `supervisions` projection: a board's review of a fund or of a unit's period, its
findings linked to entries and log positions, the reviewed unit's responses, and the
conclusion."""

from __future__ import annotations

import json
from datetime import date
from uuid import UUID

from service.application import Request
from service.bootstrap import Services
from service.domain.actors import Actor
from service.domain.supervision import Finding, Subject
from service.domain.vocabulary import Level, Role, Severity, SubjectKind
from service.projections.supervision import SupervisionProjection
from tests.conftest import ADMIN
from tests.projections.conftest import Commune, one, register_commune, replay, rows


def inspector_of(unit: UUID) -> Request:
    return Request(
        Actor(id=f"inspector-{unit}", name="Ban kiểm tra", role=Role.INSPECTOR, unit_id=unit)
    )


def province_and_commune(services: Services) -> tuple[UUID, Commune]:
    ledger = services.ledger
    province = UUID(ledger.register_unit(ADMIN, "Tỉnh Mẫu", Level.PROVINCE, None, None).body["id"])
    return province, register_commune(ledger, parent=province)


def test_a_fund_review_with_findings_responses_and_a_conclusion(services: Services) -> None:
    province, commune = province_and_commune(services)
    entry = commune.receive(2_000_000)
    board = inspector_of(province)
    review = UUID(
        services.ledger.open_supervision(
            board, Subject(SubjectKind.FUND, fund_id=commune.fund), "Kiểm tra quỹ quý I"
        ).body["id"]
    )
    linked = Finding(
        Severity.MINOR,
        "Phiếu thu thiếu chữ ký",
        "Bổ sung chữ ký",
        entry_ids=(entry,),
        positions=(1,),
    )
    first = UUID(services.ledger.record_finding(board, review, linked).body["finding_id"])
    services.ledger.record_finding(board, review, Finding(Severity.OBSERVATION, "Sổ ghi rõ ràng"))
    services.ledger.record_response(commune.treasurer, review, first, "Đã bổ sung chữ ký")
    services.ledger.conclude_supervision(board, review, "Quỹ quản lý đúng quy định")

    position = replay(services, SupervisionProjection())

    row = one(services, "SELECT * FROM supervisions WHERE id = :id", id=str(review))
    assert (row["unit_id"], row["board_unit_id"], row["subject_kind"], row["subject_id"]) == (
        str(commune.unit),
        str(province),
        "fund",
        str(commune.fund),
    )
    assert (row["title"], row["status"], row["conclusion"]) == (
        "Kiểm tra quỹ quý I",
        "concluded",
        "Quỹ quản lý đúng quy định",
    )
    assert (row["findings_count"], row["responses_count"]) == (2, 1)
    assert (row["opened_by"], row["concluded_by"]) == ("Ban kiểm tra", "Ban kiểm tra")
    assert row["position"] == position
    assert row["opened_position"] < position
    findings = rows(
        services,
        "SELECT * FROM supervision_findings WHERE supervision_id = :s ORDER BY seq",
        s=str(review),
    )
    assert [(f["severity"], f["description"], f["response"]) for f in findings] == [
        ("minor", "Phiếu thu thiếu chữ ký", "Đã bổ sung chữ ký"),
        ("observation", "Sổ ghi rõ ràng", None),
    ]
    assert findings[0]["fund_id"] == str(commune.fund)  # a fund review's findings are about it
    assert json.loads(findings[0]["entry_ids"]) == [str(entry)]
    assert json.loads(findings[0]["positions"]) == [1]
    assert (findings[0]["recommendation"], findings[0]["responded_by"]) == (
        "Bổ sung chữ ký",
        "Thủ quỹ",
    )


def test_a_period_review_names_the_unit_and_its_dates(services: Services) -> None:
    province, commune = province_and_commune(services)
    subject = Subject(
        SubjectKind.PERIOD,
        unit_id=commune.unit,
        period_from=date(2025, 1, 1),
        period_to=date(2025, 6, 30),
    )
    review = services.ledger.open_supervision(inspector_of(province), subject, "Giám sát 6 tháng")

    replay(services, SupervisionProjection())

    row = one(services, "SELECT * FROM supervisions WHERE id = :id", id=review.body["id"])
    assert (row["subject_kind"], row["unit_id"], row["period_from"], row["period_to"]) == (
        "period",
        str(commune.unit),
        "2025-01-01",
        "2025-06-30",
    )
    assert (row["status"], row["findings_count"], row["concluded_at"]) == ("open", 0, None)
