"""Reading bank files (sao kê ngân hàng: the statements banks export) as CSV or XLSX, a row at
a time.

Vietnamese banks lay their exports out each in its own way: a block of titles above
the table, bilingual column labels, a date and a document number in one cell, amounts
with dots or commas for thousands, totals and repeated page headers among the
transactions. A ``Layout`` names, for each field, the labels of the columns that hold
it; the reader finds the header row by those labels and then yields every line of the
file as what it is (a credit, a debit, a line it cannot read, a line that holds no
transaction), streaming: the memory it needs does not grow with the file.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import IO, Any

from service.adapters.bank_currency import line_currency, parse_minor, split_decimal
from service.domain.bank_lines import BadLine, BankLine, CreditLine, DebitLine, SkippedLine
from service.domain.currency import currency_code
from service.domain.errors import InvalidInput, UnreadableBankFile
from service.domain.text import fold, normalise

#: How many lines above the table a title block may take.
HEADER_SEARCH_ROWS = 40
FIELDS = (
    "date",
    "amount",
    "debit",
    "reference",
    "memo",
    "counterparty",
    "balance",
    "currency",
    "vnd_amount",
)
#: The labels of a currency column and of the đồng a bank credited for a foreign credit,
#: the same in every layout (a statement of a foreign-currency account).
CURRENCY_LABELS = ("loai tien", "currency", "ccy")
CONVERTED_LABELS = ("so tien quy doi", "quy doi vnd", "vnd equivalent", "amount in vnd")
#: The fields without which no line can be read, and how a treasurer calls them.
REQUIRED = {"date": "ngày", "amount": "số tiền ghi có", "memo": "nội dung"}
_TOTAL_WORDS = ("tong", "total", "cong phat sinh", "so du", "balance", "opening", "closing")
_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})|(\d{4})-(\d{2})-(\d{2})")
_TIME = re.compile(r"\b(\d{1,2}:\d{2}(?::\d{2})?)\b")
_NOT_LETTER_OR_DIGIT = re.compile(r"[^a-z0-9]")


def compact(label: str) -> str:
    """A header label as presets compare it: no case, diacritics, spaces or punctuation,
    so ``TNXDate``, ``TNX Date`` and ``Ngày GD/ TNX Date`` all hold ``tnxdate``."""
    return _NOT_LETTER_OR_DIGIT.sub("", fold(label))


@dataclass(frozen=True)
class Layout:
    """The labels (compared as ``compact`` makes them, as parts of a header cell) of
    the columns that hold each field."""

    name: str
    date: tuple[str, ...]
    amount: tuple[str, ...]
    memo: tuple[str, ...]
    debit: tuple[str, ...] = ()
    reference: tuple[str, ...] = ()
    counterparty: tuple[str, ...] = ()
    balance: tuple[str, ...] = ()
    currency: tuple[str, ...] = CURRENCY_LABELS
    vnd_amount: tuple[str, ...] = CONVERTED_LABELS
    description: str = ""
    #: A line without a date takes the date of the line above (the export leaves it
    #: blank under the first line of a day); elsewhere such a line is a total or bad.
    fill_down: bool = False
    #: The currency of the account the statement is of, given on import (None: đồng);
    #: a currency column says it line by line.
    account_currency: str | None = None

    def with_columns(self, columns: Mapping[str, str]) -> Layout:
        """This layout with some fields' columns named exactly (by their header label)."""
        unknown = set(columns) - set(FIELDS)
        if unknown:
            raise UnreadableBankFile(
                f"Không có trường {', '.join(sorted(unknown))}; các trường là {', '.join(FIELDS)}."
            )
        named: dict[str, Any] = {name: (label,) for name, label in columns.items()}
        return replace(self, **named)

    def in_currency(self, code: str | None) -> Layout:
        """This layout for the statement of an account held in ``code``."""
        if code is None:
            return self
        try:
            return replace(self, account_currency=currency_code(code))
        except InvalidInput as error:
            raise UnreadableBankFile(error.detail) from None

    def wanted(self, name: str) -> tuple[str, ...]:
        """The compacted labels of the field ``name``."""
        labels: tuple[str, ...] = getattr(self, name)
        return tuple(found for found in (compact(label) for label in labels) if found)


