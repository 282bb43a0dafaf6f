"""`sovang projections run|rebuild|status` as separate processes, killed without warning.

Projections are resumable (killed and restarted, they go on from their tracking
position and apply every event exactly once) and rebuildable (replaying the log
gives the same rows). Both stores.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from uuid import UUID

import psycopg
import pytest

from service.adapters.db import StoreUrl
from service.application import Ledger, Request, Written
from service.bootstrap import Services
from service.config import Config
from service.domain.funds import Disbursement, Donor, Receipt
from service.domain.money import Money
from service.domain.vocabulary import Category, Channel, DonorKind, FundKind, Level
from service.projections import all_projections
from tests.conftest import ADMIN, read_models, treasurer_of
from tests.e2e.cli import BIN, SOVANG, sovang, sovang_env

DAY = date(2025, 8, 15)
#: Every projection the runner keeps, by name.
PROJECTIONS = tuple(p.name for p in all_projections())


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting until {what}")
        time.sleep(0.01)


@dataclass
class Runner:
    """One `sovang projections run` process, in a session of its own."""

    database_url: str
    log: Path
    process: subprocess.Popen[bytes] | None = None
    #: Events applied in one transaction (SOVANG_PROJECTION_PAGE_SIZE), when not the default.
    page_size: int | None = None

    def start(self, *command: str) -> None:
        """Starts ``sovang projections run`` (or ``command``)."""
        env = sovang_env(self.database_url)
        if self.page_size is not None:
            env["SOVANG_PROJECTION_PAGE_SIZE"] = str(self.page_size)
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(
                list(command) or [SOVANG, "projections", "run"],
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self, sig: signal.Signals = signal.SIGKILL) -> int:
        assert self.process is not None
        assert self.alive(), f"the runner died by itself:\n{self.log.read_text()[-3000:]}"
        os.killpg(self.process.pid, sig)
        code = self.process.wait(15)
        self.process = None
        return code

    def says(self, line: str, timeout: float = 30) -> None:
        """Waits until the runner has written ``line`` on its output."""
        wait_until(lambda: line in self.log.read_text() or not self.alive(), timeout, f"'{line}'")
        assert self.alive(), f"the runner died by itself:\n{self.log.read_text()[-3000:]}"

    def stop_quietly(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(15)


@pytest.fixture
def runner(database_url: str, tmp_path: Path) -> Iterator[Runner]:
    process = Runner(database_url, tmp_path / "projections.log")
    yield process
    process.stop_quietly()


@pytest.fixture
def services(database_url: str) -> Iterator[Services]:
    """The writer's services. Its runner is only asked for positions, never to project."""
    svc = Services(Config(database_url=database_url))
    yield svc
    svc.close()


