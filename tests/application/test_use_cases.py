"""The use cases on a real store (SQLite and PostgreSQL): atomic writes, reversals,
scope, snapshots, and projections that resume and apply every event exactly once."""

from __future__ import annotations

from datetime import date
from typing import Any, cast
from uuid import UUID, uuid4

import pytest

from service.application import Ledger, Request
from service.bootstrap import Services
from service.domain.errors import (
    AlreadyReversed,
    EntryNotFound,
    Forbidden,
    FundNotFound,
    InsufficientFunds,
    InvalidInput,
    NotReversible,
    PeriodClosed,
)
from service.domain.funds import Disbursement, Donor, Fund, InKind, Receipt, entry_id_for
from service.domain.money import Money
from service.domain.vocabulary import Category, Channel, DonorKind, FundKind, Level
from service.projections import all_projections
from service.projections import audit as audit_view
from service.projections import funds as fund_view
from service.projections import ledger as ledger_view
from service.projections.runner import ProjectionRunner
from tests.conftest import ADMIN, read_models, treasurer_of

DAY = date(2025, 3, 1)


def register_unit(
    ledger: Ledger, name: str = "Xã Mẫu", level: Level = Level.COMMUNE, parent: UUID | None = None
) -> UUID:
    return UUID(ledger.register_unit(ADMIN, name, level, parent, None).body["id"])


def open_fund(ledger: Ledger, unit: UUID, name: str = "Quỹ Vì người nghèo") -> UUID:
    return UUID(ledger.open_fund(treasurer_of(unit), unit, name, FundKind.FOR_THE_POOR).body["id"])


def commune_with_funds(ledger: Ledger, count: int = 1) -> tuple[Request, list[UUID]]:
    unit = register_unit(ledger)
    return treasurer_of(unit), [open_fund(ledger, unit, f"Quỹ {i}") for i in range(count)]


def gift(amount: int, on: date = DAY) -> Receipt:
    return Receipt(Money(amount), on, Donor("Nguyễn Văn An", DonorKind.INDIVIDUAL), Channel.CASH)


def payment(amount: int, on: date = DAY) -> Disbursement:
    return Disbursement(Money(amount), on, Category.HOUSE_NEW_BUILD)


def ledger_rows(services: Services, fund: UUID) -> list[dict[str, Any]]:
    with services.db.transaction() as tx:
        return ledger_view.entries(
            tx, str(fund), occurred_from=None, occurred_to=None, after_seq=0, limit=1000
        )


def fund_row(services: Services, fund: UUID) -> dict[str, Any]:
    with services.db.transaction() as tx:
        row = fund_view.get(tx, str(fund))
    assert row is not None
    return row


def notifications_count(ledger: Ledger) -> int:
    return len(ledger.recorder.select_notifications(start=None, limit=1_000_000))


def entries_in_log(ledger: Ledger) -> int:
    return sum(
        isinstance(ledger.mapper.to_domain_event(n), Fund.EntryRecorded)
        for n in ledger.recorder.select_notifications(start=None, limit=1_000_000)
    )


# Transfers -------------------------------------------------------------------


def test_a_transfer_moves_money_between_funds_in_one_write(
    services: Services, ledger: Ledger
) -> None:
    treasurer, (source, destination) = commune_with_funds(ledger, 2)
    ledger.record_receipt(treasurer, source, gift(5_000_000))
    written = ledger.record_transfer(
        treasurer, source, destination, Money(3_000_000), DAY, "Điều tiết"
    )
    assert (ledger.fund(source).balance, ledger.fund(destination).balance) == (2_000_000, 3_000_000)
    services.runner.wait_for(written.position, timeout=5)
    sent, received = ledger_rows(services, source)[-1], ledger_rows(services, destination)[-1]
    assert written.body["entry_id"] == sent["entry_id"]
    assert written.body["counterpart_entry_id"] == received["entry_id"]
    assert sent["counterpart_entry_id"] == received["entry_id"]
    assert received["counterpart_entry_id"] == sent["entry_id"]
    assert (sent["kind"], sent["effect"], received["kind"], received["effect"]) == (
        "transfer_out",
        -3_000_000,
        "transfer_in",
        3_000_000,
    )
    assert fund_row(services, source)["total_transferred_out"] == 3_000_000
    assert fund_row(services, destination)["total_transferred_in"] == 3_000_000


