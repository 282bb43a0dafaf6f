"""Reading Vietnamese bank files (sao kê ngân hàng): amounts, dates, presets, bad and skipped
lines."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import pytest
from eventsourcing.utils import get_topic, resolve_topic
from openpyxl import Workbook

from service.adapters.bank_files import PRESETS, open_bank_file, parse_amount, parse_date
from service.domain.bank_lines import BadLine, CreditLine, DebitLine, SkippedLine
from service.domain.errors import UnreadableBankFile
from service.domain.imports import ImportedTransfer

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
    with pytest.raises(ValueError, match="Số tiền"):
        parse_amount(cell)


def test_dates_are_read_day_first_with_their_time_of_day() -> None:
    assert parse_date("27/09/2024 0:01:42") == (date(2024, 9, 27), "0:01:42")
    assert parse_date("10/09/2024\n12:01:29") == (date(2024, 9, 10), "12:01:29")
    assert parse_date("\xa001/9/2024") == (date(2024, 9, 1), None)
    assert parse_date("2024-09-10") == (date(2024, 9, 10), None)
    assert parse_date(datetime(2024, 9, 10, 8, 30)) == (date(2024, 9, 10), "08:30:00")
    assert parse_date("31/02/2024") is None
    assert parse_date("Tổng cộng") is None


def test_the_vietcombank_sample_yields_every_line_as_what_it_is() -> None:
    reader, handle = open_bank_file(SAMPLE, SAMPLE.name, PRESETS["vietcombank"])
    with handle:
        rows = list(reader.start())

    assert [row.row_no for row in rows] == list(range(1, 18))
    credits = [row for row in rows if isinstance(row, CreditLine)]
    assert [(r.row_no, r.occurred_on.day, r.amount, r.reference, r.balance) for r in credits] == [
        (7, 10, 500_000, "5219.1317", 500_000),
        (8, 10, 2_000_000, "5219.1318", 2_500_000),
        (9, 10, 2_000_000, "5219.1318", 4_500_000),
        (10, 10, 10_000_000, "5219.1319", 14_500_000),
        (12, 11, 150_000, "5220.0002", 14_647_800),
        (13, 11, 150_000, "5220.0002", 14_647_800),
        (16, 12, 1_000_000, "5221.0101", 10_647_800),
    ]
    assert [row for row in rows if isinstance(row, BadLine)] == [
        BadLine(14, "Số tiền “abc” không phải là một số.")
    ]
    debits = [row for row in rows if isinstance(row, DebitLine)]
    assert [(d.row_no, d.amount, d.reference) for d in debits] == [
        (11, 2_200, "5220.0001"),
        (15, 5_000_000, "5220.0004"),
    ]
    assert [row.row_no for row in rows if isinstance(row, SkippedLine)] == [1, 2, 3, 4, 5, 6, 17]
    assert credits[1].memo.startswith("MBVCB.1234567890.TRAN THI BINH ung ho UH BAO LU")
    assert credits[1].identity != credits[2].identity, "same date, document and amount"
    assert credits[4].identity == credits[5].identity, "identical in every field"


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

    reader, handle = open_bank_file(data, "enquiry.xlsx", PRESETS["techcombank"])
    rows = list(reader.start())
    handle.close()

    assert [type(row) for row in rows] == [
        SkippedLine,
        SkippedLine,
        SkippedLine,
        CreditLine,
        DebitLine,
    ]
    row, debit = rows[3], rows[4]
    assert isinstance(row, CreditLine)
    assert isinstance(debit, DebitLine)
    assert (row.reference, row.amount, row.counterparty, row.time) == (
        "FT25253000000001",
        5_000_000,
        "CONG TY CP XI MANG",
        "09:00:00",
    )
    assert row.counterparty_is_organisation
    assert (debit.amount, debit.reference) == (11_000, "FT25253000000002")


def test_lines_without_references_are_told_apart_by_all_their_fields() -> None:
    text = (
        "STT (No),Ngày giao dịch (Trans.Date),Phát sinh có (Credit amount),"
        "Diễn giải (Txn. Description)\n"
        "1,01/09/2024 10:27:58,150.000,UNG HO\n"
        "2,01/09/2024 10:27:58,150.000,UNG HO\n"
        "3,01/09/2024 10:30:00,150.000,UNG HO\n"
    )
    reader, handle = open_bank_file(io.BytesIO(text.encode()), "bidv.csv", PRESETS["bidv"])
    rows = [row for row in reader.start() if isinstance(row, CreditLine)]
    handle.close()

    assert rows[0].identity == rows[1].identity != rows[2].identity
    assert len({rows[0].key(0), rows[0].key(1), rows[2].key(0)}) == 3
    assert all(row.bank_ref.startswith("SK-") for row in rows)


def test_a_file_without_the_presets_columns_or_of_another_format_is_refused() -> None:
    reader, handle = open_bank_file(io.BytesIO(b"a,b,c\n1,2,3\n"), "x.csv", PRESETS["bidv"])
    with handle, pytest.raises(UnreadableBankFile, match="dòng tên cột") as refused:
        reader.start()
    assert "“a”, “b”, “c”" in refused.value.detail
    assert "“phat sinh co”" in refused.value.detail
    with pytest.raises(UnreadableBankFile, match=r"\.csv hoặc \.xlsx"):
        open_bank_file(io.BytesIO(b""), "sao-ke.pdf", PRESETS["bidv"])
    with pytest.raises(UnreadableBankFile, match="XLSX"):
        open_bank_file(io.BytesIO(b"not a zip"), "sao-ke.xlsx", PRESETS["bidv"])


def test_columns_can_be_named_by_their_labels() -> None:
    text = "Ngày,Tiền vào,Ghi chú\n05/03/2025,1.200.000,Quỹ lớp 12A ủng hộ\n"
    layout = PRESETS["sovang"].with_columns({"amount": "Tiền vào", "memo": "Ghi chú"})
    reader, handle = open_bank_file(io.BytesIO(text.encode()), "x.csv", layout)
    [_, row] = list(reader.start())
    handle.close()
    assert isinstance(row, CreditLine)
    assert (row.amount, row.memo) == (1_200_000, "Quỹ lớp 12A ủng hộ")
    with pytest.raises(UnreadableBankFile):
        PRESETS["sovang"].with_columns({"sum": "x"})


@pytest.mark.parametrize(
    "header",
    [
        "PageId,TNXDate,DocNo,Debit,Credit,Balance,TransactionDetails",
        "Page,TNX Date,Doc No,Debit,Credit,Balance,Transactions in detail",
        "Trang,Ngày GD/TNX Date,Số CT/Doc No,Số tiền ghi nợ/Debit,Số tiền ghi có/Credit,"
        "Số dư/Balance,Nội dung chi tiết/Transactions in detail",
        "Trang,NGAY GD,SO CT,GHI NO,GHI CO,SO DU,NOI DUNG",
        "Trang,ngày  gd, số  ct ,ghi  nợ,ghi có,số dư,nội dung",
        "Trang,Ngày GD,Số CT,Số tiền ghi nợ,Số tiền ghi có,Số dư,Nội dung chi tiết",
    ],
)
def test_presets_match_headers_whatever_their_spacing_case_diacritics_or_language(
    header: str,
) -> None:
    text = f"{header}\n1,01/09/2026,5293.28307,,50.000,1.050.000,IBFT VO HUU HANH ung ho\n"
    reader, handle = open_bank_file(io.BytesIO(text.encode()), "x.csv", PRESETS["vietcombank"])
    with handle:
        [_, row] = list(reader.start())

    assert isinstance(row, CreditLine)
    assert (row.reference, row.amount, row.balance, row.memo) == (
        "5293.28307",
        50_000,
        1_050_000,
        "IBFT VO HUU HANH ung ho",
    )


def test_a_repeated_page_header_and_blank_lines_are_no_transactions() -> None:
    header = "TNXDate,DocNo,Debit,Credit,Balance,TransactionDetails"
    text = f"{header}\n01/09/2026,1,,5.000,,A B\n\n{header}\n01/09/2026,2,,6.000,,C D\n"
    reader, handle = open_bank_file(io.BytesIO(text.encode()), "x.csv", PRESETS["vietcombank"])
    with handle:
        rows = list(reader.start())

    assert [type(row) for row in rows] == [
        SkippedLine,
        CreditLine,
        SkippedLine,
        SkippedLine,
        CreditLine,
    ]


def test_a_line_without_a_date_is_a_total_a_bad_line_or_under_vietinbank_the_days_next() -> None:
    mb = (
        "Ngày hạch toán,Phát sinh nợ,Phát sinh có,Số dư,Nội dung\n"
        "01/09/2024,,150.000,150.000,NGUYEN VAN A ung ho\n"
        ",,200.000,,TRAN THI B ung ho\n"
        ",0,350.000,,\n"
    )
    reader, handle = open_bank_file(io.BytesIO(mb.encode()), "mb.csv", PRESETS["mb"])
    with handle:
        lines = list(reader.start())
    assert [type(line) for line in lines] == [SkippedLine, CreditLine, BadLine, SkippedLine]

    vietinbank = (
        "Ngày hạch toán,Ngày phát sinh,Mô tả giao dịch,Nợ/Debit,Có/Credit,Số dư,Số giao dịch\n"
        "01/09/2024,01/09/2024,NGUYEN VAN A ung ho,,150.000,150.000,1\n"
        ",,TRAN THI B ung ho,,200.000,350.000,2\n"
    )
    reader, handle = open_bank_file(
        io.BytesIO(vietinbank.encode()), "vtb.csv", PRESETS["vietinbank"]
    )
    with handle:
        lines = list(reader.start())
    assert [type(line) for line in lines] == [SkippedLine, CreditLine, CreditLine]
    assert isinstance(lines[2], CreditLine)
    assert (lines[2].occurred_on, lines[2].reference) == (date(2024, 9, 1), "2")


def test_the_mark_of_a_recorded_line_keeps_the_topic_its_stored_marks_carry() -> None:
    """The marks already in stores name their class by this topic; a moved class would
    leave them unreadable and write new ones under another name."""
    topic = "service.domain.imports:ImportedTransfer.Recorded"

    assert get_topic(ImportedTransfer.Recorded) == topic
    assert resolve_topic(topic) is ImportedTransfer.Recorded


def test_amounts_of_a_foreign_currency_account_are_read_in_its_minor_units() -> None:
    from service.adapters.bank_currency import line_currency, parse_minor

    assert parse_minor("200,00", "USD") == 20_000
    assert parse_minor("1.250,50", "USD") == 125_050
    assert parse_minor("1,250.50", "USD") == 125_050
    assert parse_minor("200", "USD") == 20_000
    assert parse_minor(12.5, "EUR") == 1_250
    assert parse_minor("1.500", "JPY") == 1_500
    assert parse_minor("", "USD") is None
    for bad in ("10,0055", "abc", "1,5", "12.345,678"):
        try:
            read = parse_minor(bad, "USD" if bad != "1,5" else "JPY")
        except ValueError:
            continue
        raise AssertionError((bad, read))
    assert line_currency("usd", None) == "USD"
    assert line_currency("VND", "USD") is None
    assert line_currency("", "EUR") == "EUR"
    assert line_currency(None, None) is None
