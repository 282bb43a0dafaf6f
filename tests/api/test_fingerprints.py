"""An Idempotency-Key's fingerprint cannot be searched for the body that made it: the log
keeps it keyed (HMAC) under a key outside the database, a household's registration under
the household's own key, which erasure destroys; the audit trail shows it only to those
who may read personal data. Records kept before keyed fingerprints still compare."""

from __future__ import annotations

import hashlib
import json
from typing import Any
from uuid import UUID

from flask.testing import FlaskClient

from service.adapters.tokens import authenticate
from service.application import Request
from service.bootstrap import Services
from service.domain.actors import Meta
from service.domain.idempotency import RequestRecord
from tests.api.helpers import (
    API,
    MakeToken,
    commune_with_fund,
    created,
    disbursement,
    every_item,
    post,
    problem,
    receipt,
    receive,
)

HOUSEHOLD = {
    "head_name": "Nguyễn Văn Bình",
    "address": "Thôn Đông Hà, xã Vĩnh Linh",
    "cccd": "044085001234",
    "phone": "0912345678",
    "members_count": 4,
    "categories": [{"category": "poor", "since": "2024-01-01"}],
}


def _digest(path: str, body: dict[str, Any]) -> str:
    """The plain SHA-256 the service once kept: what a brute force of a body would match."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256("\n".join(["POST", API + path, canonical]).encode()).hexdigest()


def _stored_states(services: Services) -> str:
    """Every event as the store keeps it, as one text."""
    with services.db.transaction() as tx:
        table = "stored_events" if services.url.dialect == "sqlite" else "sovang_events"
        return "\n".join(
            bytes(row["state"]).decode() for row in tx.all(f"SELECT state FROM {table}")
        )


def _records(client: FlaskClient, token: str, position: int) -> list[dict[str, Any]]:
    events = every_item(client, "/audit/events", token, position)
    return [e for e in events if e["aggregate_type"] == "RequestRecord"]


def test_a_registration_keeps_its_fingerprint_under_the_household_key_and_erasure_unlinks_it(
    client: FlaskClient, make_token: MakeToken
) -> None:
    services: Services = client.application.extensions["sovang"]
    world = commune_with_fund(client, make_token)
    inspector = make_token("inspector", world.commune_id)
    reader = make_token("inspector", world.commune_id, personal_data=True)
    approver = make_token("approver", world.commune_id)
    body = {"unit_id": world.commune_id, **HOUSEHOLD}
    digest = _digest("/households", body)

    first = created(post(client, "/households", world.treasurer, body, key="ho-001"))
    again = created(post(client, "/households", world.treasurer, body, key="ho-001"))
    other = {**body, "members_count": 5}
    problem(post(client, "/households", world.treasurer, other, key="ho-001"), 422)

    assert again["id"] == first["id"]
    assert digest not in _stored_states(services)
    (hidden,) = _records(client, inspector, first["position"])
    assert hidden["data"]["fingerprint"] is None
    (shown,) = _records(client, reader, first["position"])
    assert shown["data"]["fingerprint"].startswith(f"h1:{first['id']}:")
    keyring = services.keyring()
    assert (
        keyring.household_fingerprint(UUID(first["id"]), digest)
        == (shown["data"]["fingerprint"].rpartition(":")[2])
    )

    why = {"reason": "Đơn yêu cầu xoá dữ liệu cá nhân"}
    created(post(client, f"/households/{first['id']}/erasure", approver, why))

    assert keyring.household_fingerprint(UUID(first["id"]), digest) is None
    retried = problem(post(client, "/households", world.treasurer, body, key="ho-001"), 422)
    assert "đã xóa" in retried["detail"]


def test_a_scholarship_naming_its_student_keeps_its_fingerprint_under_the_household_key(
    client: FlaskClient, make_token: MakeToken
) -> None:
    services: Services = client.application.extensions["sovang"]
    world = commune_with_fund(client, make_token)
    household = created(
        post(client, "/households", world.treasurer, {"unit_id": world.commune_id, **HOUSEHOLD})
    )
    receive(client, world.treasurer, world.fund_id, 5_000_000)
    student = {
        "name": "Nguyễn Thị Hồng Nhung",
        "school": "THCS Vĩnh Linh",
        "school_year": "2024-2025",
    }
    body = disbursement(category="scholarship", household_id=household["id"], student=student)
    path = f"/funds/{world.fund_id}/disbursements"

    paid = created(post(client, path, world.treasurer, body, key="chi-hb-001"))

    assert _digest(path, body) not in _stored_states(services)
    records = _records(client, world.admin, paid["position"])
    assert records[-1]["data"]["fingerprint"].startswith(f"h1:{household['id']}:")


def test_a_receipt_keeps_its_fingerprint_under_the_service_key(
    client: FlaskClient, make_token: MakeToken
) -> None:
    services: Services = client.application.extensions["sovang"]
    world = commune_with_fund(client, make_token)
    body = receipt(500_000, donor={"name": "Lê Thị Hoa", "kind": "individual"})
    path = f"/funds/{world.fund_id}/receipts"
    digest = _digest(path, body)

    first = created(post(client, path, world.treasurer, body, key="thu-001"))
    again = created(post(client, path, world.treasurer, body, key="thu-001"))

    assert again["entry_id"] == first["entry_id"]
    assert digest not in _stored_states(services)
    (record,) = _records(client, world.admin, first["position"])
    assert record["data"]["fingerprint"] == f"k1:{services.keyring().service_fingerprint(digest)}"


def test_a_request_record_kept_with_a_plain_digest_still_answers_its_retries(
    client: FlaskClient, make_token: MakeToken
) -> None:
    services: Services = client.application.extensions["sovang"]
    world = commune_with_fund(client, make_token)
    body = receipt(700_000)
    path = f"/funds/{world.fund_id}/receipts"
    digest = _digest(path, body)
    written = created(post(client, path, world.treasurer, body))
    actor = authenticate(services.db, world.treasurer)
    assert actor is not None
    old = Request(actor, idempotency_key="thu-cu", fingerprint=digest)
    assert old.record_id is not None
    answer = {"entry_id": written["entry_id"], "balance": written["balance"]}
    meta = Meta.of(actor, "thu-cu", None)
    services.ledger.save(RequestRecord.answered(old.record_id, digest, answer, meta))

    replayed = created(post(client, path, world.treasurer, body, key="thu-cu"))
    changed = {**body, "amount": 800_000}
    refused = problem(post(client, path, world.treasurer, changed, key="thu-cu"), 422)

    assert replayed["entry_id"] == written["entry_id"]
    assert replayed["balance"] == written["balance"] == 700_000
    assert refused["type"].endswith("idempotency-key-reused")
