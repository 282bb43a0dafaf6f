"""Many writers on one fund at once, on PostgreSQL, the store that production shares
between gunicorn workers on several hosts.

These tests take a PostgreSQL database of their own (copied from the migrated
template, like conftest's ``database_url``) and are never run on SQLite.
"""

from __future__ import annotations

import multiprocessing
import queue
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, TypeVar
from uuid import UUID

import pytest

from service.adapters.db import StoreUrl
from service.application import Ledger, Request, Written
from service.bootstrap import Services
from service.config import Config
from service.domain.actors import Actor
from service.domain.errors import AlreadyDecided, BudgetExceeded, InsufficientFunds
from service.domain.funds import Disbursement, Donor, Fund, Receipt
from service.domain.households import PersonalData
from service.domain.money import Money
from service.domain.vocabulary import (
    Category,
    Channel,
    CostSource,
    DonorKind,
    FundKind,
    HouseKind,
    Level,
    Role,
    Stage,
)
from service.projections import funds as fund_view
from tests.conftest import ADMIN, treasurer_of

pytestmark = pytest.mark.postgres_only

DAY = date(2025, 10, 1)
T = TypeVar("T")


@pytest.fixture
def services(postgres_url: str, personal_data_key_path: Path) -> Iterator[Services]:
    """One process's services, shared by every thread of the test."""
    svc = Services(
        Config(
            database_url=postgres_url, pool_size=8, personal_data_key_path=personal_data_key_path
        )
    )
    yield svc
    svc.close()


def open_fund(ledger: Ledger) -> tuple[UUID, Request]:
    unit = UUID(ledger.register_unit(ADMIN, "Phường Mẫu", Level.COMMUNE, None, None).body["id"])
    treasurer = treasurer_of(unit)
    fund = UUID(
        ledger.open_fund(treasurer, unit, "Quỹ cứu trợ phường Mẫu", FundKind.RELIEF).body["id"]
    )
    return fund, treasurer


def gift(amount: int, voucher_no: str | None = None) -> Receipt:
    return Receipt(
        Money(amount),
        DAY,
        Donor("Trần Thị Bình", DonorKind.INDIVIDUAL),
        Channel.BANK,
        voucher_no=voucher_no,
    )


def all_at_once(count: int, task: Callable[[int], T]) -> list[T]:
    """Runs ``task(0..count-1)`` on ``count`` threads released together; bounded waits."""
    barrier = threading.Barrier(count)

    def run(index: int) -> T:
        barrier.wait(timeout=30)
        return task(index)

    with ThreadPoolExecutor(max_workers=count) as pool:
        futures = [pool.submit(run, index) for index in range(count)]
        return [future.result(timeout=120) for future in futures]


def ledger_rows(services: Services, fund: UUID) -> list[dict[str, Any]]:
    with services.db.transaction() as tx:
        return tx.all(
            "SELECT entry_id, kind, amount, running_balance, voucher_no, seq, position "
            "FROM ledger_entries WHERE fund_id = :fund ORDER BY seq",
            {"fund": str(fund)},
        )


@dataclass(frozen=True)
class Outcome:
    voucher_no: str
    amount: int
    written: Written | None = None
    refused_at_balance: int | None = None