PRESETS: dict[str, Layout] = {
    layout.name: layout
    for layout in (
        Layout(
            "sovang",
            date=("date", "ngay"),
            amount=("amount", "so tien"),
            reference=("reference", "ma giao dich", "so tham chieu"),
            memo=("memo", "noi dung"),
            counterparty=("counterparty", "nguoi chuyen", "ten"),
            balance=("balance", "so du"),
            description="The service's own CSV: date, amount, reference, memo, counterparty.",
        ),
        Layout(
            "vietcombank",
            date=("ngay gd", "tnx date", "ngay gio giao dich", "transaction date"),
            amount=("ghi co", "credit"),
            debit=("ghi no", "debit"),
            reference=("so ct", "doc no", "so chung tu", "document no", "reference"),
            memo=(
                "noi dung",
                "transactions in detail",
                "transaction details",
                "transaction detail",
                "description",
            ),
            counterparty=("ten nguoi chuyen", "sender name"),
            balance=("so du", "balance"),
            description="Statement or transaction listing; date and document number may "
            "share a cell.",
        ),
        Layout(
            "vietinbank",
            date=("ngay gd", "date time", "ngay phat sinh", "ngay hach toan", "transaction date"),
            amount=("so tien (co)", "co/credit", "credit"),
            debit=("no/debit", "debit"),
            reference=("so giao dich", "transaction no"),
            memo=("mo ta giao dich", "transaction comment", "description"),
            counterparty=("ten doi ung", "offset name"),
            balance=("so du", "balance"),
            description="Statement or business export; blank dates are filled down.",
            fill_down=True,
        ),
        Layout(
            "bidv",
            date=("ngay giao dich", "trans.date", "transaction date"),
            amount=("phat sinh co", "credit amount", "credit"),
            debit=("phat sinh no", "debit amount", "debit"),
            memo=("dien giai", "txn. description", "description"),
            balance=("so du", "balance"),
            description="No references: lines are told apart by all their fields.",
        ),
        Layout(
            "agribank",
            date=("ngay/date", "ngay", "date"),
            amount=("co/cr", "credit"),
            debit=("no/dr", "debit"),
            reference=("so tham chieu", "ref. no", "reference"),
            memo=("ghi chu", "remark"),
            balance=("so du", "balance"),
        ),
        Layout(
            "mb",
            date=("ngay hach toan", "ngay giao dich", "posting date", "transaction date"),
            amount=("phat sinh co", "credit"),
            debit=("phat sinh no", "debit"),
            reference=("so but toan", "ma gd", "reference"),
            memo=("noi dung", "description"),
            balance=("so du", "balance"),
        ),
        Layout(
            "techcombank",
            date=("ngay giao dich", "ngay kh thuc hien", "transaction date"),
            amount=("co/credit", "credit"),
            debit=("no/debit", "debit"),
            reference=("so but toan", "reference number"),
            memo=("dien giai", "description"),
            counterparty=("ten tai khoan doi ung",),
            balance=("so du", "balance"),
        ),
        Layout(
            "vbsp",
            date=("ngay giao dich",),
            amount=("so tien giao dich",),
            memo=("noi dung giao dich",),
            balance=("so du tai khoan",),
        ),
    )
}


