"""The one writer of every CSV that people open in a spreadsheet program: text that would
start a formula is neutralised (OWASP's advice on CSV injection), numbers stay numbers."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import IO

#: The characters that make a spreadsheet program read a cell as a formula (OWASP's CSV
#: injection list: = + - @ tab and carriage return, with line feed), and their full-width
#: forms, which some programs also take for them.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
#: Text that is a plain number ("-1.500.000 đ", "-12", "+84", "157,3%"): no formula can
#: hide in it, so it keeps its sign.
_PLAIN_NUMBER = re.compile(r"[+-]?\d[\d.,]*(?: ?(?:đ|%))?")


def neutral(text: str) -> str:
    """``text`` as a spreadsheet program shows it and never runs it: a single quote before
    text that would start a formula (``=HYPERLINK(...)``, ``@SUM(...)``, ``-2+3+cmd|...``)."""
    if text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


class CsvWriter:
    """``csv.writer`` for files people open in a spreadsheet program: text neutralised and
    quoted (so that a program splitting on ";", as a Vietnamese Excel does, cannot cut a
    cell so that its second half starts a formula), numbers written bare, as numbers."""

    def __init__(self, out: IO[str]) -> None:
        self._writer = csv.writer(out, quoting=csv.QUOTE_NONNUMERIC)

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([_csv_cell(cell) for cell in row])


def _csv_cell(cell: object) -> object:
    if isinstance(cell, str):
        return neutral(cell)
    return "" if cell is None else cell


def csv_writer(out: IO[str]) -> CsvWriter:
    """The writer of every CSV the service sends."""
    return CsvWriter(out)
