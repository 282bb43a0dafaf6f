"""Properties of the ledger under random sequences of commands, on both stores.

A small model predicts each command's answer (accepted, or which refusal); afterwards
every fund's balance agrees across the aggregate, the model, the funds table and the
ledger's running balance, no running balance is negative, and rebuilding the
projections from scratch gives the same rows as building them as events arrived.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from uuid import UUID

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from service.application import Ledger, Request
from service.bootstrap import Services
from service.domain.errors import (
    AlreadyReversed,
    DomainError,
    InsufficientFunds,
    InvalidInput,
    NotReversible,
    PeriodClosed,
)
from service.domain.funds import Disbursement, Donor, InKind, Receipt, entry_id_for
from service.domain.money import Money
from service.domain.vocabulary import Category, Channel, DonorKind, FundKind, Level
from tests.conftest import ADMIN, read_models, treasurer_of

FIRST_DAY = date(2025, 1, 1)

fund_index = st.integers(0, 2)
days = st.integers(0, 180).map(lambda n: FIRST_DAY + timedelta(days=n))
amounts = st.one_of(st.integers(1, 20).map(lambda n: n * 100_000), st.integers(1, 3_000_000))
commands = st.lists(
    st.one_of(
        st.tuples(st.just("receipt"), fund_index, amounts, days),
        st.tuples(st.just("receipt"), fund_index, amounts, days),
        st.tuples(st.just("goods"), fund_index, amounts, days),
        st.tuples(st.just("disburse"), fund_index, amounts, days),
        st.tuples(st.just("transfer"), fund_index, fund_index, amounts, days),
        st.tuples(st.just("reverse"), st.integers(0, 1_000)),
        st.tuples(st.just("reverse"), st.integers(0, 1_000)),
        st.tuples(st.just("close"), fund_index, days),
    ),
    min_size=5,
    max_size=30,
)


@dataclass
class Entry:
    fund: UUID
    id: UUID
    effect: int
    is_reversal: bool = False
    counterpart: Entry | None = None


@dataclass
class Model:
    """What the ledger should answer, kept apart from the code under test."""

    funds: list[UUID]
    balance: dict[UUID, int] = field(default_factory=dict)
    closed: dict[UUID, date] = field(default_factory=dict)
    entries: list[Entry] = field(default_factory=list)
    reversed: set[UUID] = field(default_factory=set)

    def is_closed(self, fund: UUID, on: date) -> bool:
        return fund in self.closed and on <= self.closed[fund]


def run(ledger: Ledger, treasurer: Request, model: Model, command: tuple[Any, ...]) -> None:
    """Runs one command, checking that it is refused exactly when the model says so."""
    name, *args = command
    expected: type[DomainError] | None = None
    if name in ("receipt", "goods", "disburse"):
        index, amount, on = args
        fund = model.funds[index % len(model.funds)]
        if model.is_closed(fund, on):
            expected = PeriodClosed
        elif name == "disburse" and amount > model.balance[fund]:
            expected = InsufficientFunds
        effect = {"receipt": amount, "goods": 0, "disburse": -amount}[name]
        with expect(expected):
            if name == "disburse":
                written = ledger.record_disbursement(
                    treasurer, fund, Disbursement(Money(amount), on, Category.LIVELIHOOD)
                )
            else:
                written = ledger.record_receipt(treasurer, fund, receipt(name, amount, on))
            model.balance[fund] += effect
            model.entries.append(Entry(fund, UUID(written.body["entry_id"]), effect))
    elif name == "transfer":
        source_index, destination_index, amount, on = args
        source = model.funds[source_index % len(model.funds)]
        destination = model.funds[destination_index % len(model.funds)]
        if source == destination:
            expected = InvalidInput
        elif model.is_closed(source, on) or model.is_closed(destination, on):
            expected = PeriodClosed
        elif amount > model.balance[source]:
            expected = InsufficientFunds
        with expect(expected):
            written = ledger.record_transfer(
                treasurer, source, destination, Money(amount), on, None
            )
            sent = Entry(source, UUID(written.body["entry_id"]), -amount)
            received = Entry(
                destination, UUID(written.body["counterpart_entry_id"]), amount, counterpart=sent
            )
            sent.counterpart = received
            model.balance[source] -= amount
            model.balance[destination] += amount
            model.entries += [sent, received]
    elif name == "reverse":
        if not model.entries:
            return
        entry = model.entries[args[0] % len(model.entries)]
        sides = [entry] if entry.counterpart is None else [entry, entry.counterpart]
        if entry.is_reversal:
            expected = NotReversible
        elif entry.id in model.reversed:
            expected = AlreadyReversed
        elif any(model.balance[side.fund] - side.effect < 0 for side in sides):
            expected = InsufficientFunds
        with expect(expected):
            written = ledger.reverse_entry(treasurer, entry.fund, entry.id, "Ghi nhầm")
            for side in sides:
                model.balance[side.fund] -= side.effect
                model.reversed.add(side.id)
                reversal_id = (
                    UUID(written.body["entry_id"])
                    if side is entry
                    else entry_id_for(side.fund, ledger.fund(side.fund).version)
                )
                model.entries.append(Entry(side.fund, reversal_id, -side.effect, is_reversal=True))
    else:
        index, through = args
        fund = model.funds[index % len(model.funds)]
        if fund in model.closed and through <= model.closed[fund]:
            expected = PeriodClosed
        with expect(expected):
            ledger.close_period(treasurer, fund, through)
            model.closed[fund] = through


def expect(expected: type[DomainError] | None) -> refusal:
    """``refusal(expected)``, counted in Hypothesis's statistics."""
    event(expected.__name__ if expected else "accepted")
    return refusal(expected)


