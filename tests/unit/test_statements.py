"""Reading Vietnamese bank statements: amounts, dates, presets, bad and skipped lines."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from service.domain.errors import UnreadableStatement
from service.domain.imports import BadRow, StatementRow
from service.statements import PRESETS, open_statement, parse_amount, parse_date

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "sao-ke-vietcombank.csv"


@pytest.mark.parametrize(
    ("cell", "dong"),
    [
        ("1.000.000", 1_000_000),
        ("1,000,000", 1_000_000),
        ("150.000,00", 150_000),
        ("1,000,000.00", 1_000_000),
        ("500,000", 500_000),
        ("\xa0500.000 VND", 500_000),
        ("200,00", 200),
        ("-2.200", -2_200),
        (300000, 300_000),
        (300000.0, 300_000),
        ("", None),
        (None, None),
    ],
)
def test_amounts_are_read_whatever_the_thousands_separator(cell: object, dong: int | None) -> None:
    assert parse_amount(cell) == dong


@pytest.mark.parametrize("cell", ["1.000,50", "12abc", 10.5, True])
def test_fractions_of_a_dong_and_text_are_not_amounts(cell: object) -> None:
    with pytest.raises(ValueError, match="amount"):
        parse_amount(cell)


def test_dates_are_read_day_first_with_their_time_of_day() -> None:
    assert parse_date("27/09/2024 0:01:42") == (date(2024, 9, 27), "0:01:42")
    assert parse_date("10/09/2024\n12:01:29") == (date(2024, 9, 10), "12:01:29")
    assert parse_date("\xa001/9/2024") == (date(2024, 9, 1), None)
    assert parse_date("2024-09-10") == (date(2024, 9, 10), None)
    assert parse_date(datetime(2024, 9, 10, 8, 30)) == (date(2024, 9, 10), "08:30:00")
    assert parse_date("31/02/2024") is None
    assert parse_date("Tổng cộng") is None


def test_the_vietcombank_sample_yields_its_credits_and_names_its_bad_line() -> None:
    reader, handle = open_statement(SAMPLE, SAMPLE.name, PRESETS["vietcombank"])
    with handle:
        rows = list(reader.start())

    credits = [row for row in rows if isinstance(row, StatementRow)]
    assert [(r.row_no, r.occurred_on.day, r.amount, r.reference) for r in credits] == [
        (7, 10, 500_000, "5219.1317"),
        (8, 10, 2_000_000, "5219.1318"),
        (9, 10, 10_000_000, "5219.1319"),
        (11, 11, 150_000, "5220.0002"),
        (13, 12, 1_000_000, "5221.0101"),
    ]
    assert [row for row in rows if isinstance(row, BadRow)] == [
        BadRow(12, "Số tiền (amount) “abc” không phải là số.")
    ]
    assert (reader.tally.debits, reader.tally.skipped) == (1, 1)
    assert credits[1].memo.startswith("MBVCB.1234567890.TRAN THI BINH ung ho UH BAO LU")


def test_an_xlsx_export_is_read_with_negative_debits_left_out() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["TRANSACTION ENQUIRY / TRUY VẤN GIAO DỊCH"])
    sheet.append([])
    sheet.append(
        [
            "Ngày giao dịch",
            "Số bút toán/Reference number",
            "Tên tài khoản đối ứng",
            "Diễn giải",
            "Nợ/Debit",
            "Có/Credit",
            "Số dư",
        ]
    )
    sheet.append(
        [
            datetime(2025, 9, 10, 9, 0),
            "FT25253000000001",
            "CONG TY CP XI MANG",
            "ung ho",
            None,
            5_000_000,
            5_000_000,
        ]
    )
    sheet.append(
        [
            datetime(2025, 9, 10, 9, 5),
            "FT25253000000002",
            "NGUYEN VAN AN",
            "ung ho",
            -11_000,
            None,
            4_989_000,
        ]
    )
    data = io.BytesIO()
    book.save(data)
    data.seek(0)

    reader, handle = open_statement(data, "enquiry.xlsx", PRESETS["techcombank"])
    rows = list(reader.start())
    handle.close()

    [row] = rows
    assert isinstance(row, StatementRow)
    assert (row.reference, row.amount, row.counterparty, row.time) == (
        "FT25253000000001",
        5_000_000,
        "CONG TY CP XI MANG",
        "09:00:00",
    )
    assert row.counterparty_is_organisation
    assert reader.tally.debits == 1


def test_rows_without_references_are_told_apart_by_their_rank_among_identical_ones() -> None:
    text = (
        "STT (No),Ngày giao dịch (Trans.Date),Phát sinh có (Credit amount),"
        "Diễn giải (Txn. Description)\n"
        "1,01/09/2024 10:27:58,150.000,UNG HO\n"
        "2,01/09/2024 10:27:58,150.000,UNG HO\n"
        "3,01/09/2024 10:30:00,150.000,UNG HO\n"
    )
    reader, handle = open_statement(io.BytesIO(text.encode()), "bidv.csv", PRESETS["bidv"])
    rows = [row for row in reader.start() if isinstance(row, StatementRow)]
    handle.close()

    assert [row.rank for row in rows] == [0, 1, 0]
    assert len({row.key for row in rows}) == 3
    assert all(row.bank_ref.startswith("SK-") for row in rows)


def test_a_file_without_the_presets_columns_or_of_another_format_is_refused() -> None:
    reader, handle = open_statement(io.BytesIO(b"a,b,c\n1,2,3\n"), "x.csv", PRESETS["bidv"])
    with handle, pytest.raises(UnreadableStatement, match="header row"):
        reader.start()
    with pytest.raises(UnreadableStatement, match=r"\.csv hoặc \.xlsx"):
        open_statement(io.BytesIO(b""), "statement.pdf", PRESETS["bidv"])
    with pytest.raises(UnreadableStatement, match="XLSX"):
        open_statement(io.BytesIO(b"not a zip"), "statement.xlsx", PRESETS["bidv"])


def test_columns_can_be_named_by_their_labels() -> None:
    text = "Ngày,Tiền vào,Ghi chú\n05/03/2025,1.200.000,Quỹ lớp 12A ủng hộ\n"
    layout = PRESETS["sovang"].with_columns({"amount": "Tiền vào", "memo": "Ghi chú"})
    reader, handle = open_statement(io.BytesIO(text.encode()), "x.csv", layout)
    [row] = list(reader.start())
    handle.close()
    assert isinstance(row, StatementRow)
    assert (row.amount, row.memo) == (1_200_000, "Quỹ lớp 12A ủng hộ")
    with pytest.raises(UnreadableStatement):
        PRESETS["sovang"].with_columns({"sum": "x"})