def test_a_transfer_refused_for_want_of_money_changes_neither_fund(ledger: Ledger) -> None:
    treasurer, (source, destination) = commune_with_funds(ledger, 2)
    ledger.record_receipt(treasurer, source, gift(1_000_000))
    ledger.record_receipt(treasurer, destination, gift(500_000))
    versions = (ledger.fund(source).version, ledger.fund(destination).version)
    head = ledger.recorder.max_notification_id()
    with pytest.raises(InsufficientFunds):
        ledger.record_transfer(treasurer, source, destination, Money(1_000_001), DAY, None)
    assert (ledger.fund(source).balance, ledger.fund(destination).balance) == (1_000_000, 500_000)
    assert (ledger.fund(source).version, ledger.fund(destination).version) == versions
    assert ledger.recorder.max_notification_id() == head


def test_a_transfer_into_a_closed_period_takes_nothing_from_the_source(ledger: Ledger) -> None:
    treasurer, (source, destination) = commune_with_funds(ledger, 2)
    ledger.record_receipt(treasurer, source, gift(1_000_000, date(2025, 1, 5)))
    ledger.close_period(treasurer, destination, date(2025, 3, 31))
    head = ledger.recorder.max_notification_id()
    with pytest.raises(PeriodClosed):
        ledger.record_transfer(
            treasurer, source, destination, Money(100_000), date(2025, 3, 15), None
        )
    assert (ledger.fund(source).balance, ledger.fund(destination).balance) == (1_000_000, 0)
    assert ledger.recorder.max_notification_id() == head


def test_a_transfer_to_an_unknown_fund_is_refused_and_takes_nothing(ledger: Ledger) -> None:
    treasurer, (source,) = commune_with_funds(ledger)
    ledger.record_receipt(treasurer, source, gift(1_000_000))
    with pytest.raises(InvalidInput) as refused:
        ledger.record_transfer(treasurer, source, uuid4(), Money(100_000), DAY, None)
    assert refused.value.field == "to_fund_id"
    with pytest.raises(InvalidInput):
        ledger.record_transfer(treasurer, source, source, Money(100_000), DAY, None)
    assert ledger.fund(source).balance == 1_000_000


@pytest.mark.parametrize("side", ["sent", "received"])
def test_reversing_a_transfer_from_either_side_reverses_both_sides(
    services: Services, ledger: Ledger, side: str
) -> None:
    treasurer, (source, destination) = commune_with_funds(ledger, 2)
    ledger.record_receipt(treasurer, source, gift(5_000_000))
    ledger.record_receipt(treasurer, destination, gift(1_000_000))
    moved = ledger.record_transfer(treasurer, source, destination, Money(3_000_000), DAY, None)
    sent_id = UUID(moved.body["entry_id"])
    received_id = UUID(moved.body["counterpart_entry_id"])
    fund, entry, other, other_entry = (
        (source, sent_id, destination, received_id)
        if side == "sent"
        else (destination, received_id, source, sent_id)
    )
    written = ledger.reverse_entry(treasurer, fund, entry, "Chuyển nhầm quỹ")
    assert (ledger.fund(source).balance, ledger.fund(destination).balance) == (5_000_000, 1_000_000)
    assert ledger.fund(source).reversed == [sent_id]
    assert ledger.fund(destination).reversed == [received_id]
    head = ledger.recorder.max_notification_id()
    with pytest.raises(AlreadyReversed):
        ledger.reverse_entry(treasurer, other, other_entry, "Lần nữa")
    with pytest.raises(AlreadyReversed):
        ledger.reverse_entry(treasurer, fund, entry, "Lần nữa")
    assert ledger.recorder.max_notification_id() == head

    services.runner.wait_for(written.position, timeout=5)
    for fund_id, entry_id in ((source, sent_id), (destination, received_id)):
        rows = ledger_rows(services, fund_id)
        transfer_row = next(r for r in rows if r["entry_id"] == str(entry_id))
        reversal_row = rows[-1]
        assert reversal_row["kind"] == "reversal"
        assert reversal_row["reverses_entry_id"] == str(entry_id)
        assert transfer_row["reversed_by_entry_id"] == reversal_row["entry_id"]
        assert reversal_row["running_balance"] == ledger.fund(fund_id).balance
    assert fund_row(services, source)["balance"] == 5_000_000
    assert fund_row(services, source)["total_transferred_out"] == 0
    assert fund_row(services, destination)["total_transferred_in"] == 0