@dataclass
class Books:
    """Writes a mix of entries through the application and keeps the expected figures."""

    ledger: Ledger
    treasurer: Request
    funds: list[UUID]
    balances: dict[UUID, int]
    entries: dict[UUID, int]
    receipts: list[tuple[UUID, UUID, int]] = field(default_factory=list)
    writes: int = 0

    @classmethod
    def open(cls, ledger: Ledger) -> Books:
        unit = UUID(ledger.register_unit(ADMIN, "Xã Mẫu", Level.COMMUNE, None, "XM").body["id"])
        treasurer = treasurer_of(unit)
        funds = [
            UUID(ledger.open_fund(treasurer, unit, f"Quỹ số {n}", kind).body["id"])
            for n, kind in enumerate(
                (FundKind.FOR_THE_POOR, FundKind.RELIEF, FundKind.GRATITUDE), 1
            )
        ]
        return cls(ledger, treasurer, funds, dict.fromkeys(funds, 0), dict.fromkeys(funds, 0))

    def write(self) -> Written:
        """The next write of a repeating pattern: receipts, a keyed receipt, disbursements,
        transfers and reversals."""
        n = self.writes
        self.writes += 1
        fund = self.funds[n % 3]
        other = self.funds[(n + 1) % 3]
        if n % 10 == 4 and self.balances[fund] >= 70_000:
            return self._entry(
                fund,
                -70_000,
                self.ledger.record_disbursement(
                    self.treasurer, fund, Disbursement(Money(70_000), DAY, Category.TET_GIFT)
                ),
            )
        if n % 10 == 7 and self.balances[fund] >= 50_000:
            self.balances[other] += 50_000
            self.entries[other] += 1
            return self._entry(
                fund,
                -50_000,
                self.ledger.record_transfer(
                    self.treasurer, fund, other, Money(50_000), DAY, "điều tiết"
                ),
            )
        if n % 10 == 9 and self.receipts:
            fund, entry, amount = self.receipts.pop(0)
            if self.balances[fund] >= amount:
                return self._entry(
                    fund,
                    -amount,
                    self.ledger.reverse_entry(self.treasurer, fund, entry, "ghi nhầm"),
                )
        amount = 10_000 * (n % 17 + 1)
        request = (
            Request(self.treasurer.actor, idempotency_key=f"thu-{n}", fingerprint="f")
            if n % 10 == 2
            else self.treasurer
        )
        written = self.ledger.record_receipt(
            request,
            fund,
            Receipt(Money(amount), DAY, Donor("Lê Văn Cường", DonorKind.INDIVIDUAL), Channel.CASH),
        )
        self.receipts.append((fund, UUID(written.body["entry_id"]), amount))
        return self._entry(fund, amount, written)

    def _entry(self, fund: UUID, effect: int, written: Written) -> Written:
        self.balances[fund] += effect
        self.entries[fund] += 1
        assert written.body["balance"] == self.balances[fund]
        return written


def write_until(books: Books, stop: threading.Event, limit: int) -> threading.Thread:
    """Writes in the background until ``stop`` is set (at most ``limit`` writes)."""

    def run() -> None:
        for _ in range(limit):
            if stop.is_set():
                return
            books.write()
            time.sleep(0.001)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def test_a_runner_killed_mid_way_and_restarted_applies_every_event_exactly_once(
    services: Services,
    runner: Runner,
) -> None:
    books = Books.open(services.ledger)
    positions = services.runner.positions
    # A backlog of many small pages, so that the first kill falls inside it: the runner
    # commits a page for every projection at once, and is killed once one has committed.
    runner.page_size = 20
    for _ in range(300):
        books.write()
    at_kill = []
    for _ in range(3):
        before = max(positions().values())
        runner.start()
        stop = threading.Event()
        writer = write_until(books, stop, limit=3000)
        try:
            # Killed as soon as any projection has moved: the others are typically in the
            # middle of applying a page.
            wait_until(
                lambda before=before: max(positions().values()) > before,
                30,
                "the runner applies some events",
            )
            assert runner.kill() == -signal.SIGKILL
            at_kill.append((services.runner.head(), positions()))
        finally:
            stop.set()
            writer.join(30)
        assert not writer.is_alive()
    assert any(min(reached.values()) < head for head, reached in at_kill), at_kill

    for _ in range(50):  # more history written while no runner is up
        books.write()
    head = services.runner.head()
    runner.start()
    wait_until(lambda: min(positions().values()) == head, 30, "every projection reaches the head")
    assert runner.kill(signal.SIGTERM) == 0, "a stopped runner exits cleanly"

    assert positions() == dict.fromkeys(PROJECTIONS, head)
    rows = read_models(services.db, tracking=True)
    assert [row["position"] for row in rows["audit_events"]] == list(range(1, head + 1))
    assert len(rows["ledger_entries"]) == sum(books.entries.values())
    assert len({row["entry_id"] for row in rows["ledger_entries"]}) == sum(books.entries.values())
    assert len(rows["units"]) == 1
    assert len(rows["funds"]) == 3
    for fund in rows["funds"]:
        fund_id = UUID(fund["id"])
        assert fund["balance"] == books.balances[fund_id] == services.ledger.fund(fund_id).balance
        assert fund["entries_count"] == books.entries[fund_id]
        last = max(
            (row for row in rows["ledger_entries"] if row["fund_id"] == fund["id"]),
            key=lambda row: row["seq"],
        )
        assert last["running_balance"] == fund["balance"]


