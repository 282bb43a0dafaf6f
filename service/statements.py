"""Reading bank statements (sao kê) exported as CSV or XLSX, a row at a time.

Vietnamese banks lay their exports out each in its own way: a block of titles above
the table, bilingual column labels, a date and a document number in one cell, amounts
with dots or commas for thousands, totals and repeated page headers among the
transactions. A ``Layout`` names, for each field, the labels of the columns that hold
it; the reader finds the header row by those labels and then yields every credit as a
``StatementRow`` and every line it cannot read as a ``BadRow``, streaming: the memory it
needs does not grow with the file.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from service.domain.errors import UnreadableStatement
from service.domain.imports import BadRow, StatementRow
from service.domain.text import fold, normalise

#: How many lines above the table a title block may take.
HEADER_SEARCH_ROWS = 40
FIELDS = ("date", "amount", "debit", "reference", "memo", "counterparty")
_TOTAL_WORDS = ("tong", "total", "cong phat sinh", "so du", "balance", "opening", "closing")
_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})|(\d{4})-(\d{2})-(\d{2})")
_TIME = re.compile(r"\b(\d{1,2}:\d{2}(?::\d{2})?)\b")


@dataclass(frozen=True)
class Layout:
    """The labels (compared without case and diacritics, as parts of a header cell) of
    the columns that hold each field."""

    name: str
    date: tuple[str, ...]
    amount: tuple[str, ...]
    memo: tuple[str, ...]
    debit: tuple[str, ...] = ()
    reference: tuple[str, ...] = ()
    counterparty: tuple[str, ...] = ()
    description: str = ""

    def with_columns(self, columns: Mapping[str, str]) -> Layout:
        """This layout with some fields' columns named exactly (by their header label)."""
        unknown = set(columns) - set(FIELDS)
        if unknown:
            raise UnreadableStatement(
                f"Không có trường {', '.join(sorted(unknown))}; hãy dùng {', '.join(FIELDS)}."
            )
        named: dict[str, Any] = {name: (fold(label),) for name, label in columns.items()}
        return replace(self, **named)


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
            description="The service's own CSV: date, amount, reference, memo, counterparty.",
        ),
        Layout(
            "vietcombank",
            date=("ngay gd", "tnx date", "ngay gio giao dich"),
            amount=("ghi co", "credit"),
            debit=("ghi no", "debit"),
            reference=("so ct", "doc no"),
            memo=("noi dung", "transactions in detail"),
            counterparty=("ten nguoi chuyen",),
            description="Statement or transaction listing; date and document number may "
            "share a cell.",
        ),
        Layout(
            "vietinbank",
            date=("ngay gd", "date time", "ngay phat sinh", "ngay hach toan"),
            amount=("so tien (co)", "co/credit", "credit"),
            debit=("no/debit",),
            reference=("so giao dich",),
            memo=("mo ta giao dich", "transaction comment"),
            counterparty=("ten doi ung", "offset name"),
            description="Statement or business export; blank dates are filled down.",
        ),
        Layout(
            "bidv",
            date=("ngay giao dich", "trans.date"),
            amount=("phat sinh co", "credit amount"),
            debit=("phat sinh no", "debit amount"),
            memo=("dien giai", "txn. description"),
            description="No references: rows are keyed by date, time, amount and memo.",
        ),
        Layout(
            "agribank",
            date=("ngay/date", "ngay"),
            amount=("co/cr",),
            debit=("no/dr",),
            reference=("so tham chieu", "ref. no"),
            memo=("ghi chu", "remark"),
        ),
        Layout(
            "mb",
            date=("ngay hach toan", "ngay giao dich"),
            amount=("phat sinh co",),
            debit=("phat sinh no",),
            reference=("so but toan", "ma gd"),
            memo=("noi dung",),
        ),
        Layout(
            "techcombank",
            date=("ngay giao dich", "ngay kh thuc hien"),
            amount=("co/credit",),
            debit=("no/debit",),
            reference=("so but toan", "reference number"),
            memo=("dien giai",),
            counterparty=("ten tai khoan doi ung",),
        ),
        Layout(
            "vbsp",
            date=("ngay giao dich",),
            amount=("so tien giao dich",),
            memo=("noi dung giao dich",),
        ),
    )
}


@dataclass
class Tally:
    """What the reader passed over: debits, and lines that are no transaction."""

    rows_read: int = 0
    debits: int = 0
    skipped: int = 0


