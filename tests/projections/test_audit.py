"""The `audit` projection: every event of the log a row, with who did it, for which unit,
the request that carried it and its fields; an aggregate's unit remembered from its
creation."""

from __future__ import annotations

import json
from uuid import UUID

from service.application import Request
from service.application.checkpoints import sign_checkpoint
from service.bootstrap import Services
from service.projections.audit import AuditProjection
from tests.conftest import treasurer_of
from tests.projections.conftest import DAY, Commune, gift, one, replay, rows


def test_every_event_is_a_row_in_log_order_with_its_actor_and_unit(
    services: Services, commune: Commune
) -> None:
    keyed = Request(treasurer_of(commune.unit).actor, idempotency_key="thu-001", request_id="req-9")
    receipt = commune.ledger.record_receipt(keyed, commune.fund, gift(2_000_000, note="Ủng hộ"))
    commune.reverse(UUID(receipt.body["entry_id"]))

    head = replay(services, AuditProjection())

    trail = rows(services, "SELECT * FROM audit_events ORDER BY position")
    assert [t["position"] for t in trail] == list(range(1, head + 1))
    assert [(t["aggregate_type"], t["event_type"]) for t in trail] == [
        ("Unit", "Registered"),
        ("Fund", "Opened"),
        ("Fund", "ReceiptRecorded"),
        ("RequestRecord", "Answered"),  # the answer kept for the request's key
        ("Fund", "EntryReversed"),
    ]
    ours = [t for t in trail if t["aggregate_type"] != "RequestRecord"]
    assert [t["originator_id"] for t in ours] == [str(commune.unit), *[str(commune.fund)] * 3]
    assert [t["originator_version"] for t in ours] == [1, 1, 2, 3]
    assert {t["unit_id"] for t in trail} == {str(commune.unit)}
    assert [(t["actor"], t["role"]) for t in trail] == [
        ("Quản trị", "admin"),
        *[("Thủ quỹ", "treasurer")] * 4,
    ]
    received = trail[2]
    assert (received["actor_id"], received["actor_unit_id"]) == (
        f"treasurer-{commune.unit}",
        str(commune.unit),
    )
    assert (received["idempotency_key"], received["request_id"]) == ("thu-001", "req-9")
    assert received["occurred_on"] == DAY.isoformat()
    data = json.loads(received["data"])
    assert (data["amount"], data["note"], data["donor_name"]) == (
        2_000_000,
        "Ủng hộ",
        "Nguyễn Văn An",
    )
    assert trail[3]["idempotency_key"] == "thu-001"
    assert trail[4]["idempotency_key"] is None
    remembered = rows(services, "SELECT aggregate_id, unit_id FROM audit_aggregate_units")
    assert {(r["aggregate_id"], r["unit_id"]) for r in remembered} == {
        (str(commune.unit), str(commune.unit)),
        (str(commune.fund), str(commune.unit)),
    }


def test_an_event_of_no_unit_and_no_actor_is_a_row_without_them(
    services: Services, commune: Commune
) -> None:
    checkpoint = sign_checkpoint(services)

    replay(services, AuditProjection())

    row = one(services, "SELECT * FROM audit_events WHERE event_type = 'Signed'")
    assert (row["aggregate_type"], row["unit_id"], row["actor"], row["role"]) == (
        "Checkpoint",
        None,
        None,
        None,
    )
    assert json.loads(row["data"])["tree_size"] == checkpoint.tree_size
