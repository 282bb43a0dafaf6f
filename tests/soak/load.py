"""Many clients writing and reading over HTTP against a real ``sovang serve`` on
PostgreSQL, each write sent with an Idempotency-Key and sent again with the same key
until it is answered; then the invariants that must hold whatever happened meanwhile.

Used by ``make soak`` (``python -m tests.soak``), by its short version in the suite
(tests/e2e/test_soak.py) and by the fault tests (tests/e2e/test_faults.py), which kill
processes and restart PostgreSQL under this load.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import random
import subprocess
import threading
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.common import percentile
from service.adapters import personal_data, signing, tokens
from service.adapters.db import StoreUrl
from service.adapters.migrate import migrate
from service.bootstrap import Services
from service.config import Config
from service.domain.notes import Signer
from service.domain.vocabulary import Role
from tests.conftest import _admin_connection, read_models
from tests.e2e.cli import SOVANG, free_port, sovang_env, stop, wait_until_healthy

API = "/api/v1"
DAY = "2025-06-01"
#: Payments above this many đồng wait for an approver in every commune of the world.
THRESHOLD = 2_000_000
#: How long a client keeps sending one write again before it gives up on an answer.
RETRY_FOR = 90.0


@dataclass
class Commune:
    id: str
    funds: list[str]
    treasurer: str
    approver: str
    viewer: str
    households: list[str] = field(default_factory=list)


@dataclass
class World:
    province_fund: str
    communes: list[Commune]
    admin: str
    inspector: str


@dataclass
class Answer:
    status: int
    body: Any
    retry_after: str | None = None


@dataclass
class Write:
    """A write as its client saw it: what it asked and the answer it finally got."""

    kind: str
    key: str
    path: str
    body: dict[str, Any]
    fund: str | None = None
    status: int | None = None
    answer: Any = None


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    #: (seconds since the start, status) of every answer, 0 for no answer (refused, reset
    #: or timed out connections).
    timeline: list[tuple[float, int]] = field(default_factory=list)
    #: 503 answers that did not say when to try again.
    without_retry_after: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(
        self, started: float, at: float, status: int, latency: float, retry_after: str | None
    ) -> None:
        with self.lock:
            self.statuses[status] += 1
            self.without_retry_after += status == 503 and not retry_after
            self.timeline.append((at - started, status))
            if status:
                self.latencies.append(latency)


class Http:
    """One client's keep-alive connection; any failure to get an answer is status 0."""

    def __init__(self, port: int, stats: Stats, started: float, timeout: float = 10.0) -> None:
        self.port, self.stats, self.started, self.timeout = port, stats, started, timeout
        self.connection: http.client.HTTPConnection | None = None

    def call(
        self, method: str, path: str, token: str | None, body: Any = None, key: str | None = None
    ) -> Answer:
        headers = {"Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if key:
            headers["Idempotency-Key"] = key
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        begun = time.monotonic()
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection(
                    "127.0.0.1", self.port, timeout=self.timeout
                )
            self.connection.request(method, path, body=data, headers=headers)
            response = self.connection.getresponse()
            raw = response.read()
            answer = Answer(
                response.status,
                json.loads(raw)
                if raw and "json" in response.getheader("Content-Type", "")
                else raw,
                response.getheader("Retry-After"),
            )
        except (OSError, http.client.HTTPException):
            self.close()
            answer = Answer(0, None)
        self.stats.record(
            self.started,
            time.monotonic(),
            answer.status,
            time.monotonic() - begun,
            answer.retry_after,
        )
        return answer

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


# The service and its world ---------------------------------------------------------------


@contextmanager
def serving(
    database_url: str, keys: Path, log: Path, *, workers: int = 2, port: int | None = None
) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """``sovang serve`` on loopback with its projection runner, stopped at the end."""
    port = port or free_port()
    env = sovang_env(
        database_url,
        signing_key=keys / "log-signing.key",
        personal_data_key=keys / "personal-data.key",
    )
    env["SOVANG_CHECKPOINT_EVERY"] = "500"
    with log.open("ab") as output:
        process = subprocess.Popen(
            [SOVANG, "serve", "--bind", f"127.0.0.1:{port}", "--workers", str(workers)],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_until_healthy(f"http://127.0.0.1:{port}", process, log)
        yield port, process
    finally:
        stop(process)


@contextmanager
def scratch_database(server: str) -> Iterator[str]:
    """A migrated, empty PostgreSQL database of its own, dropped afterwards."""
    name = f"sovang_soak_{uuid.uuid4().hex[:10]}"
    with _admin_connection() as admin:
        admin.execute(f"CREATE DATABASE {name}")
    url = f"{server}/{name}"
    try:
        migrate(StoreUrl.parse(url))
        yield url
    finally:
        with _admin_connection() as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def make_keys(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    signing.write(directory / "log-signing.key", Signer.generate("soak.sovang.vn/log"))
    personal_data.write(directory / "personal-data.key")
    return directory


def config(database_url: str, keys: Path) -> Config:
    return Config(
        database_url=database_url,
        signing_key_path=keys / "log-signing.key",
        personal_data_key_path=keys / "personal-data.key",
    )


def build_world(port: int, database_url: str, keys: Path, communes: int = 4) -> World:
    """A province with a fund, and communes each with two funds, an approval threshold,
    a household, and a treasurer's, an approver's and a viewer's token."""
    services = Services(config(database_url, keys))
    try:

        def token(role: Role, unit: str | None, name: str) -> str:
            return tokens.create(
                services.db, name=name, role=role, unit_id=uuid.UUID(unit) if unit else None
            )[1]

        admin = token(Role.ADMIN, None, "Quản trị (soak)")
        http = Http(port, Stats(), time.monotonic(), timeout=30)

        def made(path: str, who: str, body: dict[str, Any], method: str = "POST") -> Any:
            answer = http.call(method, API + path, who, body)
            assert answer.status in (200, 201), (path, answer)
            return answer.body

        province = made("/units", admin, {"name": "Tỉnh Thử Tải", "level": "province"})["id"]
        province_fund = made(
            "/funds", admin, {"unit_id": province, "name": "Quỹ tỉnh", "kind": "for_the_poor"}
        )["id"]
        world = World(province_fund, [], admin, token(Role.INSPECTOR, province, "Ban Thanh tra"))
        for n in range(communes):
            unit = made(
                "/units",
                admin,
                {"name": f"Xã Thử Tải {n}", "level": "commune", "parent_id": province},
            )["id"]
            treasurer = token(Role.TREASURER, unit, f"Thủ quỹ xã {n}")
            approver = token(Role.APPROVER, unit, f"Chủ tịch xã {n}")
            funds = [
                made("/funds", treasurer, {"unit_id": unit, "name": name, "kind": kind})["id"]
                for name, kind in (
                    ("Quỹ Vì người nghèo", "for_the_poor"),
                    ("Quỹ cứu trợ", "relief"),
                )
            ]
            made(f"/units/{unit}/approval-threshold", approver, {"amount": THRESHOLD}, "PUT")
            world.communes.append(
                Commune(unit, funds, treasurer, approver, token(Role.VIEWER, unit, f"Xem xã {n}"))
            )
        # The clients start once the read models hold the whole world.
        head = services.runner.head()
        ready = http.call("GET", f"{API}/funds/{province_fund}?min_position={head}", admin)
        assert ready.status == 200, ready
        http.close()
        return world
    finally:
        services.close()


# The clients ---------------------------------------------------------------------------


class Client(threading.Thread):
    """One API consumer: a commune's treasurer and approver, writing and reading at
    random until told to stop; every write is sent again with its key until answered."""

    def __init__(
        self, index: int, port: int, world: World, stats: Stats, started: float, stop: Any
    ) -> None:
        super().__init__(name=f"soak-client-{index}", daemon=True)
        self.rng = random.Random(index)
        self.world = world
        self.commune = world.communes[index % len(world.communes)]
        self.http = Http(port, stats, started)
        self.stop_event = stop
        self.writes: list[Write] = []
        self.reversible: list[Write] = []
        self.limit: int | None = None
        #: The position of this client's last acknowledged write: its reads wait for it.
        self.position = 0

    def run(self) -> None:
        try:
            while not self.stop_event.is_set() and (
                self.limit is None or len(self.writes) < self.limit
            ):
                self.step()
        finally:
            self.http.close()

    def step(self) -> None:
        c, rng = self.commune, self.rng
        fund = rng.choice(c.funds)
        roll = rng.random()
        if roll < 0.28:
            amount = rng.randrange(10_000, 1_000_000, 1_000)
            self.write("receipt", f"/funds/{fund}/receipts", _receipt(amount, rng), fund)
        elif roll < 0.44:
            amount = rng.randrange(10_000, 400_000, 1_000)
            body = {"amount": amount, "occurred_on": DAY, "category": "other"}
            self.write("disbursement", f"/funds/{fund}/disbursements", body, fund)
        elif roll < 0.47:
            body = {"amount": THRESHOLD + 500_000, "occurred_on": DAY, "category": "emergency"}
            self.write("disbursement", f"/funds/{fund}/disbursements", body, fund)
        elif roll < 0.55:
            to = rng.choice([f for f in [*c.funds, self.world.province_fund] if f != fund])
            body = {"to_fund_id": to, "amount": rng.randrange(10_000, 300_000, 1_000)}
            self.write("transfer", f"/funds/{fund}/transfers", {**body, "occurred_on": DAY}, fund)
        elif roll < 0.60 and self.reversible:
            entry = self.reversible.pop(rng.randrange(len(self.reversible)))
            path = f"/funds/{entry.fund}/entries/{entry.answer['entry_id']}/reversal"
            self.write("reversal", path, {"reason": "Ghi nhầm"}, entry.fund)
        elif roll < 0.64:
            self.decide(fund)
        elif roll < 0.67:
            body = {
                "unit_id": c.id,
                "head_name": f"Hộ {uuid.uuid4().hex[:10]}",
                "address": f"Thôn {uuid.uuid4().hex[:10]}",
                "members_count": rng.randint(1, 8),
            }
            written = self.write("household", "/households", body, None)
            if written.status == 201:
                c.households.append(written.answer["id"])
        elif roll < 0.69 and c.households:
            # The village's bình xét selects the household before its grant is approved.
            household = rng.choice(c.households)
            meeting = {
                "held_on": DAY,
                "purpose": "grant",
                "attendees": 20,
                "chaired_by": "Trưởng ban công tác Mặt trận thôn",
                "nominees": [{"household_id": household, "votes_for": 15}],
                "minutes_name": "bien-ban-binh-xet.pdf",
                "minutes_sha256": hashlib.sha256(household.encode()).hexdigest(),
            }
            held = self.write("meeting", f"/units/{c.id}/selection-meetings", meeting, None)
            if held.status != 201:
                return
            body = {
                "household_id": household,
                "item": "Bò cái sinh sản",
                "value": 15_000_000,
                "approved_on": DAY,
                "meeting_id": held.answer["id"],
            }
            self.write("grant", "/grants", body, None)
        else:
            self.read(fund)

    def decide(self, fund: str) -> None:
        listed = self.http.call(
            "GET",
            f"{API}/funds/{fund}/pending?status=pending&limit=5&min_position={self.position}",
            self.commune.approver,
        )
        if listed.status != 200 or not listed.body["items"]:
            return
        pending = self.rng.choice(listed.body["items"])["pending_id"]
        if self.rng.random() < 0.7:
            path, body, kind = f"/funds/{fund}/pending/{pending}/approval", {}, "approval"
        else:
            path, body, kind = (
                f"/funds/{fund}/pending/{pending}/rejection",
                {"reason": "Thiếu hồ sơ"},
                "rejection",
            )
        self.write(kind, path, body, fund, token=self.commune.approver)

    def write(
        self, kind: str, path: str, body: dict[str, Any], fund: str | None, token: str | None = None
    ) -> Write:
        written = Write(kind, str(uuid.uuid4()), path, body, fund)
        send(self.http, written, token or self.commune.treasurer)
        self.writes.append(written)
        if isinstance(written.answer, dict) and written.status in (200, 201, 202):
            self.position = max(self.position, written.answer.get("position", 0))
        # A transfer to the province's fund is reversed by the province, not by the commune.
        outward = body.get("to_fund_id") == self.world.province_fund
        if (
            written.status == 201
            and kind in ("receipt", "disbursement", "transfer")
            and not outward
        ):
            self.reversible.append(written)
        return written

    def read(self, fund: str) -> None:
        c, rng = self.commune, self.rng
        who = rng.choice([c.treasurer, c.viewer, c.approver])
        path = rng.choice(
            [
                f"/funds/{fund}",
                f"/funds/{fund}/entries?limit=50",
                f"/units/{c.id}/report?from=2025-01-01&to=2025-12-31",
                f"/funds/{fund}/pending?limit=20",
                f"/households?unit_id={c.id}&limit=20",
                "/audit/events?limit=50",
            ]
        )
        if path.startswith("/audit"):
            who = self.world.inspector
        separator = "&" if "?" in path else "?"
        self.http.call("GET", f"{API}{path}{separator}min_position={self.position}", who)


def _receipt(amount: int, rng: random.Random) -> dict[str, Any]:
    body: dict[str, Any] = {
        "amount": amount,
        "occurred_on": DAY,
        "donor": {"name": "Nguyễn Văn An", "kind": "individual"},
        "channel": rng.choice(["cash", "bank"]),
    }
    if body["channel"] == "bank":
        body["bank_ref"] = f"FT{rng.randint(10**13, 10**14 - 1)}"
    return body


def send(http: Http, written: Write, token: str, retry_for: float = RETRY_FOR) -> None:
    """Sends the write, and again with the same key after no answer or a 5xx, until it is
    answered or ``retry_for`` seconds have passed."""
    deadline = time.monotonic() + retry_for
    pause = 0.05
    while True:
        answer = http.call("POST", API + written.path, token, written.body, written.key)
        if 0 < answer.status < 500:
            written.status, written.answer = answer.status, answer.body
            return
        if time.monotonic() > deadline:
            return
        time.sleep(pause)
        pause = min(pause * 2, 1.0)


# Running it ----------------------------------------------------------------------------


@dataclass
class Load:
    """The clients of one run, started together and stopped together."""

    port: int
    world: World
    clients: int
    stats: Stats = field(default_factory=Stats)
    started: float = field(default_factory=time.monotonic)
    stop_event: threading.Event = field(default_factory=threading.Event)
    threads: list[Client] = field(default_factory=list)
    duration: float = 0.0

    def start(self, max_writes_per_client: int | None = None) -> Load:
        self.started = time.monotonic()
        self.threads = [
            Client(i, self.port, self.world, self.stats, self.started, self.stop_event)
            for i in range(self.clients)
        ]
        for thread in self.threads:
            thread.limit = max_writes_per_client
            thread.start()
        return self

    def finish(self) -> Load:
        """Stops the clients; each finishes (answers) the write it is sending."""
        self.stop_event.set()
        for thread in self.threads:
            thread.join(RETRY_FOR + 30)
        self.duration = time.monotonic() - self.started
        return self

    @property
    def writes(self) -> list[Write]:
        return [w for thread in self.threads for w in thread.writes]

    def summary(self) -> str:
        lat = self.stats.latencies
        acknowledged = sum(1 for w in self.writes if w.status in (201, 202))
        statuses = ", ".join(f"{s or 'none'}: {n}" for s, n in sorted(self.stats.statuses.items()))
        return (
            f"{self.clients} clients for {self.duration:.1f} s: "
            f"{sum(self.stats.statuses.values())} requests "
            f"({sum(self.stats.statuses.values()) / max(self.duration, 1e-9):.0f}/s), "
            f"{len(self.writes)} writes, {acknowledged} acknowledged "
            f"({acknowledged / max(self.duration, 1e-9):.1f} writes/s); "
            f"latency p50 {1000 * percentile(lat, 50):.0f} ms, "
            f"p99 {1000 * percentile(lat, 99):.0f} ms; answers {statuses}"
        )


def resend_unanswered(port: int, load: Load) -> None:
    """Sends each write that got no answer again with its key, as its client would once
    the service is back: the first answer (or the first refusal) comes back."""
    http = Http(port, Stats(), time.monotonic(), timeout=30)
    for thread in load.threads:
        for written in thread.writes:
            if written.status is None:
                token = (
                    thread.commune.approver
                    if written.kind in ("approval", "rejection")
                    else thread.commune.treasurer
                )
                send(http, written, token, retry_for=60)
    http.close()


# The invariants --------------------------------------------------------------------------

#: The events one acknowledged write records, by kind and answer (approvals add to the
#: payment they approve: see ``expected_events``).
EVENTS = {
    ("receipt", 201): {"ReceiptRecorded": 1},
    ("disbursement", 201): {"DisbursementRecorded": 1},
    ("disbursement", 202): {"DisbursementRequested": 1},
    ("transfer", 201): {"TransferSent": 1, "TransferReceived": 1},
    ("transfer", 202): {"TransferRequested": 1},
    ("approval", 201): {"PaymentApproved": 1},
    ("rejection", 201): {"PaymentRejected": 1},
    ("household", 201): {"Registered": 1},
    ("meeting", 201): {"Held": 1},
    ("grant", 201): {"Approved": 1},
}


def expected_events(writes: list[Write]) -> dict[str, Counter[str]]:
    """For each acknowledged write's key, the events that must carry it, each once."""
    expected: dict[str, Counter[str]] = {}
    by_pending = {
        w.answer["pending_id"]: w for w in writes if w.status == 202 and "pending_id" in w.answer
    }
    for w in writes:
        if w.status not in (201, 202):
            continue
        if w.kind == "reversal":
            events = {"EntryReversed": 2 if _reverses_transfer(w, writes) else 1}
        else:
            events = EVENTS[(w.kind, w.status)]
        expected.setdefault(w.key, Counter()).update(events)
        if w.kind == "approval":
            # The entry is recorded with the metadata of the request it approves.
            request = by_pending[w.answer["pending_id"]]
            recorded = (
                {"TransferSent": 1, "TransferReceived": 1}
                if request.kind == "transfer"
                else {"DisbursementRecorded": 1}
            )
            expected.setdefault(request.key, Counter()).update(recorded)
    return expected


def _reverses_transfer(reversal: Write, writes: list[Write]) -> bool:
    entry = reversal.path.split("/entries/")[1].split("/")[0]
    return any(
        w.kind == "transfer" and w.status == 201 and w.answer["entry_id"] == entry for w in writes
    )


def expected_balances(writes: list[Write]) -> dict[str, int]:
    """Each fund's balance from the acknowledged writes alone."""
    balance: dict[str, int] = defaultdict(int)
    effects: dict[str, list[tuple[str, int]]] = {}
    by_pending = {w.answer["pending_id"]: w for w in writes if w.status == 202}
    for w in writes:
        if w.status != 201 or w.fund is None:
            continue
        moves: list[tuple[str, int]] = []
        if w.kind == "receipt":
            moves = [(w.fund, w.body["amount"])]
        elif w.kind == "disbursement":
            moves = [(w.fund, -w.body["amount"])]
        elif w.kind == "transfer":
            moves = [(w.fund, -w.body["amount"]), (w.body["to_fund_id"], w.body["amount"])]
        elif w.kind == "approval":
            asked = by_pending[w.answer["pending_id"]]
            moves = [(asked.fund, -asked.body["amount"])]  # type: ignore[list-item]
            if asked.kind == "transfer":
                moves.append((asked.body["to_fund_id"], asked.body["amount"]))
        elif w.kind == "reversal":
            entry = w.path.split("/entries/")[1].split("/")[0]
            moves = [(fund, -amount) for fund, amount in effects[entry]]
        for fund, amount in moves:
            balance[fund] += amount
        if "entry_id" in (w.answer or {}):
            effects[w.answer["entry_id"]] = moves
    return dict(balance)


def check_invariants(
    database_url: str, keys: Path, load: Load, *, allowed_5xx: set[int] | None = None
) -> list[str]:
    """Every violation found, in words; the service must be stopped (a rebuild is made)."""
    violations: list[str] = []
    allowed = allowed_5xx or set()
    for status, count in sorted(load.stats.statuses.items()):
        if status >= 500 and status not in allowed:
            violations.append(f"{count} answer(s) {status}")
    writes = load.writes
    unanswered = [w for w in writes if w.status is None]
    if unanswered:
        violations.append(f"{len(unanswered)} write(s) never answered, e.g. {unanswered[0]}")

    services = Services(config(database_url, keys))
    try:
        services.runner.catch_up()
        with services.db.transaction() as tx:
            carried = tx.all(
                "SELECT idempotency_key AS key, event_type, count(*) AS n FROM audit_events "
                "WHERE idempotency_key IS NOT NULL AND aggregate_type <> 'RequestRecord' "
                "GROUP BY idempotency_key, event_type"
            )
            funds = {row["id"]: row for row in tx.all("SELECT * FROM funds")}
            ledger = tx.all(
                "SELECT fund_id, seq, effect, running_balance FROM ledger_entries "
                "ORDER BY fund_id, seq"
            )
        found: dict[str, Counter[str]] = defaultdict(Counter)
        for row in carried:
            found[row["key"]][row["event_type"]] += int(row["n"])
        expected = expected_events(writes)
        refused = {w.key for w in writes if w.status not in (201, 202)}
        for key, events in expected.items():
            if found.get(key, Counter()) != events:
                violations.append(f"write {key}: events {dict(found.get(key, {}))}, not {events}")
        for key in found.keys() - expected.keys():
            what = "a refused write" if key in refused else "no acknowledged write"
            violations.append(f"events {dict(found[key])} carry the key {key} of {what}")

        for fund, balance in expected_balances(writes).items():
            shown = funds[fund]["balance"]
            stored = services.ledger.fund(uuid.UUID(fund)).balance
            if not shown == stored == balance:
                violations.append(
                    f"fund {fund}: acknowledged writes make {balance}, the projection "
                    f"shows {shown}, the aggregate {stored}"
                )
        running: dict[str, int] = defaultdict(int)
        for row in ledger:
            running[row["fund_id"]] += row["effect"]
            if row["running_balance"] != running[row["fund_id"]] or row["running_balance"] < 0:
                violations.append(
                    f"ledger row {row}: running balance should be {running[row['fund_id']]}"
                )
                break

        before = read_models(services.db)
        services.runner.rebuild()
        after = read_models(services.db)
        for table, rows in before.items():
            if rows != after[table]:
                differ = [(a, b) for a, b in zip(rows, after[table], strict=False) if a != b]
                violations.append(
                    f"{table}: {len(rows)} rows incrementally, {len(after[table])} rebuilt; "
                    f"first difference {differ[:1]}"
                )
    finally:
        services.close()
    return violations
