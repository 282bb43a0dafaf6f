"""A write's save on its fund's lock connection (``FundLocks.save_and_unlock``): committed
and unlocked in one round trip, and on a conflict rolled back with the lock kept."""

from __future__ import annotations

from uuid import uuid4

import psycopg
import pytest

from service.adapters.db import StoreUrl
from service.adapters.fund_locks import ADVISORY_CLASS, FundBusy, FundLocks, Reading

INSERT = "INSERT INTO saved (id) VALUES (%s) RETURNING id"


def locked_elsewhere(url: str, key: tuple[int, int]) -> bool:
    """Whether another session holds the lock (tried, and let go at once if taken)."""
    with psycopg.connect(url, autocommit=True) as other:
        row = other.execute("SELECT pg_try_advisory_lock(%s, %s)", key).fetchone()
        assert row is not None
        if row[0]:
            other.execute("SELECT pg_advisory_unlock(%s, %s)", key)
        return not row[0]


def test_a_conflicting_save_keeps_the_lock_and_the_next_one_commits_and_unlocks(
    postgres_url: str,
) -> None:
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE saved (id integer PRIMARY KEY)")
        conn.execute("INSERT INTO saved VALUES (1)")
    locks = FundLocks(StoreUrl.parse(postgres_url))
    fund = uuid4()
    key = (ADVISORY_CLASS, int.from_bytes(fund.bytes[:4], "big", signed=True))
    try:
        with locks.scope():
            assert locks.save_and_unlock(INSERT, [2]) is None  # no lock held yet
            locks.hold(fund)
            with pytest.raises(psycopg.errors.UniqueViolation):
                locks.save_and_unlock(INSERT, [1])
            assert locked_elsewhere(postgres_url, key)

            assert locks.save_and_unlock(INSERT, [3]) == [{"id": 3}]
            assert not locked_elsewhere(postgres_url, key)
            assert locks.save_and_unlock(INSERT, [4]) is None  # unlocked: saved elsewhere
        with locks.scope():
            locks.hold(fund)
            assert locked_elsewhere(postgres_url, key)
        assert not locked_elsewhere(postgres_url, key)
    finally:
        locks.close()
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        assert [row[0] for row in conn.execute("SELECT id FROM saved ORDER BY id")] == [1, 3]


def test_a_reading_survives_its_connection_losing_every_prepared_statement(
    postgres_url: str,
) -> None:
    """A conflict's ``ROLLBACK`` made psycopg clear its own prepared statements with
    ``DEALLOCATE ALL``, the reading's with them: the next write on that connection failed
    (503). The reading is prepared again, and the lock taken once."""
    reading = Reading(
        "sovang_test_reading", "PREPARE sovang_test_reading (int) AS SELECT $1 AS n", [7]
    )
    locks = FundLocks(StoreUrl.parse(postgres_url))
    fund = uuid4()
    key = (ADVISORY_CLASS, int.from_bytes(fund.bytes[:4], "big", signed=True))
    try:
        for _ in range(3):
            with locks.scope():
                assert locks.hold(fund, then=reading) == [{"n": 7}]
                assert locked_elsewhere(postgres_url, key)
                with pytest.raises(psycopg.errors.DivisionByZero):
                    locks.save_and_unlock("SELECT 1 / 0 AS id", [])
                locks._local.session.conn.execute("DEALLOCATE ALL")
            assert not locked_elsewhere(postgres_url, key)
    finally:
        locks.close()


def test_a_reading_that_times_out_after_the_lock_leaves_the_fund_unlocked(
    postgres_url: str,
) -> None:
    """The lock is granted, then the reading waits on a table another session holds
    past the lock's timeout: the write is refused (busy) and the fund is not left locked
    on a connection put back for later writes."""
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE blocked (n integer)")
    reading = Reading(
        "sovang_test_blocked",
        "PREPARE sovang_test_blocked (int) AS SELECT n FROM blocked WHERE n <> $1",
        [0],
    )
    locks = FundLocks(StoreUrl.parse(postgres_url), wait_seconds=0.5)
    fund = uuid4()
    key = (ADVISORY_CLASS, int.from_bytes(fund.bytes[:4], "big", signed=True))
    try:
        with locks.scope():
            locks.hold(uuid4(), then=reading)  # prepared on the connection before the block
        with psycopg.connect(postgres_url) as blocker:
            blocker.execute("LOCK TABLE blocked IN ACCESS EXCLUSIVE MODE")
            with locks.scope(), pytest.raises(FundBusy):
                locks.hold(fund, then=reading)
            blocker.rollback()
        assert not locked_elsewhere(postgres_url, key)
    finally:
        locks.close()