class refusal:  # noqa: N801 - reads as a context manager, like pytest.raises
    """Expects ``expected`` to be raised, or nothing when it is None."""

    def __init__(self, expected: type[DomainError] | None) -> None:
        self.expected = expected

    def __enter__(self) -> None:
        return None

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, _tb: Any
    ) -> bool:
        if self.expected is None:
            return False
        assert kind is self.expected, f"expected {self.expected.__name__}, got {error!r}"
        return True


def receipt(name: str, amount: int, on: date) -> Receipt:
    if name == "goods":
        return Receipt(
            Money(amount),
            on,
            Donor(None, DonorKind.ANONYMOUS),
            Channel.IN_KIND,
            in_kind=InKind("Bò giống", 1, "con"),
        )
    return Receipt(
        Money(amount), on, Donor("Công ty Hòa Phát", DonorKind.ORGANISATION), Channel.BANK
    )


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(fund_count=st.integers(2, 3), script=commands)
def test_balances_agree_everywhere_and_a_rebuild_gives_the_same_rows(
    services: Services, fund_count: int, script: list[tuple[Any, ...]]
) -> None:
    ledger = services.ledger
    unit = UUID(ledger.register_unit(ADMIN, "Phường Mẫu", Level.COMMUNE, None, None).body["id"])
    treasurer = treasurer_of(unit)
    funds = [
        UUID(ledger.open_fund(treasurer, unit, f"Quỹ {i}", FundKind.FOR_THE_POOR).body["id"])
        for i in range(fund_count)
    ]
    model = Model(funds, balance=dict.fromkeys(funds, 0))

    for command in script:
        run(ledger, treasurer, model, command)

    services.runner.wait_for(int(ledger.recorder.max_notification_id() or 0), timeout=10)
    with services.db.transaction() as tx:
        for fund in funds:
            aggregate = ledger.fund(fund)
            row = tx.one("SELECT * FROM funds WHERE id = :id", {"id": str(fund)})
            running = tx.all(
                "SELECT effect, running_balance FROM ledger_entries WHERE fund_id = :fund "
                "ORDER BY seq",
                {"fund": str(fund)},
            )
            assert row is not None
            last = running[-1]["running_balance"] if running else 0
            assert aggregate.balance == model.balance[fund] == row["balance"] == last
            assert all(r["running_balance"] >= 0 for r in running)
            before = 0
            for r in running:
                assert r["running_balance"] == before + r["effect"]
                before = r["running_balance"]
            assert row["balance"] == (
                row["total_received"]
                + row["total_transferred_in"]
                - row["total_disbursed"]
                - row["total_transferred_out"]
            )
            assert (
                row["entries_count"] == len(running) == sum(e.fund == fund for e in model.entries)
            )
            assert aggregate.closed_through == model.closed.get(fund)
            assert set(aggregate.reversed) == {
                e.id for e in model.entries if e.fund == fund and e.id in model.reversed
            }
        lowest = tx.scalar("SELECT MIN(running_balance) FROM ledger_entries")
        assert lowest is None or lowest >= 0
        reversed_rows = {
            r["entry_id"]
            for r in tx.all(
                "SELECT entry_id FROM ledger_entries WHERE reversed_by_entry_id IS NOT NULL"
            )
        }
    assert {str(e) for e in model.reversed} <= reversed_rows

    incremental = read_models(services.db)
    services.runner.rebuild()
    assert read_models(services.db) == incremental


def test_the_check_fails_whenever_the_answer_differs_from_the_models_prediction() -> None:
    """The property above only means something if refusals are checked precisely."""
    with pytest.raises(AssertionError), refusal(InsufficientFunds):
        raise PeriodClosed("closed")
    with pytest.raises(AssertionError), refusal(InsufficientFunds):
        pass
    with pytest.raises(PeriodClosed), refusal(None):
        raise PeriodClosed("closed")
    with refusal(PeriodClosed):
        raise PeriodClosed("closed")