@dataclass
class StatementReader:
    """Yields a statement's credits and bad lines, in file order."""

    cells: Iterable[Sequence[Any]]
    layout: Layout
    tally: Tally = field(default_factory=Tally)

    def start(self) -> Iterator[StatementRow | BadRow]:
        """Finds the header row at once (or refuses the file), then yields the rows."""
        lines = enumerate(self.cells, 1)
        return self._rows(lines, self._header(lines))

    def _rows(
        self, lines: Iterator[tuple[int, Sequence[Any]]], columns: dict[str, int]
    ) -> Iterator[StatementRow | BadRow]:
        last_date: tuple[date, str | None] | None = None
        ranks: dict[str, int] = {}
        for row_no, cells in lines:
            self.tally.rows_read += 1
            value = {name: _cell(cells, index) for name, index in columns.items()}
            if not any(str(v).strip() for v in value.values() if v is not None):
                self.tally.skipped += 1
                continue
            read = self._row(row_no, value, columns, last_date)
            if read is None:
                continue
            if isinstance(read, StatementRow):
                last_date = (read.occurred_on, read.time)
                if not read.reference:
                    base = read.key
                    read = replace(read, rank=ranks.get(base, 0))
                    ranks[base] = read.rank + 1
            yield read

    def _header(self, lines: Iterator[tuple[int, Sequence[Any]]]) -> dict[str, int]:
        for row_no, cells in lines:
            if row_no > HEADER_SEARCH_ROWS:
                break
            labels = [fold(str(c)) if c is not None else "" for c in cells]
            columns: dict[str, int] = {}
            for name in FIELDS:
                wanted: tuple[str, ...] = getattr(self.layout, name)
                for index, label in enumerate(labels):
                    if label and index not in columns.values() and any(w in label for w in wanted):
                        columns[name] = index
                        break
            if "date" in columns and "amount" in columns and "memo" in columns:
                date_label = labels[columns["date"]]
                if "reference" not in columns and any(
                    w in date_label for w in self.layout.reference
                ):
                    # The date and the document number share a cell (Vietcombank).
                    columns["reference"] = columns["date"]
                return columns
        raise UnreadableStatement(
            f"Không thấy dòng tiêu đề (header row) có các cột ngày, số tiền và nội dung theo mẫu "
            f"{self.layout.name} trong {HEADER_SEARCH_ROWS} dòng đầu; hãy chọn mẫu ngân hàng "
            "khác hoặc ghi rõ tên các cột."
        )

    def _row(
        self,
        row_no: int,
        value: dict[str, Any],
        columns: dict[str, int],
        last_date: tuple[date, str | None] | None,
    ) -> StatementRow | BadRow | None:
        try:
            credit = parse_amount(value.get("amount"))
            debit = parse_amount(value.get("debit"))
        except ValueError as error:
            return BadRow(row_no, str(error))
        when = parse_date(value.get("date"))
        if when is None:
            text = " ".join(fold(str(v)) for v in value.values() if v is not None)
            if credit is None or any(word in text for word in _TOTAL_WORDS):
                self.tally.skipped += 1
                return None
            if last_date is None or str(value.get("date") or "").strip():
                return BadRow(row_no, f"Không đọc được ngày “{value.get('date')}”.")
            when = last_date
        if credit is None or credit <= 0:
            if (debit or 0) != 0 or (credit or 0) < 0:
                self.tally.debits += 1
                return None
            if credit == 0:
                self.tally.skipped += 1
                return None
            return BadRow(row_no, "Dòng có ngày nhưng không có số tiền ghi có.")
        reference = _text(value.get("reference"))
        if columns.get("reference") == columns["date"]:
            reference = _rest_after_date(str(value.get("date") or ""))
        return StatementRow(
            row_no=row_no,
            occurred_on=when[0],
            time=when[1],
            amount=credit,
            reference=reference,
            memo=_text(value.get("memo")) or "",
            counterparty=_text(value.get("counterparty")),
        )


def open_statement(
    source: IO[bytes] | Path, filename: str, layout: Layout
) -> tuple[StatementReader, Any]:
    """A reader of the CSV or XLSX statement ``source`` (by the name's extension), and
    the handle to close when done."""
    suffix = Path(filename).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(source, read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a damaged file
            raise UnreadableStatement(f"Tệp không phải bảng tính XLSX đọc được: {error}") from None
        return StatementReader(book.worksheets[0].iter_rows(values_only=True), layout), book
    if suffix in (".csv", ".txt", ""):
        raw = source.open("rb") if isinstance(source, Path) else source
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace", newline="")
        sample = text.read(8192)
        text.seek(0)
        try:
            dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        return StatementReader(csv.reader(text, dialect), layout), text
    raise UnreadableStatement(
        "Hãy gửi sao kê dạng tệp .csv hoặc .xlsx (tệp .xls hãy lưu lại thành .xlsx)."
    )


def parse_amount(cell: Any) -> int | None:
    """Đồng from a cell: 1.000.000, 1,000,000, 150.000,00, 1,000,000.00, 500000 or a
    number; None when empty. Fractions of a đồng are refused."""
    if cell is None:
        return None
    if isinstance(cell, bool):
        raise ValueError(f"Số tiền (amount) “{cell}” không phải là số.")
    if isinstance(cell, int):
        return cell
    if isinstance(cell, float):
        if not cell.is_integer():
            raise ValueError(f"Số tiền (amount) {cell} có phần lẻ dưới một đồng.")
        return int(cell)
    text = str(cell).replace("\xa0", "").replace(" ", "").upper().removesuffix("VND")
    text = text.removesuffix("Đ").removesuffix("D").strip()
    if not text or text in ("-", "0"):
        return None if not text or text == "-" else 0
    negative = text.startswith("-") or (text.startswith("(") and text.endswith(")"))
    digits = text.strip("-()+")
    if not re.fullmatch(r"[\d.,]+", digits):
        raise ValueError(f"Số tiền (amount) “{cell}” không phải là số.")
    whole, fraction = _split_decimal(digits)
    if fraction.strip("0"):
        raise ValueError(f"Số tiền (amount) “{cell}” có phần lẻ dưới một đồng.")
    amount = int(whole.replace(".", "").replace(",", "") or "0")
    return -amount if negative else amount


def _split_decimal(digits: str) -> tuple[str, str]:
    """The whole part and the decimal part of a number written with either separator."""
    last = max(digits.rfind("."), digits.rfind(","))
    if last < 0:
        return digits, ""
    separator = digits[last]
    other = "," if separator == "." else "."
    after = digits[last + 1 :]
    if other in digits[:last]:
        return digits[:last], after
    if digits.count(separator) == 1 and len(after) != 3:
        return digits[:last], after
    return digits, ""


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