def test_a_rebuild_gives_the_same_rows_and_status_shows_no_lag(
    services: Services,
    runner: Runner,
    database_url: str,
) -> None:
    books = Books.open(services.ledger)
    for _ in range(120):
        books.write()
    head = services.runner.head()
    runner.start()
    wait_until(
        lambda: min(services.runner.positions().values()) == head,
        30,
        "every projection reaches the head",
    )
    runner.kill(signal.SIGTERM)
    before = read_models(services.db, tracking=True)
    assert len(before["audit_events"]) == head

    rebuilt = sovang(database_url, "projections", "rebuild")
    assert f"đến vị trí {head}" in rebuilt.stdout
    after = read_models(services.db, tracking=True)
    assert after == before

    sovang(database_url, "projections", "rebuild", "ledger")
    assert read_models(services.db, tracking=True) == before
    several = sovang(database_url, "projections", "rebuild", "ledger", "audit", "grants")
    assert "đã dựng lại ledger, audit, grants" in several.stdout
    assert read_models(services.db, tracking=True) == before

    status = sovang(database_url, "projections", "status").stdout.splitlines()
    shown = {line.split()[0]: line.split()[1:] for line in status[1:]}
    for name in PROJECTIONS:
        assert shown[name] == [str(head), "0", "-"], status  # no runner follows the log now
    assert shown["đầu"] == ["nhật", "ký", str(head)]


#: What `sovang projections run` says once it follows the log (and heeds SIGTERM).
FOLLOWING = "đang theo dõi nhật ký sự kiện"


@contextlib.contextmanager
def writer_holding_the_read_models(database_url: str) -> Iterator[None]:
    """Another writer holding what the runner must lock to apply a page: SQLite's write
    lock, or PostgreSQL's tracking rows."""
    url = StoreUrl.parse(database_url)
    if url.dialect == "sqlite":
        holder = sqlite3.connect(url.path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            holder.rollback()
            holder.close()
        return
    with psycopg.connect(url.libpq_url) as conn, conn.transaction():
        conn.execute("SELECT name FROM projection_tracking FOR UPDATE")
        yield


def test_a_runner_waiting_for_another_writers_lock_leaves_at_once_on_sigterm(
    services: Services, runner: Runner, database_url: str
) -> None:
    books = Books.open(services.ledger)
    services.runner.catch_up()
    for _ in range(20):
        books.write()
    before = services.runner.positions()
    with writer_holding_the_read_models(database_url):
        runner.start()
        runner.says(FOLLOWING)
        time.sleep(0.5)  # it now waits for the lock to apply the next page
        told = time.monotonic()
        assert runner.kill(signal.SIGTERM) == 0
        assert time.monotonic() - told < 3, "the runner left promptly"
    assert services.runner.positions() == before


@pytest.fixture
def sqlite_url(tmp_path: Path, sqlite_template: Path) -> str:
    """A migrated SQLite store: how a process leaves does not depend on the store."""
    path = tmp_path / "sovang.db"
    path.write_bytes(sqlite_template.read_bytes())
    return f"sqlite:///{path}"


@pytest.mark.parametrize(("where", "within"), [("python", 3.0), ("c", 10.0)])
def test_a_runner_in_the_middle_of_a_page_leaves_at_once_on_sigterm_and_the_page_is_undone(
    sqlite_url: str, tmp_path: Path, where: str, within: float
) -> None:
    """Mid-page, the signal ends the page at once where Python can be interrupted; stuck in
    a call into C, the process is ended after a grace period. Either way the page's
    events are applied by none of the projections."""
    svc = Services(Config(database_url=sqlite_url))
    try:
        books = Books.open(svc.ledger)
        for _ in range(20):
            books.write()
        before = svc.runner.positions()
        runner = Runner(sqlite_url, tmp_path / f"stalling-{where}.log")
        runner.start(str(BIN / "python"), "-m", "tests.e2e.stalling_runner", where)
        try:
            runner.says("stalling")
            told = time.monotonic()
            assert runner.kill(signal.SIGTERM) == 0
            assert time.monotonic() - told < within, "the runner left promptly"
        finally:
            runner.stop_quietly()
        assert svc.runner.positions() == before
    finally:
        svc.close()
