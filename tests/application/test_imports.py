"""Bank-statement imports through the application, on both stores: every good row once,
duplicates and bad rows reported by line, pledges linked by the code in the memo."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path
from uuid import UUID

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service import Services, imports
from service.application import ImportReport, Ledger, Request
from service.domain.funds import Donor
from service.domain.money import Money
from service.domain.pledges import Commitment
from service.domain.vocabulary import DonorKind, FundKind, Level
from service.projections import ledger as ledger_view
from tests.conftest import ADMIN, treasurer_of

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "sao-ke-vietcombank.csv"


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
) -> ImportReport:
    name = source.name if isinstance(source, Path) else "statement.csv"
    prepared = imports.prepare(source, name, imports.layout_of(preset))
    return imports.run(services, treasurer, fund, prepared, dry_run=dry_run)


def receipts(services: Services, fund: UUID) -> list[dict[str, object]]:
    services.runner.catch_up()
    with services.db.transaction() as tx:
        rows = ledger_view.entries(
            tx, str(fund), occurred_from=None, occurred_to=None, after_seq=0, limit=10_000
        )
    return [row for row in rows if row["kind"] == "receipt"]


def test_a_dry_run_says_what_an_import_records_and_a_second_import_records_nothing(
    services: Services,
) -> None:
    fund, treasurer = fund_of(services.ledger)

    dry = import_file(services, treasurer, fund, SAMPLE, dry_run=True)
    assert receipts(services, fund) == []
    first = import_file(services, treasurer, fund, SAMPLE)
    again = import_file(services, treasurer, fund, SAMPLE)

    assert (dry.recorded, dry.amount, dry.duplicates, dry.bad) == (5, 13_650_000, 0, 1)
    assert (first.recorded, first.amount, first.bad) == (5, 13_650_000, 1)
    assert first.bad_rows == [{"row": 12, "reason": "Số tiền (amount) “abc” không phải là số."}]
    assert (again.recorded, again.duplicates, again.bad) == (0, 5, 1)
    assert [row["row"] for row in again.duplicate_rows] == [7, 8, 9, 11, 13]
    recorded = receipts(services, fund)
    assert [(r["bank_ref"], r["amount"], r["slip_no"]) for r in recorded] == [
        ("5219.1317", 500_000, 1),
        ("5219.1318", 2_000_000, 2),
        ("5219.1319", 10_000_000, 3),
        ("5220.0002", 150_000, 4),
        ("5221.0101", 1_000_000, 5),
    ]
    assert {r["channel"] for r in recorded} == {"bank"}
    assert recorded[0]["note"].startswith("123456.100925.153012.NGUYEN VAN AN")
    assert services.ledger.fund(fund).balance == 13_650_000


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

    report = import_file(services, treasurer, fund, SAMPLE)

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
    assert sorted(row["row"] for row in report.bad_rows) == [7, 8, 9, 12]
    assert "đã khóa đến ngày 10/09/2025" in report.bad_rows[1]["reason"]


statement_rows = st.lists(
    st.tuples(st.integers(0, 30), st.integers(1, 500)), min_size=1, max_size=40
)


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    rows=statement_rows,
    cuts=st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), min_size=1, max_size=5),
)
def test_a_statement_split_into_overlapping_files_records_each_row_exactly_once(
    services: Services, rows: list[tuple[int, int]], cuts: list[tuple[int, int]]
) -> None:
    fund, treasurer = fund_of(services.ledger)
    lines = [
        f"{(date(2025, 1, 1) + timedelta(days=day)):%d/%m/%Y},FT{index:08d},"
        f'"{amount * 1000:,}",NGUYEN VAN {index} ung ho,NGUYEN VAN {index}'
        for index, (day, amount) in enumerate(rows)
    ]
    header = "Ngày,Mã giao dịch,Số tiền,Nội dung,Người chuyển"
    files = [lines[min(a, b) : max(a, b) + 1] for a, b in cuts] + [lines]

    recorded = 0
    for part in files:
        text = "\n".join([header, *part]) + "\n"
        report = import_file(services, treasurer, fund, io.BytesIO(text.encode()), "sovang")
        recorded += report.recorded
        assert report.recorded + report.duplicates == len(part)

    kept = receipts(services, fund)
    assert recorded == len(rows) == len(kept)
    assert sorted(r["bank_ref"] for r in kept) == [f"FT{i:08d}" for i in range(len(rows))]
    assert services.ledger.fund(fund).balance == sum(amount * 1000 for _, amount in rows)
    assert [r["slip_no"] for r in kept] == list(range(1, len(rows) + 1))