def test_a_transfer_is_not_reversed_when_the_destination_has_spent_the_money(
    ledger: Ledger,
) -> None:
    treasurer, (source, destination) = commune_with_funds(ledger, 2)
    ledger.record_receipt(treasurer, source, gift(5_000_000))
    moved = ledger.record_transfer(treasurer, source, destination, Money(3_000_000), DAY, None)
    ledger.record_disbursement(treasurer, destination, payment(2_000_000))
    head = ledger.recorder.max_notification_id()
    with pytest.raises(InsufficientFunds):
        ledger.reverse_entry(treasurer, source, UUID(moved.body["entry_id"]), "Chuyển nhầm")
    assert (ledger.fund(source).balance, ledger.fund(destination).balance) == (2_000_000, 1_000_000)
    assert ledger.fund(source).reversed == []
    assert ledger.recorder.max_notification_id() == head


# Reversals -------------------------------------------------------------------


def test_reversing_a_receipt_restores_the_balance_and_marks_the_ledger_row_reversed(
    services: Services, ledger: Ledger
) -> None:
    treasurer, (fund,) = commune_with_funds(ledger)
    wrong = ledger.record_receipt(treasurer, fund, gift(9_000_000))
    ledger.record_receipt(treasurer, fund, gift(1_000_000))
    reversal = ledger.reverse_entry(
        treasurer, fund, UUID(wrong.body["entry_id"]), "Ghi nhầm số tiền"
    )
    assert reversal.body["balance"] == 1_000_000
    assert reversal.body["reversed_entry_id"] == wrong.body["entry_id"]
    assert ledger.fund(fund).balance == 1_000_000

    services.runner.wait_for(reversal.position, timeout=5)
    rows = ledger_rows(services, fund)
    assert [(r["kind"], r["running_balance"]) for r in rows] == [
        ("receipt", 9_000_000),
        ("receipt", 10_000_000),
        ("reversal", 1_000_000),
    ]
    assert rows[0]["reversed_by_entry_id"] == reversal.body["entry_id"] == rows[2]["entry_id"]
    assert rows[1]["reversed_by_entry_id"] is None
    assert (rows[2]["reason"], rows[2]["reverses_entry_id"]) == (
        "Ghi nhầm số tiền",
        wrong.body["entry_id"],
    )
    row = fund_row(services, fund)
    assert (row["balance"], row["total_received"]) == (1_000_000, 1_000_000)


def test_a_reversal_cannot_be_reversed_through_the_application(ledger: Ledger) -> None:
    treasurer, (fund,) = commune_with_funds(ledger)
    wrong = ledger.record_receipt(treasurer, fund, gift(1_000_000))
    reversal = ledger.reverse_entry(treasurer, fund, UUID(wrong.body["entry_id"]), "Nhầm")
    with pytest.raises(NotReversible):
        ledger.reverse_entry(treasurer, fund, UUID(reversal.body["entry_id"]), "Nhầm")
    assert ledger.fund(fund).balance == 0


# Not found -------------------------------------------------------------------


def test_an_unknown_fund_is_not_found_by_any_use_case(ledger: Ledger) -> None:
    treasurer, (fund,) = commune_with_funds(ledger)
    unit = ledger.fund(fund).unit_id
    head = ledger.recorder.max_notification_id()
    for missing in (uuid4(), unit):
        with pytest.raises(FundNotFound):
            ledger.fund(missing)
        with pytest.raises(FundNotFound):
            ledger.record_receipt(treasurer, missing, gift(1_000))
        with pytest.raises(FundNotFound):
            ledger.record_disbursement(treasurer, missing, payment(1_000))
        with pytest.raises(FundNotFound):
            ledger.record_transfer(treasurer, missing, fund, Money(1_000), DAY, None)
        with pytest.raises(FundNotFound):
            ledger.reverse_entry(treasurer, missing, uuid4(), "Nhầm")
        with pytest.raises(FundNotFound):
            ledger.close_period(treasurer, missing, DAY)
    assert ledger.recorder.max_notification_id() == head


def test_an_unknown_entry_is_not_found(ledger: Ledger) -> None:
    treasurer, (fund, other) = commune_with_funds(ledger, 2)
    ledger.record_receipt(treasurer, fund, gift(1_000_000))
    elsewhere = ledger.record_receipt(treasurer, other, gift(1_000_000))
    ledger.close_period(treasurer, fund, date(2025, 1, 31))
    current = ledger.fund(fund)
    for missing in (
        uuid4(),
        UUID(elsewhere.body["entry_id"]),
        entry_id_for(fund, 1),  # the fund's opening is no entry
        entry_id_for(fund, current.version),  # nor is a period close
        entry_id_for(fund, current.version + 1),  # not recorded yet
        entry_id_for(fund, 0),
    ):
        with pytest.raises(EntryNotFound):
            ledger.reverse_entry(treasurer, fund, missing, "Nhầm")
    assert ledger.fund(fund).balance == 1_000_000
    assert ledger.fund(other).balance == 1_000_000