@dataclass
class BankFileReader:
    """Yields every line of a bank file, in file order, each as what it is: a credit, a
    debit, a line that cannot be read, or a line that holds no transaction."""

    cells: Iterable[Sequence[Any]]
    layout: Layout

    def start(self) -> Iterator[BankLine]:
        """Finds the header row at once (or refuses the file), then yields the lines."""
        lines = enumerate(self.cells, 1)
        columns, header_row, labels = self._header(lines)
        return self._lines(lines, columns, header_row, labels)

    def _lines(
        self,
        lines: Iterator[tuple[int, Sequence[Any]]],
        columns: dict[str, int],
        header_row: int,
        labels: list[str],
    ) -> Iterator[BankLine]:
        for row_no in range(1, header_row):
            yield SkippedLine(row_no, "Phần tiêu đề phía trên bảng.")
        yield SkippedLine(header_row, "Dòng tên cột.")
        last_date: tuple[date, str | None] | None = None
        for row_no, cells in lines:
            value = {name: _cell(cells, index) for name, index in columns.items()}
            if not any(str(c).strip() for c in cells if c is not None):
                yield SkippedLine(row_no, "Dòng trống.")
                continue
            if _repeats_header(cells, labels):
                yield SkippedLine(row_no, "Dòng tên cột lặp lại (đầu trang).")
                continue
            read = self._line(row_no, value, columns, last_date)
            if isinstance(read, CreditLine | DebitLine):
                last_date = (read.occurred_on, getattr(read, "time", None))
            yield read

    def _header(
        self, lines: Iterator[tuple[int, Sequence[Any]]]
    ) -> tuple[dict[str, int], int, list[str]]:
        best: tuple[int, int, list[str]] = (-1, -1, [])
        for row_no, cells in lines:
            labels = [compact(str(c)) if c is not None else "" for c in cells]
            columns: dict[str, int] = {}
            for name in FIELDS:
                wanted = self.layout.wanted(name)
                for index, label in enumerate(labels):
                    if label and index not in columns.values() and any(w in label for w in wanted):
                        columns[name] = index
                        break
            if all(name in columns for name in REQUIRED):
                date_label = labels[columns["date"]]
                if "reference" not in columns and any(
                    w in date_label for w in self.layout.wanted("reference")
                ):
                    # The date and the document number share a cell (Vietcombank).
                    columns["reference"] = columns["date"]
                folded = [fold(str(c)) if c is not None else "" for c in cells]
                return columns, row_no, folded
            score = (
                sum(name in columns for name in REQUIRED),
                sum(1 for label in labels if label),
            )
            if score > best[:2]:
                best = (*score, [normalise(str(c)) for c in cells if c is not None and str(c)])
            if row_no >= HEADER_SEARCH_ROWS:
                break
        raise UnreadableBankFile(self._no_header(best[2]))

    def _no_header(self, found: list[str]) -> str:
        needed = "; ".join(
            f"{what} ({' hoặc '.join(f'“{label}”' for label in getattr(self.layout, name))})"
            for name, what in REQUIRED.items()
        )
        seen = ", ".join(f"“{label}”" for label in found) if found else "không có"
        return (
            f"Không tìm thấy dòng tên cột theo mẫu {self.layout.name} trong "
            f"{HEADER_SEARCH_ROWS} dòng đầu của tệp. Mẫu này cần các cột: {needed}. "
            f"Các tên cột tìm thấy: {seen}. Hãy chọn mẫu của ngân hàng khác hoặc chỉ rõ "
            "tên cột (--column / columns), ví dụ amount=Số tiền ghi có."
        )

    def _line(
        self,
        row_no: int,
        value: dict[str, Any],
        columns: dict[str, int],
        last_date: tuple[date, str | None] | None,
    ) -> BankLine:
        try:
            code = line_currency(value.get("currency"), self.layout.account_currency)
            read = parse_amount if code is None else partial(parse_minor, code=code)
            credit = read(value.get("amount"))
            debit = read(value.get("debit"))
            balance = read(value.get("balance"))
            converted = parse_amount(value.get("vnd_amount")) if code else None
        except ValueError as error:
            return BadLine(row_no, str(error))
        when = parse_date(value.get("date"))
        if when is None:
            text = " ".join(fold(str(v)) for v in value.values() if v is not None)
            if any(word in text for word in _TOTAL_WORDS):
                return SkippedLine(row_no, "Dòng cộng, tổng hoặc số dư, không phải giao dịch.")
            if credit is None and not debit:
                return SkippedLine(row_no, "Dòng không có ngày và không có số tiền.")
            if str(value.get("date") or "").strip():
                return BadLine(row_no, f"Không đọc được ngày “{value.get('date')}”.")
            if last_date is None or not self.layout.fill_down:
                if not _text(value.get("memo")):
                    return SkippedLine(
                        row_no, "Dòng có số tiền nhưng không có ngày và nội dung: dòng cộng."
                    )
                return BadLine(row_no, "Dòng có số tiền và nội dung nhưng không có ngày.")
            when = last_date
        reference = _text(value.get("reference"))
        if columns.get("reference") == columns["date"]:
            reference = _rest_after_date(str(value.get("date") or ""))
        memo = _text(value.get("memo")) or ""
        if credit is None or credit <= 0:
            if (debit or 0) != 0 or (credit or 0) < 0:
                return DebitLine(
                    row_no,
                    when[0],
                    abs(debit or credit or 0),
                    reference,
                    memo,
                    currency=code,
                    vnd_amount=abs(converted) if converted else None,
                )
            if credit == 0:
                return SkippedLine(row_no, "Số tiền ghi có bằng 0.")
            return BadLine(row_no, "Dòng có ngày nhưng không có số tiền ghi có.")
        if code is not None and not converted:
            return BadLine(
                row_no,
                f"Dòng ghi có bằng {code} không có số đồng ngân hàng quy đổi. Hãy ghi khoản "
                "thu này bằng tay với tỷ giá của ngày đó (rate, rate_source).",
            )
        return CreditLine(
            row_no=row_no,
            occurred_on=when[0],
            time=when[1],
            amount=credit,
            reference=reference,
            memo=memo,
            counterparty=_text(value.get("counterparty")),
            balance=balance,
            currency=code,
            vnd_amount=converted,
        )


