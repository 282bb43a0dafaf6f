"""The exports opened in a real spreadsheet program: LibreOffice Calc, headless, reads the
XLSX and the CSV of a report and of the sổ thu and sổ chi books, and the figures it reads
are the JSON's. In the XLSX, money and dates are cells Calc computes with (a SUM added to
the sheet adds them up), shown to a Vietnamese reader as "1.024.230.000 đ" and dd/mm/yyyy,
exactly as the CSV writes them.

`make test` installs LibreOffice (`make libreoffice`) when `soffice` is missing; without
it this test is skipped locally and fails under CI=true."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from openpyxl import load_workbook

from tests.api.helpers import MakeToken, ok
from tests.api.test_exports import _export, _labelled, _sign, _year

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
#: Calc's CSV filter: comma, double quotes, UTF-8, from line 1; the last switches say
#: whether each cell is written as shown (formatted) or as its value.
AS_VALUES = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false"
AS_SHOWN = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false"

if SOFFICE is None:
    if os.environ.get("CI") == "true":
        pytest.fail("soffice is missing: `make test` installs LibreOffice Calc", pytrace=False)
    pytest.skip("soffice is missing (make test installs it)", allow_module_level=True)


def calc(files: dict[str, bytes], tmp_path: Path, filter_: str) -> dict[str, list[list[str]]]:
    """Opens each file in LibreOffice Calc (headless, a Vietnamese locale, a profile of its
    own) and saves it as CSV; returns each file's rows as Calc wrote them."""
    source = tmp_path / "in"
    out = tmp_path / ("values" if filter_ == AS_VALUES else "shown")
    source.mkdir(exist_ok=True)
    # Calc names each output after its source's stem: give the XLSX and the CSV of one
    # export stems of their own.
    stems = {name: name.replace(".", "-") for name in files}
    for name, content in files.items():
        (source / f"{stems[name]}{Path(name).suffix}").write_bytes(content)
    env = {**os.environ, "LANG": "vi_VN.UTF-8", "LC_ALL": "vi_VN.UTF-8"}
    result = subprocess.run(
        [
            str(SOFFICE),
            "--headless",
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--infilter=CSV:44,34,76,1",
            "--convert-to",
            filter_,
            "--outdir",
            str(out),
            *(str(source / f"{stems[name]}{Path(name).suffix}") for name in files),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    read = {}
    for name in files:
        text = (out / f"{stems[name]}.csv").read_text(encoding="utf-8-sig")
        read[name] = list(csv.reader(io.StringIO(text)))
    return read


def with_sum(xlsx: bytes, column: str, first: int, last: int) -> bytes:
    """The workbook with a SUM over the cells ``column``first..last, below the book's
    total line and a blank row."""
    book = load_workbook(io.BytesIO(xlsx))
    sheet = book.active
    assert sheet is not None
    sheet[f"{column}{last + 3}"] = f"=SUM({column}{first}:{column}{last})"
    saved = io.BytesIO()
    book.save(saved)
    return saved.getvalue()


def dong(text: str) -> int:
    """An amount as a Vietnamese reader writes it: "1.024.230.000 đ" is 1024230000."""
    assert text.endswith(" đ"), text
    return int(text.removesuffix(" đ").replace(".", ""))


def lines_after(rows: list[list[str]], first_column: str) -> list[list[str]]:
    """The lines of the table whose header starts with ``first_column``, up to a blank line."""
    header = next(i for i, row in enumerate(rows) if row and row[0] == first_column)
    lines = []
    for row in rows[header + 1 :]:
        if not any(cell.strip() for cell in row):
            break
        lines.append(row[: len(rows[header])])
    return lines


def test_libreoffice_reads_the_report_and_the_books_with_the_figures_of_the_json(
    client: FlaskClient, make_token: MakeToken, tmp_path: Path
) -> None:
    year = _year(client, make_token)
    checkpoint = _sign(client, year.admin)
    at = checkpoint["position"]
    report_path = f"/units/{year.commune_id}/report"
    period: dict[str, Any] = {"from_": "2025-01-01", "to": "2025-12-31"}
    receipts_path = f"/funds/{year.fund_id}/books/receipts"
    payments_path = f"/funds/{year.fund_id}/books/payments"
    report = ok(_export(client, year.treasurer, report_path, at, **period))
    receipts = ok(_export(client, year.treasurer, receipts_path, at, year=2025))
    payments = ok(_export(client, year.treasurer, payments_path, at, year=2025))

    def export(path: str, fmt: str, **params: Any) -> bytes:
        response = _export(client, year.treasurer, path, at, format=fmt, **params)
        assert response.status_code == 200, response.get_data(as_text=True)
        return bytes(response.get_data())

    files = {
        "bao-cao.xlsx": export(report_path, "xlsx", **period),
        "so-thu.xlsx": export(receipts_path, "xlsx", year=2025),
        "so-chi.xlsx": export(payments_path, "xlsx", year=2025),
        "bao-cao.csv": export(report_path, "csv-vi", **period),
        "so-thu.csv": export(receipts_path, "csv-vi", year=2025),
        "so-chi.csv": export(payments_path, "csv-vi", year=2025),
    }
    book = load_workbook(io.BytesIO(files["so-thu.xlsx"])).active
    assert book is not None
    header = next(r for r in range(1, book.max_row + 1) if book.cell(r, 1).value == "Ngày")
    slips = len(receipts["items"])
    # Under the book's own total line, after a blank row: Calc's SUM of the money column.
    files["so-thu.xlsx"] = with_sum(files["so-thu.xlsx"], "G", header + 1, header + slips)

    values = calc(files, tmp_path, AS_VALUES)
    shown = calc(files, tmp_path, AS_SHOWN)

    # The report: each figure a number Calc reads, equal to the JSON's.
    figures = _labelled(values["bao-cao.xlsx"])
    expected = {
        "Tồn đầu kỳ": report["opening_balance"],
        "Tổng thu (tiền)": report["receipts"]["total"],
        "  Thu - Tiền mặt": report["receipts"]["by_channel"]["cash"],
        "  Thu - Chuyển khoản": report["receipts"]["by_channel"]["bank"],
        "Hiện vật nhận (giá trị, ngoài số dư)": report["receipts"]["in_kind_value"],
        "Tổng chi (tiền)": report["disbursements"]["total"],
        "  Chi - Sửa chữa nhà Đại đoàn kết": report["disbursements"]["by_category"]["house_repair"],
        "Điều tiết đến": report["transfers"]["in"],
        "Điều tiết đi": report["transfers"]["out"],
        "Tồn cuối kỳ": report["closing_balance"],
    }
    assert {label: int(figures[label]) for label in expected} == expected
    assert int(figures["Điểm kiểm tra - kích thước cây (tree size)"]) == checkpoint["tree_size"]
    # ...shown by Calc as the Vietnamese CSV writes it, and read back from that CSV.
    assert _labelled(shown["bao-cao.xlsx"])["Tồn cuối kỳ"] == "1.005.200.000 đ"
    from_csv = _labelled(values["bao-cao.csv"])
    assert {label: dong(from_csv[label]) for label in expected} == expected

    # Sổ thu: each line's money and date, the book's total line, and the SUM Calc computed
    # over the money column, equal to it.
    lines = lines_after(values["so-thu.xlsx"], "Ngày")
    assert len(lines) == slips + 1
    assert lines[-1][0] == "Cộng"
    assert [int(line[6] or 0) for line in lines[:-1]] == [i["money"] for i in receipts["items"]]
    assert int(lines[-1][6]) == receipts["total"]
    summed = values["so-thu.xlsx"][header + slips + 2]
    assert int(summed[6]) == receipts["total"]
    shown_lines = lines_after(shown["so-thu.xlsx"], "Ngày")
    assert [line[0] for line in shown_lines[:-1]] == [
        "/".join(reversed(i["occurred_on"].split("-"))) for i in receipts["items"]
    ]
    assert shown_lines[0][6] == "1.024.230.000 đ"
    assert shown_lines == lines_after(values["so-thu.csv"], "Ngày")
    thu = _labelled(values["so-thu.xlsx"])
    assert int(thu["Tồn đầu năm"]) == receipts["opening_balance"]
    assert int(thu["Tổng thu bằng tiền"]) == receipts["total"]
    assert dong(_labelled(values["so-thu.csv"])["Tổng thu bằng tiền"]) == receipts["total"]

    # Sổ chi: each payment's money, and the total line.
    paid = lines_after(values["so-chi.xlsx"], "Ngày")
    assert [int(line[6]) for line in paid[:-1]] == [i["money"] for i in payments["items"]]
    assert int(paid[-1][6]) == payments["total"]
    assert int(_labelled(values["so-chi.xlsx"])["Tổng chi bằng tiền"]) == payments["total"]
    assert [dong(line[6]) for line in lines_after(values["so-chi.csv"], "Ngày")[:-1]] == [
        i["money"] for i in payments["items"]
    ]
    assert lines_after(shown["so-chi.xlsx"], "Ngày") == lines_after(values["so-chi.csv"], "Ngày")