def test_concurrent_disbursements_never_overdraw_and_each_acknowledged_one_is_recorded_once(
    services: Services,
) -> None:
    ledger = services.ledger
    fund, treasurer = open_fund(ledger)
    ledger.record_receipt(treasurer, fund, gift(6_000_000))
    ledger.record_receipt(treasurer, fund, gift(4_000_000))
    received = 10_000_000
    threads, per_thread = 16, 3
    amounts = {f"PC-{i:03d}": 250_000 + 50_000 * (i % 9) for i in range(threads * per_thread)}
    assert sum(amounts.values()) > received

    def disburse(thread: int) -> list[Outcome]:
        outcomes = []
        for voucher_no in list(amounts)[thread::threads]:
            amount = amounts[voucher_no]
            try:
                written = ledger.record_disbursement(
                    treasurer,
                    fund,
                    Disbursement(Money(amount), DAY, Category.EMERGENCY, voucher_no=voucher_no),
                )
            except InsufficientFunds as refusal:
                outcomes.append(
                    Outcome(voucher_no, amount, refused_at_balance=refusal.extra["balance"])
                )
            else:
                outcomes.append(Outcome(voucher_no, amount, written=written))
        return outcomes

    outcomes = [o for batch in all_at_once(threads, disburse) for o in batch]
    assert len(outcomes) == threads * per_thread
    acknowledged = sorted((o for o in outcomes if o.written), key=lambda o: o.written.position)
    refused = [o for o in outcomes if o.written is None]
    assert acknowledged
    assert refused
    paid = sum(o.amount for o in acknowledged)
    assert paid <= received

    # The answers tell one serial story: in log order each balance is the last one less
    # the amount paid, and every refusal met a balance smaller than what it asked for.
    balance = received
    for outcome in acknowledged:
        balance -= outcome.amount
        assert outcome.written.body["balance"] == balance >= 0
    for outcome in refused:
        assert outcome.refused_at_balance is not None
        assert outcome.amount > outcome.refused_at_balance >= received - paid

    head = max(o.written.position for o in acknowledged)
    services.runner.wait_for(head, timeout=30)
    rows = [row for row in ledger_rows(services, fund) if row["kind"] == "disbursement"]
    assert sorted(row["entry_id"] for row in rows) == sorted(
        o.written.body["entry_id"] for o in acknowledged
    )
    assert {row["voucher_no"] for row in rows} == {o.voucher_no for o in acknowledged}
    assert not {row["voucher_no"] for row in rows} & {o.voucher_no for o in refused}
    assert min(row["running_balance"] for row in ledger_rows(services, fund)) >= 0
    with services.db.transaction() as tx:
        projected = fund_view.get(tx, str(fund))
    assert projected is not None
    assert projected["balance"] == received - paid == ledger.fund(fund).balance
    assert projected["total_disbursed"] == paid


def test_the_same_idempotency_key_sent_from_eight_threads_records_one_entry(
    services: Services,
) -> None:
    ledger = services.ledger
    fund, treasurer = open_fund(ledger)
    retried = Request(
        treasurer.actor,
        idempotency_key="phieu-thu-2025-0042",
        fingerprint="the same body every time",
    )

    answers = all_at_once(8, lambda _: ledger.record_receipt(retried, fund, gift(1_500_000)))

    assert len({answer.body["entry_id"] for answer in answers}) == 1
    assert sum(not answer.replayed for answer in answers) == 1
    assert {answer.body["balance"] for answer in answers} == {1_500_000}
    services.runner.wait_for(max(answer.position for answer in answers), timeout=30)
    rows = ledger_rows(services, fund)
    assert [(row["entry_id"], row["amount"]) for row in rows] == [
        (answers[0].body["entry_id"], 1_500_000)
    ]
    assert ledger.fund(fund).balance == 1_500_000


class LedgerThatHoldsOneThread(Ledger):
    """A ledger that holds one chosen thread right after it has loaded a fund, so that a
    test can order what other requests do in between without touching the store.

    The held request keeps its fund's lock (``service.adapters.fund_locks``), so the requests in
    between come through another ledger, as from another process with no lock shared:
    a statement import, the second fund of a transfer, workers on SQLite. What is tested
    is the optimistic guard under every aggregate, which those writers still meet."""

    name = Ledger.name

    def __init__(self, env: dict[str, str]) -> None:
        super().__init__(env)
        self.held: threading.Thread | None = None
        self.loaded = threading.Event()
        self.resume = threading.Event()

    def fund(self, fund_id: UUID) -> Fund:
        fund = super().fund(fund_id)
        if threading.current_thread() is self.held:
            self.held = None
            self.loaded.set()
            assert self.resume.wait(30)
        return fund


