"""A hot fund: many writers at once on one fund queue for its lock instead of bouncing
off each other's saves (``service.adapters.fund_locks``).

The write engine is allowed a single attempt here: a writer that loaded a version
another writer saved first would be answered 409 Conflict. With the fund's lock none is.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import TypeVar
from uuid import UUID

import psycopg
import pytest

from service.adapters.db import StoreUnavailable, StoreUrl
from service.adapters.fund_locks import ADVISORY_CLASS, FundBusy, FundLocks
from service.application import Ledger, Request, Written, engine
from service.bootstrap import Services
from service.config import Config
from service.domain.funds import Donor, Receipt
from service.domain.money import Money
from service.domain.vocabulary import Channel, DonorKind, FundKind, Level
from service.projections import funds as fund_view
from tests.conftest import ADMIN, treasurer_of

DAY = date(2025, 10, 1)
WRITERS = 16
T = TypeVar("T")


@pytest.fixture
def one_attempt(monkeypatch: pytest.MonkeyPatch) -> None:
    """No retry of an optimistic conflict: a writer that bounced would be answered 409."""
    monkeypatch.setattr(engine, "MAX_ATTEMPTS", 1)


def services_of(url: str, key: Path) -> Services:
    return Services(Config(database_url=url, pool_size=8, personal_data_key_path=key))


@pytest.fixture
def services(database_url: str, personal_data_key_path: Path) -> Iterator[Services]:
    svc = services_of(database_url, personal_data_key_path)
    yield svc
    svc.close()


def open_fund(ledger: Ledger) -> tuple[UUID, Request]:
    unit = UUID(ledger.register_unit(ADMIN, "Xã Nóng", Level.COMMUNE, None, None).body["id"])
    treasurer = treasurer_of(unit)
    fund = UUID(ledger.open_fund(treasurer, unit, "Quỹ cứu trợ bão lũ", FundKind.RELIEF).body["id"])
    return fund, treasurer


def gift(amount: int) -> Receipt:
    return Receipt(Money(amount), DAY, Donor("Lê Văn Tâm", DonorKind.INDIVIDUAL), Channel.BANK)


def all_at_once(count: int, task: Callable[[int], T]) -> list[T]:
    """Runs ``task(0..count-1)`` on ``count`` threads released together; bounded waits."""
    barrier = threading.Barrier(count)

    def run(index: int) -> T:
        barrier.wait(timeout=30)
        return task(index)

    with ThreadPoolExecutor(max_workers=count) as pool:
        futures = [pool.submit(run, index) for index in range(count)]
        return [future.result(timeout=120) for future in futures]


def check_recorded(services: Services, fund: UUID, written: list[Written]) -> None:
    """Each receipt answered once, in one serial story, and the fund's balance their sum."""
    amounts = [1_000 * (n + 1) for n in range(len(written))]
    total = sum(amounts)
    assert len({w.position for w in written}) == len(written)
    assert len({w.body["entry_id"] for w in written}) == len(written)
    # In the order they were saved, each balance is the last one plus one of the receipts.
    balances = [0] + [w.body["balance"] for w in sorted(written, key=lambda w: w.position)]
    assert sorted(b - a for a, b in itertools.pairwise(balances)) == amounts
    assert balances[-1] == total == services.ledger.fund(fund).balance
    services.runner.wait_for(max(w.position for w in written), timeout=30)
    with services.db.transaction() as tx:
        projected = fund_view.get(tx, str(fund))
    assert projected is not None
    assert projected["balance"] == total


def test_sixteen_writers_on_one_fund_all_succeed_without_a_retry(
    services: Services, one_attempt: None
) -> None:
    ledger = services.ledger
    fund, treasurer = open_fund(ledger)

    written = all_at_once(
        WRITERS, lambda n: ledger.record_receipt(treasurer, fund, gift(1_000 * (n + 1)))
    )

    check_recorded(services, fund, written)


@pytest.mark.postgres_only
def test_sixteen_writers_in_two_processes_queue_on_the_advisory_lock(
    postgres_url: str, personal_data_key_path: Path, one_attempt: None
) -> None:
    """Two services on one database, as two gunicorn workers: their locks in the process
    are apart, so only the advisory lock keeps their writers from bouncing."""
    first = services_of(postgres_url, personal_data_key_path)
    second = services_of(postgres_url, personal_data_key_path)
    try:
        fund, treasurer = open_fund(first.ledger)
        ledgers = [first.ledger, second.ledger]

        written = all_at_once(
            WRITERS,
            lambda n: ledgers[n % 2].record_receipt(treasurer, fund, gift(1_000 * (n + 1))),
        )

        check_recorded(first, fund, written)
    finally:
        first.close()
        second.close()


@pytest.mark.postgres_only
def test_a_writer_that_waits_too_long_for_its_fund_is_told_the_store_is_busy(
    postgres_url: str,
) -> None:
    url = StoreUrl.parse(postgres_url)
    impatient = Ledger(
        url.eventsourcing_env(create_table=False, pool_size=2),
        fund_locks=FundLocks(url, wait_seconds=0.2),
    )
    try:
        fund, treasurer = open_fund(impatient)
        key = int.from_bytes(fund.bytes[:4], "big", signed=True)
        with psycopg.connect(url.libpq_url, autocommit=True) as holder:
            holder.execute("SELECT pg_advisory_lock(%s, %s)", (ADVISORY_CLASS, key))
            with pytest.raises(FundBusy) as refused:
                impatient.record_receipt(treasurer, fund, gift(1_000))
            assert isinstance(refused.value, StoreUnavailable)  # answered 503
        # The lock released, the same writer goes through.
        assert impatient.record_receipt(treasurer, fund, gift(1_000)).body["balance"] == 1_000
    finally:
        impatient.close()