def open_bank_file(
    source: IO[bytes] | Path, filename: str, layout: Layout
) -> tuple[BankFileReader, Any]:
    """A reader of the CSV or XLSX bank file ``source`` (by the name's extension), and
    the handle to close when done."""
    suffix = Path(filename).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(source, read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a damaged file
            raise UnreadableBankFile(f"Tệp không phải bảng tính XLSX đọc được: {error}") from None
        return BankFileReader(book.worksheets[0].iter_rows(values_only=True), layout), book
    if suffix in (".csv", ".txt", ""):
        raw = source.open("rb") if isinstance(source, Path) else source
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace", newline="")
        sample = text.read(8192)
        text.seek(0)
        try:
            dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        return BankFileReader(csv.reader(text, dialect), layout), text
    raise UnreadableBankFile(
        "Hãy gửi sao kê dạng tệp .csv hoặc .xlsx (tệp .xls thì lưu lại thành .xlsx)."
    )


def parse_amount(cell: Any) -> int | None:
    """Đồng from a cell: 1.000.000, 1,000,000, 150.000,00, 1,000,000.00, 500000 or a
    number; None when empty. Fractions of a đồng are refused."""
    if cell is None:
        return None
    if isinstance(cell, bool):
        raise ValueError(f"Số tiền “{cell}” không phải là một số.")
    if isinstance(cell, int):
        return cell
    if isinstance(cell, float):
        if not cell.is_integer():
            raise ValueError(f"Số tiền {cell} có phần lẻ dưới một đồng.")
        return int(cell)
    text = str(cell).replace("\xa0", "").replace(" ", "").upper().removesuffix("VND")
    text = text.removesuffix("Đ").removesuffix("D").strip()
    if not text or text in ("-", "0"):
        return None if not text or text == "-" else 0
    negative = text.startswith("-") or (text.startswith("(") and text.endswith(")"))
    digits = text.strip("-()+")
    if not re.fullmatch(r"[\d.,]+", digits):
        raise ValueError(f"Số tiền “{cell}” không phải là một số.")
    whole, fraction = split_decimal(digits)
    if fraction.strip("0"):
        raise ValueError(f"Số tiền “{cell}” có phần lẻ dưới một đồng.")
    amount = int(whole.replace(".", "").replace(",", "") or "0")
    return -amount if negative else amount


def parse_date(cell: Any) -> tuple[date, str | None] | None:
    """The day (day first) and the time of day, if the cell has one; None if unreadable."""
    if isinstance(cell, datetime):
        return cell.date(), cell.strftime(
            "%H:%M:%S"
        ) if cell.time() != datetime.min.time() else None
    if isinstance(cell, date):
        return cell, None
    if cell is None:
        return None
    text = str(cell).replace("\xa0", " ")
    found = _DATE.search(text)
    if not found:
        return None
    try:
        if found.group(1):
            day = date(int(found.group(3)), int(found.group(2)), int(found.group(1)))
        else:
            day = date(int(found.group(4)), int(found.group(5)), int(found.group(6)))
    except ValueError:
        return None
    time = _TIME.search(text[found.end() :])
    return day, time.group(1) if time else None


def _rest_after_date(text: str) -> str | None:
    """The document number written after the date in one cell (Vietcombank)."""
    found = _DATE.search(text)
    rest = _TIME.sub("", text[found.end() :] if found else "")
    return normalise(rest) or None


def _cell(cells: Sequence[Any], index: int) -> Any:
    return cells[index] if index < len(cells) else None


def _text(cell: Any) -> str | None:
    if cell is None:
        return None
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return normalise(str(cell)) or None


def _repeats_header(cells: Sequence[Any], labels: list[str]) -> bool:
    """Whether the line's cells, folded, are the header's labels: a page's header
    repeated. Stops at the first cell that differs, so a transaction folds one cell."""
    return len(cells) == len(labels) and all(
        (fold(str(c)) if c is not None else "") == label
        for c, label in zip(cells, labels, strict=True)
    )