def test_a_retry_refused_on_a_stale_balance_gives_the_first_answer_its_twin_recorded(
    postgres_url: str,
) -> None:
    env = StoreUrl.parse(postgres_url).eventsourcing_env(create_table=False, pool_size=4)
    ledger = LedgerThatHoldsOneThread(env)
    other = Ledger(env)  # another process's, which does not share the held one's fund locks
    try:
        fund, treasurer = open_fund(ledger)
        keyed = Request(
            treasurer.actor,
            idempotency_key="phieu-chi-0007",
            fingerprint="the same body every time",
        )
        payment = Disbursement(Money(1_000_000), DAY, Category.EMERGENCY)
        answers: list[Written | Exception] = []

        def send() -> None:
            try:
                answers.append(ledger.record_disbursement(keyed, fund, payment))
            except Exception as error:  # the answer under test, whatever it is
                answers.append(error)

        first = threading.Thread(target=send)
        ledger.held = first
        first.start()
        assert ledger.loaded.wait(30), "the first request never loaded the fund"
        # While the first request holds the empty fund, money arrives and a retry of the
        # same request is recorded.
        other.record_receipt(treasurer, fund, gift(5_000_000))
        twin = other.record_disbursement(keyed, fund, payment)
        ledger.resume.set()
        first.join(30)
        assert not first.is_alive()

        assert len(answers) == 1
        assert isinstance(answers[0], Written), answers[0]
        assert answers[0].body == twin.body
        assert answers[0].replayed
        assert ledger.fund(fund).balance == 4_000_000
        with pytest.raises(InsufficientFunds):
            ledger.record_disbursement(
                treasurer, fund, Disbursement(Money(4_000_001), DAY, Category.EMERGENCY)
            )
    finally:
        ledger.resume.set()
        ledger.close()
        other.close()


def write_receipts(
    url: str, fund: UUID, unit: UUID, worker: int, count: int, barrier: Any, results: Any
) -> None:
    """One process of the multi-process test: its own services, ``count`` receipts."""
    svc = Services(Config(database_url=url))
    try:
        treasurer = treasurer_of(unit)
        barrier.wait(timeout=60)
        written = []
        for n in range(count):
            amount = 1_000 * (worker * 100 + n + 1)
            answer = svc.ledger.record_receipt(treasurer, fund, gift(amount, f"PT-{worker}-{n}"))
            written.append((answer.body["entry_id"], amount, answer.position))
        results.put((worker, written))
    except BaseException as error:
        results.put((worker, f"{type(error).__name__}: {error}"))
        raise
    finally:
        svc.close()


def test_four_processes_writing_receipts_to_one_fund_are_all_acknowledged_and_counted(
    services: Services,
    postgres_url: str,
) -> None:
    ledger = services.ledger
    fund, _treasurer = open_fund(ledger)
    unit = ledger.fund(fund).unit_id
    processes, count = 4, 10
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(processes)
    results = context.Queue()
    workers = [
        context.Process(
            target=write_receipts, args=(postgres_url, fund, unit, worker, count, barrier, results)
        )
        for worker in range(processes)
    ]
    for process in workers:
        process.start()
    try:
        answers: dict[int, Any] = {}
        for _ in workers:
            try:
                worker, written = results.get(timeout=90)
            except queue.Empty:
                pytest.fail(f"only {len(answers)} of {processes} writer processes answered")
            answers[worker] = written
    finally:
        for process in workers:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
                process.join(timeout=10)
    assert [process.exitcode for process in workers] == [0] * processes, answers
    assert all(
        isinstance(written, list) and len(written) == count for written in answers.values()
    ), answers

    entries = [entry for written in answers.values() for entry in written]
    expected = sum(amount for _, amount, _ in entries)
    assert len({entry_id for entry_id, _, _ in entries}) == processes * count
    assert len({position for _, _, position in entries}) == processes * count
    services.runner.wait_for(max(position for _, _, position in entries), timeout=30)
    rows = ledger_rows(services, fund)
    assert sorted(row["entry_id"] for row in rows) == sorted(e for e, _, _ in entries)
    assert rows[-1]["running_balance"] == expected
    with services.db.transaction() as tx:
        projected = fund_view.get(tx, str(fund))
    assert projected is not None
    assert projected["balance"] == projected["total_received"] == expected
    assert projected["entries_count"] == processes * count
    assert ledger.fund(fund).balance == expected


