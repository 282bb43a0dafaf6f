"""The real thing: `sovang serve` under gunicorn with two workers, driven over HTTP.

Every test here runs on SQLite and on PostgreSQL. Tokens come from the CLI, as an
operator makes them; requests go through the standard library only.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import re
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from service.projections import all_projections
from tests.e2e.cli import (
    SOVANG,
    free_port,
    sovang_env,
    sovang_here,
    stop,
    wait_until_healthy,
)

SMOKE = Path(__file__).resolve().parents[3] / "shared" / "contract_smoke.py"

pytestmark = pytest.mark.e2e


@dataclass
class Answer:
    status: int
    body: Any
    content_type: str


@dataclass
class Server:
    root: str
    database_url: str
    log: Path

    def call(
        self,
        method: str,
        path: str,
        token: str | None = None,
        body: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        sent = {"Accept": "application/json", **(headers or {})}
        if token is not None:
            sent["Authorization"] = f"Bearer {token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            sent["Content-Type"] = "application/json"
        request = urllib.request.Request(self.root + path, data=data, method=method, headers=sent)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                raw, status = response.read(), response.status
                content_type = response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as error:
            raw, status = error.read(), error.code
            content_type = error.headers.get("Content-Type", "")
        return Answer(status, json.loads(raw) if raw else None, content_type)

    def api(
        self,
        method: str,
        path: str,
        token: str,
        body: dict[str, Any] | None = None,
        expect: int = 200,
        headers: dict[str, str] | None = None,
    ) -> Any:
        answer = self.call(method, "/api/v1" + path, token, body, headers)
        assert answer.status == expect, (method, path, answer.status, answer.body)
        return answer.body

    def with_meeting(
        self, token: str, unit_id: str, approval: dict[str, Any], purpose: str = "house"
    ) -> dict[str, Any]:
        """The body of an approval of a house or a grant naming the bình xét meeting of
        ``unit_id`` that selected its household on the day of the approval."""
        meeting = {
            "held_on": approval["approved_on"],
            "purpose": purpose,
            "attendees": 20,
            "chaired_by": "Trưởng ban công tác Mặt trận",
            "nominees": [{"household_id": approval["household_id"], "votes_for": 20}],
            "minutes_name": "bien-ban-binh-xet.pdf",
            "minutes_sha256": hashlib.sha256(b"Bien ban hop binh xet").hexdigest(),
        }
        held = self.api("POST", f"/units/{unit_id}/selection-meetings", token, meeting, 201)
        return {**approval, "meeting_id": held["id"]}

    def token(self, role: str, unit_id: str | None = None, name: str | None = None) -> str:
        args = ["token", "create", "--role", role, "--name", name or f"e2e {role}"]
        if unit_id is not None:
            args += ["--unit", unit_id]
        token = sovang_here(self.database_url, *args).stdout.strip().splitlines()[-1].strip()
        assert token.startswith("sv_")
        return token


@contextlib.contextmanager
def serving(database_url: str, tmp_path: Path, env: dict[str, str]) -> Iterator[Server]:
    """A real `sovang serve` (2 workers) on a free port with this environment."""
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [SOVANG, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        root = f"http://127.0.0.1:{port}"
        wait_until_healthy(root, process, log)
        yield Server(root, database_url, log)
    finally:
        stop(process)


@pytest.fixture
def server(
    database_url: str, tmp_path: Path, personal_data_key_path: Path, session_key_path: Path
) -> Iterator[Server]:
    env = sovang_env(
        database_url, personal_data_key=personal_data_key_path, session_key=session_key_path
    )
    with serving(database_url, tmp_path, env) as served:
        yield served


def province_and_commune(server: Server, admin: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Registers a province and a commune below it, as an administrator."""
    province = server.api(
        "POST", "/units", admin, {"name": "Tỉnh Mẫu", "level": "province"}, expect=201
    )
    commune = server.api(
        "POST",
        "/units",
        admin,
        {
            "name": "Ủy ban MTTQ xã Cẩm Bình",
            "level": "commune",
            "parent_id": province["id"],
            "code": "CB-01",
        },
        expect=201,
    )
    return province, commune


def receipt(amount: int, on: str, channel: str = "cash", **extra: Any) -> dict[str, Any]:
    return {
        "amount": amount,
        "occurred_on": on,
        "channel": channel,
        "donor": {"name": "Nguyễn Văn An", "kind": "individual"},
        **extra,
    }