# Who may write ---------------------------------------------------------------


def test_a_treasurer_of_another_unit_is_forbidden_to_touch_the_fund(ledger: Ledger) -> None:
    owner, (fund,) = commune_with_funds(ledger)
    _, (own_fund,) = commune_with_funds(ledger)
    ledger.record_receipt(owner, fund, gift(1_000_000))
    stranger = treasurer_of(ledger.fund(own_fund).unit_id)
    receipt_id = UUID(ledger.record_receipt(owner, fund, gift(1_000)).body["entry_id"])
    head = ledger.recorder.max_notification_id()
    with pytest.raises(Forbidden):
        ledger.record_receipt(stranger, fund, gift(1_000))
    with pytest.raises(Forbidden):
        ledger.record_disbursement(stranger, fund, payment(1_000))
    with pytest.raises(Forbidden):
        ledger.record_transfer(stranger, fund, own_fund, Money(1_000), DAY, None)
    with pytest.raises(Forbidden):
        ledger.reverse_entry(stranger, fund, receipt_id, "Nhầm")
    with pytest.raises(Forbidden):
        ledger.close_period(stranger, fund, DAY)
    with pytest.raises(Forbidden):
        ledger.open_fund(stranger, ledger.fund(fund).unit_id, "Quỹ lạ", FundKind.OTHER)
    assert ledger.fund(fund).balance == 1_001_000
    assert ledger.recorder.max_notification_id() == head


def test_an_admin_may_open_funds_but_not_record_money(ledger: Ledger) -> None:
    unit = register_unit(ledger)
    fund = UUID(ledger.open_fund(ADMIN, unit, "Quỹ cứu trợ", FundKind.RELIEF).body["id"])
    with pytest.raises(Forbidden):
        ledger.record_receipt(ADMIN, fund, gift(1_000))
    assert ledger.fund(fund).balance == 0


def test_a_treasurer_of_a_parent_unit_may_write_to_a_child_units_fund(ledger: Ledger) -> None:
    province = register_unit(ledger, "Tỉnh Quảng Trị", Level.PROVINCE)
    district = register_unit(ledger, "Huyện Gio Linh", Level.DISTRICT, province)
    commune = register_unit(ledger, "Xã Gio Mỹ", Level.COMMUNE, district)
    commune_fund = open_fund(ledger, commune)
    district_fund = open_fund(ledger, district)
    for above in (treasurer_of(province), treasurer_of(district)):
        ledger.record_receipt(above, commune_fund, gift(1_000_000))
        ledger.record_disbursement(above, commune_fund, payment(400_000))
    assert ledger.fund(commune_fund).balance == 1_200_000
    ledger.close_period(treasurer_of(province), commune_fund, date(2025, 1, 31))
    assert ledger.fund(commune_fund).closed_through == date(2025, 1, 31)
    with pytest.raises(Forbidden):
        ledger.record_receipt(treasurer_of(commune), district_fund, gift(1_000))
    assert ledger.fund(district_fund).balance == 0


# Idempotency -----------------------------------------------------------------


def test_a_retried_request_refused_for_an_invalid_value_is_refused_again(ledger: Ledger) -> None:
    treasurer, (fund,) = commune_with_funds(ledger)
    keyed = Request(treasurer.actor, idempotency_key="thu-future", fingerprint="body-1")
    future = gift(1_000, date(2099, 1, 1))
    with pytest.raises(InvalidInput) as first:
        ledger.record_receipt(keyed, fund, future)
    with pytest.raises(InvalidInput) as again:
        ledger.record_receipt(keyed, fund, future)
    assert again.value.field == first.value.field == "occurred_on"
    assert again.value.detail == first.value.detail
    assert ledger.fund(fund).balance == 0


# Snapshots -------------------------------------------------------------------