def approver_of(unit: UUID, name: str) -> Request:
    return Request(Actor(id=f"approver-{name}", name=name, role=Role.APPROVER, unit_id=unit))


def test_two_approvers_racing_on_each_payment_record_it_exactly_once(
    services: Services,
) -> None:
    ledger = services.ledger
    fund, treasurer = open_fund(ledger)
    unit = ledger.fund(fund).unit_id
    ledger.set_approval_threshold(ADMIN, unit, 100_000)
    ledger.record_receipt(treasurer, fund, gift(10_000_000))
    asked = [
        UUID(
            ledger.record_disbursement(
                treasurer, fund, Disbursement(Money(1_000_000), DAY, Category.EMERGENCY)
            ).body["pending_id"]
        )
        for _ in range(8)
    ]
    approvers = [approver_of(unit, "Chủ tịch"), approver_of(unit, "Phó chủ tịch")]

    def decide(index: int) -> list[Written | AlreadyDecided]:
        outcomes: list[Written | AlreadyDecided] = []
        for pending_id in asked:
            try:
                outcomes.append(ledger.approve_payment(approvers[index], fund, pending_id))
            except AlreadyDecided as refusal:
                outcomes.append(refusal)
        return outcomes

    first, second = all_at_once(2, decide)

    for ours, theirs in zip(first, second, strict=True):
        assert sorted(type(o).__name__ for o in (ours, theirs)) == ["AlreadyDecided", "Written"]
    written = [o for o in (*first, *second) if isinstance(o, Written)]
    services.runner.wait_for(max(w.position for w in written), timeout=30)
    rows = [row for row in ledger_rows(services, fund) if row["kind"] == "disbursement"]
    assert sorted(row["entry_id"] for row in rows) == sorted(w.body["entry_id"] for w in written)
    assert (ledger.fund(fund).balance, ledger.fund(fund).reserved) == (2_000_000, 0)


def test_an_approval_that_lost_the_race_to_a_rejection_is_refused_as_already_decided(
    postgres_url: str,
) -> None:
    env = StoreUrl.parse(postgres_url).eventsourcing_env(create_table=False, pool_size=4)
    ledger = LedgerThatHoldsOneThread(env)
    other = Ledger(env)  # another process's, which does not share the held one's fund locks
    try:
        fund, treasurer = open_fund(ledger)
        unit = ledger.fund(fund).unit_id
        ledger.set_approval_threshold(ADMIN, unit, 0)
        ledger.record_receipt(treasurer, fund, gift(5_000_000))
        pending_id = UUID(
            ledger.record_disbursement(
                treasurer, fund, Disbursement(Money(5_000_000), DAY, Category.EMERGENCY)
            ).body["pending_id"]
        )
        answers: list[Written | Exception] = []

        def approve() -> None:
            try:
                answers.append(
                    ledger.approve_payment(approver_of(unit, "Chủ tịch"), fund, pending_id)
                )
            except Exception as error:  # the answer under test, whatever it is
                answers.append(error)

        held = threading.Thread(target=approve)
        ledger.held = held
        held.start()
        assert ledger.loaded.wait(30), "the approval never loaded the fund"
        # While the approval holds the fund with the payment still pending, another
        # approver rejects it; the approval's save then conflicts, reloads and is refused.
        other.reject_payment(approver_of(unit, "Phó chủ tịch"), fund, pending_id, "Sai đối tượng")
        ledger.resume.set()
        held.join(30)
        assert not held.is_alive()

        assert len(answers) == 1
        assert isinstance(answers[0], AlreadyDecided), answers[0]
        assert (ledger.fund(fund).balance, ledger.fund(fund).available) == (5_000_000, 5_000_000)
    finally:
        ledger.resume.set()
        ledger.close()
        other.close()