def disbursement(amount: int, on: str, category: str, **extra: Any) -> dict[str, Any]:
    return {"amount": amount, "occurred_on": on, "category": category, **extra}


def test_a_commune_records_half_a_year_of_money_and_reads_every_figure_back(
    server: Server,
) -> None:
    admin = server.token("admin")
    province, commune = province_and_commune(server, admin)
    treasurer = server.token("treasurer", commune["id"], "Thủ quỹ xã Cẩm Bình")
    inspector = server.token("inspector", province["id"], "Ban Thanh tra tỉnh")

    poor = server.api(
        "POST",
        "/funds",
        treasurer,
        {
            "unit_id": commune["id"],
            "name": "Quỹ Vì người nghèo xã Cẩm Bình",
            "kind": "for_the_poor",
        },
        expect=201,
    )
    relief = server.api(
        "POST",
        "/funds",
        admin,
        {"unit_id": province["id"], "name": "Quỹ cứu trợ tỉnh", "kind": "relief"},
        expect=201,
    )
    assert poor["balance"] == 0
    assert relief["kind"] == "relief"
    fund = f"/funds/{poor['id']}"

    key = {"Idempotency-Key": f"phieu-thu-{uuid.uuid4()}"}
    first = server.api(
        "POST",
        f"{fund}/receipts",
        treasurer,
        receipt(5_000_000, "2025-01-10"),
        expect=201,
        headers=key,
    )
    retried = server.api(
        "POST",
        f"{fund}/receipts",
        treasurer,
        receipt(5_000_000, "2025-01-10"),
        expect=201,
        headers=key,
    )
    assert retried["entry_id"] == first["entry_id"]
    assert retried["balance"] == 5_000_000
    server.api(
        "POST",
        f"{fund}/receipts",
        treasurer,
        {
            **receipt(20_000_000, "2025-02-01", "bank", bank_ref="FT25032123"),
            "donor": {"name": "Công ty TNHH Mẫu", "kind": "organisation"},
        },
        expect=201,
    )
    mistake = server.api(
        "POST", f"{fund}/receipts", treasurer, receipt(300_000, "2025-03-01"), expect=201
    )
    goods = server.api(
        "POST",
        f"{fund}/receipts",
        treasurer,
        receipt(
            2_000_000,
            "2025-03-05",
            "in_kind",
            in_kind={"description": "Gạo tẻ", "quantity": 100, "unit": "kg"},
        ),
        expect=201,
    )
    assert goods["balance"] == 25_300_000, "goods count in no balance"

    households = [
        server.api(
            "POST",
            "/households",
            treasurer,
            {
                "unit_id": commune["id"],
                "head_name": name,
                "address": "Thôn Đông",
                "members_count": 3,
            },
            expect=201,
        )["id"]
        for name in ("Võ Văn Ba", "Võ Thị Tư", "Võ Văn Năm")
    ]
    grant = server.api(
        "POST",
        "/grants",
        treasurer,
        server.with_meeting(
            treasurer,
            commune["id"],
            {
                "household_id": households[1],
                "item": "Máy khâu",
                "value": 1_500_000,
                "approved_on": "2025-03-10",
            },
            "grant",
        ),
        expect=201,
    )["id"]
    house = server.api(
        "POST",
        "/houses",
        treasurer,
        server.with_meeting(
            treasurer,
            commune["id"],
            {
                "household_id": households[0],
                "kind": "repair",
                "budget": {"fund": 8_000_000, "household": 2_000_000, "labour": 1_500_000},
                "approved_on": "2025-03-10",
            },
        ),
        expect=201,
    )["id"]
    for stage, on, extra in (
        ("started", "2025-03-15", {"evidence": ["IMG-001"]}),
        ("completed", "2025-03-28", {}),
        ("accepted", "2025-03-30", {"board_members": ["Ban Giám sát đầu tư xã"]}),
    ):
        server.api(
            "POST",
            f"/houses/{house}/stages",
            treasurer,
            {"stage": stage, "on": on, **extra},
            expect=201,
        )
    server.api(
        "POST",
        f"{fund}/disbursements",
        treasurer,
        disbursement(
            8_000_000,
            "2025-04-01",
            "house_repair",
            house_project_id=house,
            household_id=households[0],
            voucher_no="PC-001",
        ),
        expect=201,
    )
    server.api(
        "POST",
        f"/houses/{house}/stages",
        treasurer,
        {"stage": "handed_over", "on": "2025-04-02"},
        expect=201,
    )
    server.api(
        "POST",
        f"{fund}/disbursements",
        treasurer,
        disbursement(
            1_500_000, "2025-05-01", "livelihood", grant_id=grant, household_id=households[1]
        ),
        expect=201,
    )
    server.api(
        "POST",
        f"{fund}/disbursements",
        treasurer,
        disbursement(500_000, "2025-05-02", "scholarship", household_id=households[2]),
        expect=201,
    )
    overdraft = server.call(
        "POST",
        f"/api/v1{fund}/disbursements",
        treasurer,
        disbursement(100_000_000, "2025-05-03", "emergency"),
    )
    assert overdraft.status == 409
    assert "problem+json" in overdraft.content_type
    assert overdraft.body["type"].endswith("insufficient-funds")

    sent = server.api(
        "POST",
        f"{fund}/transfers",
        treasurer,
        {
            "to_fund_id": relief["id"],
            "amount": 3_000_000,
            "occurred_on": "2025-05-15",
            "note": "Điều tiết quỹ về tỉnh",
        },
        expect=201,
    )
    assert sent["balance"] == 12_300_000
    assert sent["to_fund_id"] == relief["id"]

    reversal = server.api(
        "POST",
        f"{fund}/entries/{mistake['entry_id']}/reversal",
        treasurer,
        {"reason": "Ghi trùng biên lai"},
        expect=201,
    )
    assert reversal["balance"] == 12_000_000
    again = server.call(
        "POST",
        f"/api/v1{fund}/entries/{mistake['entry_id']}/reversal",
        treasurer,
        {"reason": "Ghi trùng biên lai"},
    )
    assert again.status == 409

    closed = server.api(
        "POST", f"{fund}/period-closes", treasurer, {"through": "2025-06-30"}, expect=201
    )
    assert closed["closed_through"] == "2025-06-30"
    late = server.call("POST", f"/api/v1{fund}/receipts", treasurer, receipt(1_000, "2025-06-15"))
    assert late.status == 409
    assert late.body["type"].endswith("period-closed")
    last = server.api(
        "POST", f"{fund}/receipts", treasurer, receipt(1_000_000, "2025-07-01"), expect=201
    )
    assert last["balance"] == 13_000_000
    position = last["position"]

    read = server.api("GET", f"{fund}?min_position={position}", treasurer)
    assert {
        key: read[key]
        for key in (
            "balance",
            "total_received",
            "total_in_kind",
            "total_disbursed",
            "total_transferred_in",
            "total_transferred_out",
            "entries_count",
            "closed_through",
        )
    } == {
        "balance": 13_000_000,
        "total_received": 26_000_000,
        "total_in_kind": 2_000_000,
        "total_disbursed": 10_000_000,
        "total_transferred_in": 0,
        "total_transferred_out": 3_000_000,
        "entries_count": 10,
        "closed_through": "2025-06-30",
    }
    assert read["position"] == position
    assert (
        server.api("GET", f"/funds/{relief['id']}?min_position={position}", admin)["balance"]
        == 3_000_000
    )

    items: list[dict[str, Any]] = []
    cursor = ""
    for _ in range(10):
        page = server.api(
            "GET", f"{fund}/entries?limit=4&min_position={position}{cursor}", treasurer
        )
        items += page["items"]
        if page["next_cursor"] is None:
            break
        cursor = f"&cursor={page['next_cursor']}"
    assert [item["kind"] for item in items] == [
        "receipt",
        "receipt",
        "receipt",
        "receipt",
        "disbursement",
        "disbursement",
        "disbursement",
        "transfer_out",
        "reversal",
        "receipt",
    ]
    assert items[0]["entry_id"] == first["entry_id"]
    running = 0
    for item in items:
        running += item["effect"]
        assert item["running_balance"] == running >= 0
    assert running == 13_000_000
    reversed_entry = next(item for item in items if item["entry_id"] == mistake["entry_id"])
    assert reversed_entry["reversed"]
    assert reversed_entry["reversed_by_entry_id"] == (reversal["entry_id"])
    assert items[3]["in_kind"] == {"description": "Gạo tẻ", "quantity": 100, "unit": "kg"}
    assert {item["actor"] for item in items} == {"Thủ quỹ xã Cẩm Bình"}

    # Through today: the reversal is dated the day it was made, and counts there.
    today = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date().isoformat()
    report = server.api(
        "GET",
        f"/units/{commune['id']}/report?from=2025-01-01&to={today}&min_position={position}",
        treasurer,
    )
    assert report["opening_balance"] == 0
    assert report["receipts"]["total"] == 26_000_000
    assert report["receipts"]["by_channel"]["cash"] == 6_000_000
    assert report["receipts"]["by_channel"]["bank"] == 20_000_000
    assert report["receipts"]["in_kind_value"] == 2_000_000
    assert report["disbursements"]["total"] == 10_000_000
    assert {k: v for k, v in report["disbursements"]["by_category"].items() if v} == {
        "house_repair": 8_000_000,
        "livelihood": 1_500_000,
        "scholarship": 500_000,
    }
    assert report["transfers"] == {"in": 0, "out": 3_000_000}
    assert report["closing_balance"] == 13_000_000 == read["balance"]
    assert report["counts"] == {
        "houses_new_build": 0,
        "houses_repair": 1,
        "livelihood_grants": 1,
        "households_supported": 3,
        "students": 1,
    }

    whole = server.api(
        "GET",
        f"/units/{province['id']}/report?from=2025-01-01&to={today}"
        f"&include_children=true&min_position={position}",
        inspector,
    )
    assert whole["transfers"] == {"in": 0, "out": 0}, "transfers inside the subtree cancel"
    assert whole["closing_balance"] == 16_000_000
    alone = server.api(
        "GET",
        f"/units/{province['id']}/report?from=2025-01-01&to={today}&min_position={position}",
        inspector,
    )
    assert alone["transfers"] == {"in": 3_000_000, "out": 0}
    assert alone["closing_balance"] == 3_000_000

    trail = server.api(
        "GET", f"/audit/events?aggregate_id={poor['id']}&min_position={position}", inspector
    )["items"]
    assert [event["event_type"] for event in trail] == [
        "Opened",
        "ReceiptRecorded",
        "ReceiptRecorded",
        "ReceiptRecorded",
        "ReceiptRecorded",
        "DisbursementRecorded",
        "DisbursementRecorded",
        "DisbursementRecorded",
        "TransferSent",
        "EntryReversed",
        "PeriodClosed",
        "ReceiptRecorded",
    ]
    assert [event["version"] for event in trail] == list(range(1, 13))
    assert all(a["position"] < b["position"] for a, b in itertools.pairwise(trail))
    assert {(event["actor"], event["role"], event["actor_unit_id"]) for event in trail} == {
        ("Thủ quỹ xã Cẩm Bình", "treasurer", commune["id"])
    }
    assert trail[1]["idempotency_key"] == key["Idempotency-Key"]
    assert trail[-1]["position"] == position
    assert (
        server.call("GET", f"/api/v1/audit/events?min_position={position}", treasurer).status == 403
    )