def test_a_fund_with_a_long_history_loads_from_a_snapshot_with_the_right_state(
    services: Services, ledger: Ledger
) -> None:
    treasurer, (fund,) = commune_with_funds(ledger)
    early = ledger.record_receipt(treasurer, fund, gift(7_000_000, date(2025, 1, 5)))
    ledger.reverse_entry(treasurer, fund, UUID(early.body["entry_id"]), "Ghi nhầm")
    ledger.close_period(treasurer, fund, date(2025, 1, 31))
    kept = ledger.record_receipt(treasurer, fund, gift(50_000, date(2025, 2, 1)))
    for i in range(104):
        if i % 10 == 9:
            ledger.record_disbursement(treasurer, fund, payment(30_000, date(2025, 2, 2)))
        else:
            ledger.record_receipt(treasurer, fund, gift(10_000 + i, date(2025, 2, 2)))
    receipts = sum(10_000 + i for i in range(104) if i % 10 != 9)
    expected = 50_000 + receipts - 10 * 30_000

    snapshots = list(ledger.snapshots.get(fund)) if ledger.snapshots else []
    assert [s.originator_version for s in snapshots] == [100]
    fresh = Ledger(env=services.url.eventsourcing_env(create_table=False, pool_size=1))
    try:
        loaded = fresh.fund(fund)
        from_events: Any = None
        for event in fresh.events.get(fund):
            from_events = cast(Any, event).mutate(from_events)
        assert loaded.version == from_events.version == 109
        assert loaded.balance == from_events.balance == expected
        assert loaded.closed_through == from_events.closed_through == date(2025, 1, 31)
        assert loaded.reversed == from_events.reversed == [UUID(early.body["entry_id"])]

        with pytest.raises(AlreadyReversed):
            fresh.reverse_entry(treasurer, fund, UUID(early.body["entry_id"]), "Lần nữa")
        with pytest.raises(PeriodClosed):
            fresh.record_receipt(treasurer, fund, gift(1_000, date(2025, 1, 20)))
        with pytest.raises(InsufficientFunds):
            fresh.record_disbursement(treasurer, fund, payment(expected + 1, date(2025, 2, 3)))
        written = fresh.reverse_entry(treasurer, fund, UUID(kept.body["entry_id"]), "Trả lại")
        assert written.body["balance"] == expected - 50_000
    finally:
        fresh.close()
    assert ledger.fund(fund).balance == expected - 50_000
    services.runner.wait_for(written.position, timeout=5)
    row = fund_row(services, fund)
    assert (row["balance"], row["entries_count"]) == (expected - 50_000, 108)
    assert ledger_rows(services, fund)[-1]["running_balance"] == expected - 50_000


# Projections: resumable, exactly once -------------------------------------------


def record_history(ledger: Ledger) -> tuple[UUID, UUID]:
    """A little of everything: units, funds, money in, out, across, back, a key, a close."""
    treasurer, (fund, other) = commune_with_funds(ledger, 2)
    ledger.record_receipt(treasurer, fund, gift(5_000_000))
    goods = InKind("Gạo", 20, "bao")
    ledger.record_receipt(
        treasurer,
        fund,
        Receipt(
            Money(3_000_000), DAY, Donor(None, DonorKind.ANONYMOUS), Channel.IN_KIND, in_kind=goods
        ),
    )
    paid = ledger.record_disbursement(treasurer, fund, payment(1_000_000))
    ledger.record_transfer(treasurer, fund, other, Money(2_000_000), DAY, None)
    ledger.reverse_entry(treasurer, fund, UUID(paid.body["entry_id"]), "Chi nhầm")
    ledger.record_disbursement(treasurer, other, payment(500_000))
    keyed = Request(treasurer.actor, idempotency_key="k-1", fingerprint="f")
    ledger.record_receipt(keyed, other, gift(100_000))
    ledger.close_period(treasurer, other, date(2025, 2, 28))
    return fund, other