def test_two_tranches_racing_from_two_funds_never_pass_the_houses_fund_share(
    services: Services,
) -> None:
    ledger = services.ledger
    fund, treasurer = open_fund(ledger)
    unit = ledger.fund(fund).unit_id
    other = UUID(ledger.open_fund(treasurer, unit, "Quỹ cứu trợ", FundKind.RELIEF).body["id"])
    for each in (fund, other):
        ledger.record_receipt(treasurer, each, gift(20_000_000))
    household = UUID(
        ledger.register_household(
            treasurer, unit, PersonalData.of("Hồ Văn Nhà", "Thôn Mới"), 5
        ).body["id"]
    )
    house = UUID(
        ledger.approve_house(
            treasurer, household, HouseKind.NEW_BUILD, {CostSource.FUND: 10_000_000}, DAY
        ).body["id"]
    )
    for stage in (Stage.STARTED, Stage.COMPLETED):
        ledger.record_house_stage(treasurer, house, stage, DAY)
    ledger.record_house_stage(treasurer, house, Stage.ACCEPTED, DAY, (), ["Ban nghiệm thu"])
    tranche = Disbursement(Money(6_000_000), DAY, Category.HOUSE_NEW_BUILD, house_project_id=house)

    def pay(index: int) -> Written | BudgetExceeded:
        try:
            return ledger.record_disbursement(treasurer, (fund, other)[index], tranche)
        except BudgetExceeded as refusal:
            return refusal

    outcomes = all_at_once(2, pay)

    assert sorted(type(o).__name__ for o in outcomes) == ["BudgetExceeded", "Written"]
    project = ledger.house(house)
    assert sum(project.paid.values()) == 6_000_000
    assert ledger.fund(fund).balance + ledger.fund(other).balance == 34_000_000


def test_racing_receipts_take_consecutive_slip_numbers_without_gap_or_duplicate(
    services: Services,
) -> None:
    ledger = services.ledger
    fund, treasurer = open_fund(ledger)
    threads, per_thread = 12, 5

    def record(thread: int) -> list[int]:
        return [
            # cash receipts take receipt slips (phiếu thu); a bank credit takes none
            ledger.record_receipt(
                treasurer, fund, replace(gift(10_000 + thread), channel=Channel.CASH)
            ).body["slip_no"]
            for _ in range(per_thread)
        ]

    numbers = sorted(n for batch in all_at_once(threads, record) for n in batch)

    assert numbers == list(range(1, threads * per_thread + 1))
    services.runner.catch_up()
    with services.db.transaction() as tx:
        stored = tx.all(
            "SELECT slip_no, slip_ref FROM ledger_entries WHERE fund_id = :fund ORDER BY seq",
            {"fund": str(fund)},
        )
    assert [row["slip_no"] for row in stored] == numbers
    assert len({row["slip_ref"] for row in stored}) == len(numbers)
    assert ledger.fund(fund).slips == {str(DAY.year): threads * per_thread}


def test_two_imports_of_one_statement_at_once_record_each_transfer_once(
    services: Services, tmp_path: Any
) -> None:
    from service.application import import_jobs as imports

    ledger = services.ledger
    fund, treasurer = open_fund(ledger)
    lines = [
        f"10/09/2025,FT{i:08d},{(i % 7 + 1) * 100_000},NGUYEN VAN {i} ung ho,NGUYEN VAN {i}"
        for i in range(1_200)
    ]
    path = tmp_path / "sao-ke.csv"
    path.write_text("Ngày,Mã giao dịch,Số tiền,Nội dung,Người chuyển\n" + "\n".join(lines))

    def run_import(_: int) -> int:
        prepared = imports.prepare(path, path.name, imports.layout_of("sovang"))
        return imports.run(services, treasurer, fund, prepared, dry_run=False).recorded

    recorded = all_at_once(2, run_import)

    assert sum(recorded) == 1_200
    services.runner.catch_up()
    rows = ledger_rows(services, fund)
    assert len(rows) == 1_200
    assert [row["seq"] for row in rows] == list(range(2, 1_202))
    assert ledger.fund(fund).balance == sum((i % 7 + 1) * 100_000 for i in range(1_200))
