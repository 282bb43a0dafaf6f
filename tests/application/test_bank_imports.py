"""Imports of bank files (sao kê ngân hàng) through the application, on both stores:
every credit once, every other line reported by its line number, pledges linked by the
code in the memo.

The bank files of ``tests/fixtures/bank_files`` copy the properties of a real published
one (document numbers reused within a day, some with the same amount; a fee debit;
bilingual and space-less headers; an overlapping second file; a line printed twice) and
come with the figures a correct import reaches (their README)."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from uuid import UUID

import pytest

from service.application import Ledger, Request, bank_import
from service.application import import_jobs as imports
from service.application.bank_import import ImportReport
from service.bootstrap import Services
from service.domain.funds import Donor, Fund, Receipt
from service.domain.money import Money
from service.domain.pledges import Commitment
from service.domain.vocabulary import Channel, DonorKind, FundKind, Level
from service.projections import donors as donors_view
from service.projections import ledger as ledger_view
from tests.conftest import ADMIN, treasurer_of

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "sao-ke-vietcombank.csv"
BANK_FILES = ROOT / "tests" / "fixtures" / "bank_files"


def fund_of(ledger: Ledger) -> tuple[UUID, Request]:
    unit = UUID(ledger.register_unit(ADMIN, "Xã Cẩm Bình", Level.COMMUNE, None, None).body["id"])
    treasurer = treasurer_of(unit)
    fund = ledger.open_fund(treasurer, unit, "Quỹ Cứu trợ", FundKind.RELIEF).body["id"]
    return UUID(fund), treasurer


def import_file(
    services: Services,
    treasurer: Request,
    fund: UUID,
    source: Path | io.BytesIO,
    preset: str = "vietcombank",
    *,
    dry_run: bool = False,
    confirmed: set[int] | None = None,
    batch_size: int = 500,
) -> ImportReport:
    name = source.name if isinstance(source, Path) else "sao-ke.csv"
    prepared = imports.prepare(source, name, imports.layout_of(preset))
    services.runner.catch_up()
    try:
        return bank_import.import_bank_file(
            services.ledger,
            treasurer,
            services.ledger.importable_fund(treasurer, fund),
            prepared.lines,
            {},
            dry_run=dry_run,
            confirmed=confirmed or set(),
            batch_size=batch_size,
        )
    finally:
        prepared.close()


def receipts(services: Services, fund: UUID) -> list[dict[str, object]]:
    services.runner.catch_up()
    with services.db.transaction() as tx:
        rows = ledger_view.entries(
            tx, str(fund), occurred_from=None, occurred_to=None, after_seq=0, limit=10_000
        )
    return [row for row in rows if row["kind"] == "receipt"]


def counts(report: ImportReport) -> tuple[int, ...]:
    return (
        report.recorded,
        report.duplicates,
        report.repeats,
        report.debits,
        report.bad,
        report.skipped,
        report.lines,
    )


def log_head(services: Services) -> tuple[int, int]:
    """The last position of the log and the number of events stored."""
    recorder, position, stored = services.ledger.recorder, 0, 0
    while page := recorder.select_notifications(
        start=position, limit=1000, inclusive_of_start=False
    ):
        stored += len(page)
        position = page[-1].id
    return position, stored


def test_the_sample_is_recorded_once_and_every_other_line_is_named(services: Services) -> None:
    fund, treasurer = fund_of(services.ledger)

    dry = import_file(services, treasurer, fund, SAMPLE, dry_run=True)
    assert receipts(services, fund) == []
    first = import_file(services, treasurer, fund, SAMPLE)
    head = log_head(services)
    again = import_file(services, treasurer, fund, SAMPLE)

    assert counts(dry) == counts(first) == (6, 0, 1, 2, 1, 7, 17)
    assert dry.not_recorded == first.not_recorded
    assert (first.amount, first.repeats_amount, first.debits_amount) == (
        15_650_000,
        150_000,
        5_002_200,
    )
    assert [(row["row"], row["outcome"]) for row in first.not_recorded] == [
        *[(n, "not_a_transaction") for n in range(1, 7)],
        (11, "debit"),
        (13, "repeated"),
        (14, "bad"),
        (15, "debit"),
        (17, "not_a_transaction"),
    ]
    assert "abc" in first.not_recorded[8]["reason"]
    assert first.repeat_groups == [
        {"rows": [12, 13], "outcomes": {"12": "recorded", "13": "repeated"}, "confirmed": []}
    ]
    # bank credits take the bank's document, never a cash receipt slip (phiếu thu)
    assert all(r["slip_no"] is None for r in receipts(services, fund))
    assert counts(again) == (0, 6, 1, 2, 1, 7, 17)
    assert again.duplicates_amount == 15_650_000
    assert log_head(services) == head, "a repeated import writes nothing"
    recorded = receipts(services, fund)
    assert [(r["bank_ref"], r["amount"], r["donor_name"]) for r in recorded] == [
        ("5219.1317", 500_000, "NGUYEN VAN AN"),
        ("5219.1318", 2_000_000, "TRAN THI BINH"),
        ("5219.1318", 2_000_000, "LE VAN CUONG"),
        ("5219.1319", 10_000_000, "CONG TY TNHH THUONG MAI HONG PHAT"),
        ("5220.0002", 150_000, "LE MINH CUONG"),
        ("5221.0101", 1_000_000, "HOANG DUC LONG"),
    ]
    assert [r["donor_kind"] for r in recorded][3] == "organisation"
    assert "0123456789" not in str(recorded[1]["note"])
    assert "CT tu *******789 TRAN THI BINH" in str(recorded[1]["note"])
    assert services.ledger.fund(fund).balance == 15_650_000


def test_a_line_printed_twice_is_recorded_again_only_when_the_treasurer_confirms_it(
    services: Services,
) -> None:
    fund, treasurer = fund_of(services.ledger)

    first = import_file(services, treasurer, fund, SAMPLE)
    dry = import_file(services, treasurer, fund, SAMPLE, confirmed={13}, dry_run=True)
    confirmed = import_file(services, treasurer, fund, SAMPLE, confirmed={13})
    again = import_file(services, treasurer, fund, SAMPLE, confirmed={13})
    unconfirmed = import_file(services, treasurer, fund, SAMPLE)

    assert first.repeats == 1
    assert (dry.recorded, dry.amount, dry.duplicates) == (1, 150_000, 6)
    assert (confirmed.recorded, confirmed.amount, confirmed.duplicates) == (1, 150_000, 6)
    assert confirmed.repeat_groups == [
        {
            "rows": [12, 13],
            "outcomes": {"12": "already_recorded", "13": "recorded"},
            "confirmed": [13],
        }
    ]
    assert (again.recorded, again.duplicates, again.repeats) == (0, 7, 0)
    assert (unconfirmed.recorded, unconfirmed.duplicates, unconfirmed.repeats) == (0, 7, 0)
    assert services.ledger.fund(fund).balance == 15_800_000


def test_a_bank_file_reusing_document_numbers_loses_no_gift_and_its_fee_is_reported(
    services: Services,
) -> None:
    fund, treasurer = fund_of(services.ledger)
    bank_file = BANK_FILES / "vcb-a.csv"

    dry = import_file(services, treasurer, fund, bank_file, dry_run=True, batch_size=97)
    done = import_file(services, treasurer, fund, bank_file, batch_size=97)
    head = log_head(services)
    again = import_file(services, treasurer, fund, bank_file, batch_size=97)

    assert counts(dry) == counts(done) == (1_200, 0, 0, 1, 0, 1, 1_202)
    assert dry.amount == done.amount == 963_817_000
    assert (done.debits, done.debits_amount) == (1, 55_000)
    assert [row["row"] for row in done.rows_of("debit")] == [602]
    assert (again.recorded, again.duplicates, again.duplicates_amount) == (0, 1_200, 963_817_000)
    assert log_head(services) == head
    assert head[0] == head[1], "no gap in the log"
    assert services.ledger.fund(fund).balance == 963_817_000


def test_an_overlapping_bilingual_bank_file_records_only_its_new_lines(
    services: Services,
) -> None:
    fund, treasurer = fund_of(services.ledger)
    import_file(services, treasurer, fund, BANK_FILES / "vcb-a.csv")

    dry = import_file(services, treasurer, fund, BANK_FILES / "vcb-b-bilingual.csv", dry_run=True)
    done = import_file(services, treasurer, fund, BANK_FILES / "vcb-b-bilingual.csv")

    assert counts(dry) == counts(done) == (300, 300, 0, 0, 0, 1, 601)
    assert done.amount == 285_083_000
    assert services.ledger.fund(fund).balance == 963_817_000 + 285_083_000
    head = log_head(services)
    assert head[0] == head[1]


def test_a_line_repeated_with_its_running_balance_is_shown_and_recorded_once(
    services: Services,
) -> None:
    fund, treasurer = fund_of(services.ledger)
    bank_file = BANK_FILES / "vcb-c-balance-repeated-line.csv"

    done = import_file(services, treasurer, fund, bank_file)

    assert counts(done) == (60, 0, 1, 0, 0, 1, 62)
    assert done.amount == 57_594_000
    [group] = done.repeat_groups
    assert group["rows"] == [32, 33]
    assert done.rows_of("repeated")[0]["row"] == 33


def test_an_import_loads_its_fund_once_however_many_batches_it_saves(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    fund, treasurer = fund_of(services.ledger)
    loaded: list[UUID] = []
    load = services.ledger.fund

    def fund_loaded(fund_id: UUID) -> Fund:
        loaded.append(fund_id)
        return load(fund_id)

    monkeypatch.setattr(services.ledger, "fund", fund_loaded)
    dry = import_file(services, treasurer, fund, SAMPLE, dry_run=True, batch_size=2)
    done = import_file(services, treasurer, fund, SAMPLE, batch_size=2)

    assert (dry.recorded, done.recorded) == (6, 6)
    assert loaded == [fund, fund], "once by the dry run, once by the import"


def test_marks_of_the_old_rule_still_count_and_the_gifts_it_lost_are_recorded(
    services: Services,
) -> None:
    """A bank file imported when a line was keyed by date, reference and amount: the
    first line of each such key was recorded; importing it again records the others."""
    from service.domain.actors import Meta
    from service.domain.imports import ImportedTransfer

    fund_id, treasurer = fund_of(services.ledger)
    ledger = services.ledger
    fund = ledger.fund(fund_id)
    meta = Meta.of(treasurer.actor, None, None)
    fund.record_receipt(
        Receipt(
            Money(2_000_000), date(2025, 9, 10), Donor(None, DonorKind.ANONYMOUS), Channel.BANK
        ),
        ledger.today(),
        meta,
    )
    entry = fund.pending_events[-1]
    mark = ImportedTransfer.mark(fund_id, entry.entry_id, "2025-09-10|5219.1318|2000000", meta)  # type: ignore[attr-defined]
    ledger.save(fund, mark)

    report = import_file(services, treasurer, fund_id, SAMPLE)

    assert (report.recorded, report.duplicates) == (5, 1)
    assert report.rows_of("already_recorded")[0]["row"] == 8


def test_a_memo_carrying_a_pledge_code_fulfils_the_pledge_and_a_surplus_is_a_gift(
    services: Services,
) -> None:
    fund, treasurer = fund_of(services.ledger)
    pledge = services.ledger.make_pledge(
        treasurer,
        fund,
        Commitment(
            Donor("Trần Thị Bình", DonorKind.INDIVIDUAL), Money(2_500_000), code="UH BAO LU"
        ),
    ).body

    prepared = imports.prepare(SAMPLE, SAMPLE.name, imports.layout_of("vietcombank"))
    report = imports.run(services, treasurer, fund, prepared, dry_run=False)

    assert report.linked_to_pledges == 2
    made = services.ledger.pledge(UUID(pledge["pledge_id"]))
    assert (made.fulfilled, made.status.value) == (2_500_000, "fulfilled")
    linked = [r for r in receipts(services, fund) if r["pledge_id"]]
    assert [(r["bank_ref"], r["amount"]) for r in linked] == [
        ("5219.1318", 2_000_000),
        ("5221.0101", 1_000_000),
    ]


def test_rows_the_rules_refuse_are_reported_and_the_rest_recorded(services: Services) -> None:
    fund, treasurer = fund_of(services.ledger)
    services.ledger.close_period(treasurer, fund, date(2025, 9, 10))

    report = import_file(services, treasurer, fund, SAMPLE)

    assert report.recorded == 2
    bad = report.rows_of("bad")
    assert [row["row"] for row in bad] == [7, 8, 9, 10, 14]
    assert "10/09/2025" in bad[0]["reason"]
    assert report.lines == 17


def test_a_sender_named_by_the_memo_is_found_in_the_donors_giving_history(
    services: Services,
) -> None:
    fund, treasurer = fund_of(services.ledger)
    unit = services.ledger.fund(fund).unit_id
    services.ledger.record_receipt(
        treasurer,
        fund,
        Receipt(
            Money(300_000),
            date(2025, 9, 1),
            Donor("Trần Thị Bình", DonorKind.INDIVIDUAL),
            Channel.CASH,
        ),
    )

    import_file(services, treasurer, fund, SAMPLE)

    services.runner.catch_up()
    with services.db.transaction() as tx:
        given = donors_view.history(tx, str(unit), "tran thi binh", after_position=0, limit=10)
        totals = donors_view.totals(tx, str(unit), "Trần Thị Bình")
    assert [(row["channel"], row["amount"]) for row in given] == [
        ("cash", 300_000),
        ("bank", 2_000_000),
    ]
    assert (totals["receipts"], totals["money"]) == (2, 2_300_000)
    recorded = [
        event
        for event in services.ledger.repository.event_store.get(fund)
        if isinstance(event, Fund.ReceiptRecorded) and event.channel == "bank"
    ]
    assert [(e.donor_name, e.donor_account) for e in recorded[:3]] == [
        ("NGUYEN VAN AN", None),
        ("TRAN THI BINH", "*******789"),
        ("LE VAN CUONG", "*******321"),
    ]


def test_an_xlsx_bank_file_without_balances_reports_two_equal_gifts_for_the_treasurer(
    services: Services,
) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["SAO KÊ TÀI KHOẢN / ACCOUNT STATEMENT"])
    sheet.append(
        ["Ngày GD/TNX Date", "Số CT/Doc No", "Ghi nợ/Debit", "Ghi có/Credit", "TransactionDetails"]
    )
    memo = "IBFT VO HUU HANH ung ho ba con vung lu"
    sheet.append(["05/09/2025", "5101.00001", None, "200.000", memo])
    sheet.append(["05/09/2025", "5101.00001", None, "200.000", memo])
    sheet.append(["05/09/2025", "5101.00002", "11.000", None, "Phi dich vu SMS"])
    data = io.BytesIO()
    book.save(data)
    fund, treasurer = fund_of(services.ledger)

    def run(confirmed: set[int]) -> ImportReport:
        data.seek(0)
        prepared = imports.prepare(data, "sao-ke.xlsx", imports.layout_of("vietcombank"))
        return imports.run(services, treasurer, fund, prepared, dry_run=False, confirmed=confirmed)

    first = run(set())
    confirmed = run({4})

    assert counts(first) == (1, 0, 1, 1, 0, 2, 5)
    assert "không in số dư" in first.rows_of("repeated")[0]["reason"]
    assert counts(confirmed) == (1, 1, 0, 1, 0, 2, 5)
    assert [r["donor_name"] for r in receipts(services, fund)] == ["VO HUU HANH", "VO HUU HANH"]
