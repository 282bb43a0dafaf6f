"""A write's save on its fund's lock connection (``FundLocks.save_and_unlock``): committed
and unlocked in one round trip, and on a conflict rolled back with the lock kept."""

from __future__ import annotations

from uuid import uuid4

import psycopg
import pytest

from service.adapters.db import StoreUrl
from service.adapters.fund_locks import ADVISORY_CLASS, FundLocks

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