def test_the_projections_resume_where_they_stopped_and_apply_each_event_once(
    services: Services, ledger: Ledger
) -> None:
    fund, other = record_history(ledger)
    head = int(ledger.recorder.max_notification_id() or 0)
    ids = [n.id for n in ledger.recorder.select_notifications(start=None, limit=1_000)]
    assert len(ids) > 12

    first = ProjectionRunner(
        ledger.recorder, ledger.mapper, services.db, all_projections(), page_size=3
    )
    assert set(first.positions().values()) == {0}
    assert first.process_page() == 3
    assert first.process_page() == 3
    assert set(first.positions().values()) == {ids[5]}
    # Killed between two projections: the ledger went further than the others.
    only_ledger = [p for p in all_projections() if p.name == "ledger"]
    ahead = ProjectionRunner(ledger.recorder, ledger.mapper, services.db, only_ledger, page_size=3)
    ahead.process_page()
    ahead.process_page()
    assert ahead.positions() == {"ledger": ids[11]}

    second = ProjectionRunner(
        ledger.recorder, ledger.mapper, services.db, all_projections(), page_size=3
    )
    assert min(second.positions().values()) == ids[5]
    assert second.catch_up() == head
    assert set(second.positions().values()) == {head}

    with services.db.transaction() as tx:
        ledger_count = tx.scalar("SELECT COUNT(*) FROM ledger_entries")
        audit_count = tx.scalar("SELECT COUNT(*) FROM audit_events")
        audit_positions = [
            r["position"] for r in tx.all("SELECT position FROM audit_events ORDER BY position")
        ]
    assert ledger_count == entries_in_log(ledger) == 8
    assert audit_count == notifications_count(ledger) == len(ids)
    assert audit_positions == ids
    source, destination = fund_row(services, fund), fund_row(services, other)
    assert (
        source["balance"],
        source["total_received"],
        source["total_in_kind"],
        source["total_disbursed"],
        source["total_transferred_out"],
        source["entries_count"],
    ) == (3_000_000, 5_000_000, 3_000_000, 0, 2_000_000, 5)
    assert (
        destination["balance"],
        destination["total_transferred_in"],
        destination["total_disbursed"],
        destination["total_received"],
        destination["closed_through"],
    ) == (1_600_000, 2_000_000, 500_000, 100_000, "2025-02-28")
    assert source["balance"] == ledger.fund(fund).balance
    assert destination["balance"] == ledger.fund(other).balance

    incremental = read_models(services.db)
    services.runner.rebuild()
    assert read_models(services.db) == incremental


def test_applying_a_page_again_changes_nothing(services: Services, ledger: Ledger) -> None:
    fund, _ = record_history(ledger)
    runner = ProjectionRunner(
        ledger.recorder, ledger.mapper, services.db, all_projections(), page_size=3
    )
    assert set(runner.positions().values()) == {0}
    runner.process_page()
    head = runner.head()
    # Each projection in turn runs ahead alone; the pages that follow overlap its
    # position and must be applied to it only beyond that position.
    for ahead, projection in enumerate(runner.projections):
        alone = ProjectionRunner(
            ledger.recorder, ledger.mapper, services.db, [projection], page_size=2 + ahead
        )
        alone.process_page()
    assert runner.positions()["funds"] > 3
    runner.catch_up()
    assert set(runner.positions().values()) == {head}
    settled = read_models(services.db)

    runner.rebuild()
    assert read_models(services.db) == settled
    assert fund_row(services, fund)["balance"] == ledger.fund(fund).balance == 3_000_000

    services.runner.rebuild()
    assert read_models(services.db) == settled


def test_a_transfer_is_reversed_only_by_a_treasurer_who_reaches_both_funds(
    ledger: Ledger,
) -> None:
    province = register_unit(ledger, "Tỉnh Mẫu", Level.PROVINCE)
    commune = register_unit(ledger, "Xã Mẫu", Level.COMMUNE, province)
    province_fund, commune_fund = open_fund(ledger, province), open_fund(ledger, commune)
    ledger.record_receipt(treasurer_of(commune), commune_fund, gift(3_000_000))
    sent = ledger.record_transfer(
        treasurer_of(commune), commune_fund, province_fund, Money(1_000_000), DAY, None
    )
    entry_id = UUID(sent.body["entry_id"])
    with pytest.raises(Forbidden):
        ledger.reverse_entry(treasurer_of(commune), commune_fund, entry_id, "Chuyển nhầm")
    assert (ledger.fund(commune_fund).balance, ledger.fund(province_fund).balance) == (
        2_000_000,
        1_000_000,
    )
    ledger.reverse_entry(treasurer_of(province), commune_fund, entry_id, "Chuyển nhầm")
    assert (ledger.fund(commune_fund).balance, ledger.fund(province_fund).balance) == (3_000_000, 0)


def test_the_audit_trail_is_the_same_when_it_forgets_aggregates_units(
    services: Services, ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    record_history(ledger)
    services.runner.catch_up()

    def trail() -> list[dict[str, Any]]:
        with services.db.transaction() as tx:
            return tx.all("SELECT position, unit_id FROM audit_events ORDER BY position")

    remembered = trail()
    monkeypatch.setattr(audit_view, "_REMEMBERED_UNITS", 1)
    services.runner.rebuild(["audit"])
    assert trail() == remembered
    assert any(row["unit_id"] for row in remembered)