def test_reads_through_either_worker_see_the_writes_just_made(server: Server) -> None:
    admin = server.token("admin")
    unit = server.api(
        "POST", "/units", admin, {"name": "Phường Mẫu", "level": "commune"}, expect=201
    )
    treasurer = server.token("treasurer", unit["id"])
    fund = server.api(
        "POST",
        "/funds",
        treasurer,
        {"unit_id": unit["id"], "name": "Quỹ Vì người nghèo phường Mẫu", "kind": "for_the_poor"},
        expect=201,
    )
    for n in range(1, 21):
        written = server.api(
            "POST",
            f"/funds/{fund['id']}/receipts",
            treasurer,
            receipt(10_000 * n, "2025-09-01"),
            expect=201,
        )
        read = server.api(
            "GET", f"/funds/{fund['id']}?min_position={written['position']}", treasurer
        )
        assert read["balance"] == written["balance"] == 5_000 * n * (n + 1)
        assert read["entries_count"] == n
    ready = server.call("GET", "/readyz")
    assert ready.status == 200
    assert set(ready.body["positions"]) == {p.name for p in all_projections()}
    # Both workers' figures are gathered in one scrape, and each request is a JSON line.
    with urllib.request.urlopen(server.root + "/metrics", timeout=30) as response:
        metrics = response.read().decode()
    counted = re.search(
        r'^sovang_http_requests_total\{method="POST",'
        r'route="/api/v1/funds/<uuid:fund_id>/receipts",status="201"\} (\S+)$',
        metrics,
        re.M,
    )
    assert counted is not None, metrics
    assert float(counted.group(1)) == 20
    lines = [
        json.loads(line) for line in server.log.read_text().splitlines() if line.startswith("{")
    ]
    receipts = [
        line
        for line in lines
        if line.get("route") == "/api/v1/funds/<uuid:fund_id>/receipts" and line["status"] == 201
    ]
    assert len(receipts) == 20
    assert all(line["request_id"] and line["latency_ms"] > 0 for line in receipts)


