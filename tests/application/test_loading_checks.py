"""Loading an aggregate refuses stored events that are not leaves of the log."""

from __future__ import annotations

import time
from datetime import date
from typing import Any
from uuid import UUID

import pytest

from service.adapters.log_recorders import EventOutsideLog
from service.application import Ledger
from service.bootstrap import Services
from service.config import Config
from service.domain.funds import Donor, Receipt
from service.domain.money import Money
from service.domain.vocabulary import Channel, DonorKind, FundKind, Level
from tests.conftest import ADMIN, treasurer_of


def open_fund_with_gifts(ledger: Ledger, count: int) -> UUID:
    unit = UUID(ledger.register_unit(ADMIN, "Xã Mẫu", Level.COMMUNE, None, None).body["id"])
    treasurer = treasurer_of(unit)
    fund = UUID(ledger.open_fund(treasurer, unit, "Quỹ", FundKind.FOR_THE_POOR).body["id"])
    for i in range(count):
        gift = Receipt(
            Money(100_000 + i),
            date(2025, 5, 1),
            Donor("Lê Thị Hoa", DonorKind.INDIVIDUAL),
            Channel.CASH,
        )
        ledger.record_receipt(treasurer, fund, gift)
    return fund


def events_table(services: Services) -> tuple[str, str]:
    if services.db.dialect == "sqlite":
        return "stored_events", "rowid"
    return "sovang_events", "notification_id"


def stored_key(services: Services, fund: UUID) -> Any:
    return fund.hex if services.db.dialect == "sqlite" else fund


def fresh_services(services: Services) -> Services:
    """Another process's services on the same store: nothing cached from before."""
    return Services(Config(database_url=services.config.database_url))


def test_an_event_copied_outside_the_log_is_refused_on_load(services: Services) -> None:
    ledger = services.ledger
    fund = open_fund_with_gifts(ledger, 3)
    services.runner.catch_up()
    balance = ledger.fund(fund).balance
    table, column = events_table(services)
    with services.db.transaction(write=True) as tx:
        last = tx.one(
            f"SELECT originator_version, topic, state FROM {table} WHERE originator_id = :id "
            "ORDER BY originator_version DESC LIMIT 1",
            {"id": stored_key(services, fund)},
        )
        assert last is not None
        tx.execute(
            f"INSERT INTO {table} ({column}, originator_id, originator_version, topic, state) "
            "VALUES (-5, :id, :version, :topic, :state)",
            {
                "id": stored_key(services, fund),
                "version": int(last["originator_version"]) + 1,
                "topic": last["topic"],
                "state": bytes(last["state"]),
            },
        )
    # The process that had the fund in memory brings it up to date: refused.
    with pytest.raises(EventOutsideLog, match="notification_id -5"):
        ledger.fund(fund)
    other = fresh_services(services)
    try:
        with pytest.raises(EventOutsideLog, match="notification_id -5"):
            other.ledger.fund(fund)
    finally:
        other.close()
    assert balance == 300_003


def test_an_event_changed_in_place_is_refused_once_the_tree_holds_it(
    services: Services,
) -> None:
    fund = open_fund_with_gifts(services.ledger, 2)
    services.runner.catch_up()
    table, column = events_table(services)
    with services.db.transaction(write=True) as tx:
        position = tx.scalar(
            f"SELECT MAX({column}) AS p FROM {table} WHERE originator_id = :id",
            {"id": stored_key(services, fund)},
        )
        state = bytes(tx.scalar(f"SELECT state FROM {table} WHERE {column} = :p", {"p": position}))
        forged = state.replace(b'"amount":', b'"amount": ', 1)
        assert forged != state
        tx.execute(
            f"UPDATE {table} SET state = :state WHERE {column} = :p",
            {"state": forged, "p": position},
        )
    other = fresh_services(services)
    try:
        with pytest.raises(EventOutsideLog, match=f"vị trí {position}"):
            other.ledger.fund(fund)
    finally:
        other.close()


def test_events_the_tree_has_not_reached_yet_are_loaded(services: Services) -> None:
    fund = open_fund_with_gifts(services.ledger, 2)
    other = fresh_services(services)
    try:
        assert other.ledger.fund(fund).balance == 200_001
        assert services.runner.position() == 0
    finally:
        other.close()


def test_the_check_costs_little_on_load(services: Services) -> None:
    """Loading a fund of 99 events (no snapshot yet) with and without the check."""
    from eventsourcing.postgres import PostgresApplicationRecorder
    from eventsourcing.sqlite import SQLiteApplicationRecorder

    fund = open_fund_with_gifts(services.ledger, 98)
    services.runner.catch_up()
    recorder = services.ledger.recorder
    plain = (
        SQLiteApplicationRecorder
        if services.db.dialect == "sqlite"
        else PostgresApplicationRecorder
    )

    def best(select: Any) -> float:
        times = []
        for _ in range(20):
            started = time.perf_counter()
            events = select(recorder, fund)
            times.append(time.perf_counter() - started)
        assert len(events) == 99
        return min(times)

    checked = best(type(recorder).select_events)
    unchecked = best(plain.select_events)
    print(f"load of 99 events: checked {checked * 1000:.2f} ms, plain {unchecked * 1000:.2f} ms")
    assert checked < unchecked * 3 + 0.005


def test_the_lookup_of_many_aggregates_finds_each_and_checks_it(services: Services) -> None:
    """The import's one lookup of a batch's marks (``originators_present``) answers the
    ids that have events, whatever else the store holds, and refuses an event changed
    in place as a load refuses it."""
    from uuid import uuid4

    fund = open_fund_with_gifts(services.ledger, 2)
    other_fund = open_fund_with_gifts(services.ledger, 1)
    services.runner.catch_up()
    recorder: Any = services.ledger.recorder
    absent = [uuid4() for _ in range(700)]
    assert recorder.originators_present([fund, *absent, other_fund]) == {fund, other_fund}
    assert recorder.originators_present(absent) == set()
    assert recorder.originators_present([]) == set()
    table, column = events_table(services)
    with services.db.transaction(write=True) as tx:
        position = tx.scalar(
            f"SELECT MAX({column}) AS p FROM {table} WHERE originator_id = :id",
            {"id": stored_key(services, fund)},
        )
        state = bytes(tx.scalar(f"SELECT state FROM {table} WHERE {column} = :p", {"p": position}))
        tx.execute(
            f"UPDATE {table} SET state = :state WHERE {column} = :p",
            {"state": state.replace(b'"amount":', b'"amount": ', 1), "p": position},
        )
    with pytest.raises(EventOutsideLog, match=f"vị trí {position}"):
        recorder.originators_present([*absent, fund])
    assert recorder.originators_present([other_fund, *absent]) == {other_fund}
