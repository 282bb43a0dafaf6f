"""Exports as a Vietnamese reader opens them: CSV with Vietnamese headers, đồng written
"1.024.230.000 đ" and dates dd/mm/yyyy; XLSX with the same headers and real numbers and
dates (shown the same way), so that a spreadsheet program can add them up.

Every CSV the service writes goes through ``service.adapters.csvfile.csv_writer`` and every XLSX
through ``xlsx_bytes`` here, so that text someone typed (a donor's name, a bank memo) is
never read as a formula: in a CSV, text that a spreadsheet program would take for a
formula is prefixed with a single quote and every text cell is quoted; in an XLSX, text
is written as a text cell."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from flask import Response
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from service.adapters.csvfile import csv_writer
from service.domain.money import vnd
from service.web.labels import day, percent

CSV_MIMETYPE = "text/csv"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: The export formats for people, beside the JSON (and the machine CSV of the report).
FORMATS = ("csv-vi", "xlsx")
MONEY_FORMAT = '#,##0" đ"'
DATE_FORMAT = "dd/mm/yyyy"
#: The time every workbook says it was made and its archive's files were written.
FIXED_TIME = datetime(1980, 1, 1)
WIDTHS = (42, 20, 18, 28, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18)


@dataclass(frozen=True)
class Dong:
    """An amount of đồng in a table."""

    value: int


@dataclass(frozen=True)
class Percent:
    """A percentage in a table (157.3 is 157,3%)."""

    value: float


Cell = str | int | date | Dong | Percent | None


@dataclass
class Table:
    """One sheet: a title, lines naming what it is and where it comes from, then columns."""

    title: str
    filename: str
    heading: list[tuple[str, Cell]]
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    #: Only the columns and the rows, as a program importing the sheet reads it.
    bare: bool = False


#: What an export says of its figures: they are read from the read models, which a
#: checkpoint does not cover (``sovang projections check`` compares them with the log).
NOT_CHECKED = (
    "Đối chiếu số liệu với sổ sự kiện",
    "Chưa đối chiếu: số liệu lấy từ các bảng đọc; điểm kiểm tra chứng thực sổ sự kiện, "
    "không chứng thực các con số này. Đối chiếu bằng lệnh `sovang projections check` "
    "hoặc nút Đối chiếu trên trang Kiểm chứng sổ (/thanh-tra/kiem-chung).",
)


def provenance(position: int, checkpoint: dict[str, Any] | None) -> list[tuple[str, Cell]]:
    """The heading lines that name the checkpoint an export was made from, and say that
    its figures were not checked against the log."""
    lines: list[tuple[str, Cell]] = [("Dữ liệu đến vị trí trong sổ (position)", position)]
    if checkpoint is None:
        return [
            *lines,
            ("Điểm kiểm tra (checkpoint)", "Chưa có điểm kiểm tra đã ký bao gồm dữ liệu này"),
            NOT_CHECKED,
        ]
    return [
        *lines,
        ("Điểm kiểm tra - kích thước cây (tree size)", int(checkpoint["tree_size"])),
        ("Điểm kiểm tra - gốc (root hash)", str(checkpoint["root_hash"])),
        ("Điểm kiểm tra - ký lúc", str(checkpoint["made_at"])),
        NOT_CHECKED,
    ]


def as_text(cell: Cell) -> str:
    """A cell as the Vietnamese CSV writes it."""
    if cell is None:
        return ""
    if isinstance(cell, Dong):
        return vnd(cell.value)
    if isinstance(cell, Percent):
        return percent(cell.value)
    if isinstance(cell, date):
        return day(cell)
    return str(cell)


def csv_bytes(table: Table) -> bytes:
    """UTF-8 with a byte-order mark, so that spreadsheet programs read the diacritics."""
    out = io.StringIO()
    writer = csv_writer(out)
    if not table.bare:
        writer.writerow([table.title])
        for label, value in table.heading:
            writer.writerow([label, as_text(value)])
        writer.writerow([])
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow([as_text(cell) for cell in row])
    return out.getvalue().encode("utf-8-sig")


def xlsx_bytes(table: Table) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = table.title[:31]
    if not table.bare:
        _append(sheet, [table.title])
        sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
        for label, value in table.heading:
            _append(sheet, [label, value])
        sheet.append([])
    _append(sheet, list(table.columns))
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in table.rows:
        _append(sheet, row)
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    # The same table gives the same bytes, whenever it is made: the workbook's dates and
    # the archive's file times are fixed, so an export of a closed period can be compared
    # byte for byte with one made later.
    book.properties.created = book.properties.modified = FIXED_TIME
    written = io.BytesIO()
    ExcelWriter(book, ZipFile(written, "w", ZIP_DEFLATED, allowZip64=True)).save()
    out = io.BytesIO()
    with ZipFile(io.BytesIO(written.getvalue())) as source, ZipFile(out, "w", ZIP_DEFLATED) as copy:
        for entry in source.infolist():
            fixed = ZipInfo(entry.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = ZIP_DEFLATED
            copy.writestr(fixed, source.read(entry.filename))
    return out.getvalue()


def _append(sheet: Any, cells: list[Cell]) -> None:
    values: list[Any] = []
    for cell in cells:
        if isinstance(cell, Dong | Percent):
            values.append(cell.value)
        else:
            values.append(cell)
    sheet.append(values)
    for written, cell in zip(sheet[sheet.max_row], cells, strict=False):
        if isinstance(cell, Dong):
            written.number_format = MONEY_FORMAT
        elif isinstance(cell, Percent):
            written.number_format = '0.0"%"'
        elif isinstance(cell, date):
            written.number_format = DATE_FORMAT
        elif isinstance(cell, str) and cell:
            # openpyxl stores text starting with "=" as a formula: text stays text, and
            # a program re-editing the cell keeps it text too.
            written.data_type = "s"
            written.quotePrefix = True


def file_response(table: Table, fmt: str) -> Response:
    """The table as a download in ``fmt`` (``csv-vi`` or ``xlsx``)."""
    if fmt == "xlsx":
        response = Response(xlsx_bytes(table), mimetype=XLSX_MIMETYPE)
        name = f"{table.filename}.xlsx"
    else:
        response = Response(csv_bytes(table), content_type=f"{CSV_MIMETYPE}; charset=utf-8")
        name = f"{table.filename}.csv"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