def test_a_token_reaches_only_its_own_unit_and_a_missing_token_is_refused(
    server: Server,
) -> None:
    admin = server.token("admin")
    ours = server.api("POST", "/units", admin, {"name": "Xã Một", "level": "commune"}, expect=201)
    theirs = server.api("POST", "/units", admin, {"name": "Xã Hai", "level": "commune"}, expect=201)
    fund = server.api(
        "POST",
        "/funds",
        admin,
        {"unit_id": theirs["id"], "name": "Quỹ xã Hai", "kind": "for_the_poor"},
        expect=201,
    )
    stranger = server.token("treasurer", ours["id"])
    refused = server.call(
        "POST", f"/api/v1/funds/{fund['id']}/receipts", stranger, receipt(1_000_000, "2025-09-01")
    )
    assert refused.status == 403
    assert "problem+json" in refused.content_type
    anonymous = server.call(
        "POST", f"/api/v1/funds/{fund['id']}/receipts", None, receipt(1_000_000, "2025-09-01")
    )
    assert anonymous.status == 401
    owner = server.token("treasurer", theirs["id"])
    assert (
        server.api("GET", f"/funds/{fund['id']}?min_position={fund['position']}", owner)["balance"]
        == 0
    )


def test_a_board_reviews_a_fund_and_the_commune_answers_through_the_served_api(
    server: Server,
) -> None:
    admin = server.token("admin")
    commune = server.api("POST", "/units", admin, {"name": "Xã Ba", "level": "commune"}, expect=201)
    treasurer = server.token("treasurer", commune["id"])
    fund = server.api(
        "POST",
        "/funds",
        treasurer,
        {"unit_id": commune["id"], "name": "Quỹ xã Ba", "kind": "for_the_poor"},
        expect=201,
    )
    gift = server.api(
        "POST", f"/funds/{fund['id']}/receipts", treasurer, receipt(300_000, "2025-09-01"), 201
    )
    board = server.token("inspector", commune["id"], "Ban Thanh tra Nhân dân xã Ba")
    review = server.api(
        "POST",
        "/supervisions",
        board,
        {"subject": {"kind": "fund", "fund_id": fund["id"]}, "title": "Giám sát quý III"},
        expect=201,
    )
    path = f"/supervisions/{review['id']}"
    finding = server.api(
        "POST",
        f"{path}/findings",
        board,
        {
            "severity": "minor",
            "description": "Phiếu thu chưa ghi số.",
            "entry_ids": [gift["entry_id"]],
        },
        expect=201,
    )
    server.api(
        "POST",
        f"{path}/findings/{finding['finding_id']}/response",
        treasurer,
        {"response": "Đã ghi số phiếu."},
        expect=201,
    )
    done = server.api("POST", f"{path}/conclusion", board, {"conclusion": "Đạt."}, expect=201)

    shown = server.api("GET", f"{path}?min_position={done['position']}", treasurer)
    assert shown["status"] == "concluded"
    assert [(f["entry_ids"], f["response"]) for f in shown["findings"]] == [
        ([gift["entry_id"]], "Đã ghi số phiếu.")
    ]
    refused = server.call(
        "POST", f"/api/v1{path}/findings", board, {"severity": "minor", "description": "Muộn."}
    )
    assert (refused.status, refused.body["type"].rsplit("/", 1)[-1]) == (
        409,
        "supervision-concluded",
    )


def test_the_shared_contract_smoke_script_passes_against_this_build(
    database_url: str,
    tmp_path: Path,
) -> None:
    if not SMOKE.exists():
        pytest.skip(f"no shared contract smoke script at {SMOKE}")
    result = subprocess.run(
        [sys.executable, str(SMOKE)],
        env=sovang_env(database_url),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=tmp_path,
        start_new_session=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"(?m)^\d+ passed, 0 failed$", result.stdout), result.stdout
