"""The exports for people: the unit report, sổ thu and sổ chi, and the yearly summary by
kind of fund, as CSV (Vietnamese headers, 1.024.230.000 đ, dd/mm/yyyy) and XLSX, read
back and compared with figures computed by hand; each names its checkpoint."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest
from flask.testing import FlaskClient
from openpyxl import load_workbook
from werkzeug.test import TestResponse

from tests.api.helpers import (
    API,
    MakeToken,
    commune_with_fund,
    disburse,
    get,
    invalid,
    ok,
    open_fund,
    problem,
    receive,
    reverse,
    send,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Year:
    admin: str
    treasurer: str
    province_id: str
    commune_id: str
    fund_id: str
    relief_id: str
    position: int


def _year(client: FlaskClient, make_token: MakeToken) -> Year:
    """A commune's 2025: a gift of 1.024.230.000 đ, a company's transfer, a mistake
    reversed, goods, a house repaired, money sent to its relief fund and up to the
    province, and an emergency paid from the relief fund."""
    world = commune_with_fund(client, make_token)
    t, f = world.treasurer, world.fund_id
    relief = open_fund(client, t, world.commune_id, "Quỹ cứu trợ xã", "relief")["id"]
    above = open_fund(client, world.admin, world.province_id, "Quỹ Vì người nghèo tỉnh")["id"]
    receive(client, t, f, 2_000_000, occurred_on="2024-12-20")
    receive(client, t, f, 1_024_230_000, occurred_on="2025-01-05")
    receive(
        client,
        t,
        f,
        5_000_000,
        occurred_on="2025-02-10",
        channel="bank",
        bank_ref="FT25041",
        donor={"name": "Công ty Bình Minh", "kind": "organisation"},
    )
    mistake = receive(client, t, f, 700_000, occurred_on="2025-03-01")
    receive(client, t, f, 3_000_000, occurred_on="2025-03-02", channel="in_kind")
    disburse(
        client,
        t,
        f,
        24_230_000,
        occurred_on="2025-04-01",
        category="house_repair",
        voucher_no="PC-001",
    )
    send(client, t, f, relief, 4_000_000, occurred_on="2025-05-01")
    send(client, t, f, above, 1_000_000, occurred_on="2025-06-01")
    reverse(client, t, f, mistake["entry_id"])
    last = disburse(client, t, relief, 1_500_000, occurred_on="2025-07-01", category="emergency")
    return Year(world.admin, t, world.province_id, world.commune_id, f, relief, last["position"])


def _sign(client: FlaskClient, token: str) -> dict[str, Any]:
    response = client.post(API + "/audit/checkpoints", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 201, response.get_data(as_text=True)
    body: dict[str, Any] = response.get_json()
    body["position"] = body["tree_size"] + 1  # the checkpoint is itself the next event
    return body


def _file(response: TestResponse, mimetype: str, extension: str) -> bytes:
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == mimetype
    assert response.headers["Content-Disposition"].endswith(f'.{extension}"')
    return response.get_data()


def _csv(response: TestResponse) -> list[list[str]]:
    raw = _file(response, "text/csv", "csv")
    assert raw.startswith(b"\xef\xbb\xbf"), "a byte-order mark for spreadsheet programs"
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def _xlsx(response: TestResponse) -> list[list[Any]]:
    book = load_workbook(io.BytesIO(_file(response, XLSX, "xlsx")))
    sheet = book.active
    assert sheet is not None
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _xlsx_cells(response: TestResponse) -> Any:
    book = load_workbook(io.BytesIO(_file(response, XLSX, "xlsx")))
    return book.active


def _labelled(rows: list[list[Any]]) -> dict[str, Any]:
    return {row[0]: row[1] for row in rows if row and row[0] is not None and len(row) > 1}


def _export(client: FlaskClient, token: str, path: str, position: int, **params: Any) -> Any:
    return get(client, path, token, min_position=position, **params)


def test_the_report_as_vietnamese_csv_has_the_figures_written_as_readers_write_them(
    client: FlaskClient, make_token: MakeToken
) -> None:
    year = _year(client, make_token)

    rows = _csv(
        _export(
            client,
            year.treasurer,
            f"/units/{year.commune_id}/report",
            year.position,
            from_="2025-01-01",
            to="2025-12-31",
            format="csv-vi",
        )
    )

    figures = _labelled(rows)
    assert rows[0] == ["Báo cáo thu chi"]
    assert figures["Đơn vị"] == "Xã Vĩnh Linh"
    assert figures["Kỳ báo cáo"] == "Từ 01/01/2025 đến 31/12/2025"
    assert ["Nội dung", "Giá trị"] in rows
    assert figures["Tồn đầu kỳ"] == "2.000.000 đ"
    # the receipt reversed today counts in 2025, its reversal today
    assert figures["Tổng thu (tiền)"] == "1.029.930.000 đ"
    assert figures["  Thu - Tiền mặt"] == "1.024.930.000 đ"
    assert figures["  Thu - Chuyển khoản"] == "5.000.000 đ"
    assert figures["Hiện vật nhận (giá trị, ngoài số dư)"] == "3.000.000 đ"
    assert figures["Tổng chi (tiền)"] == "25.730.000 đ"
    assert figures["  Chi - Sửa chữa nhà Đại đoàn kết"] == "24.230.000 đ"
    assert figures["  Chi - Hỗ trợ đột xuất"] == "1.500.000 đ"
    assert figures["Điều tiết đến"] == "0 đ"
    assert figures["Điều tiết đi"] == "1.000.000 đ"
    assert figures["Tồn cuối kỳ"] == "1.005.200.000 đ"
    assert figures["Tỷ lệ đạt chỉ tiêu"] == "0,0%"
    assert figures["Điểm kiểm tra (checkpoint)"].startswith("Chưa có")


def test_the_report_as_xlsx_keeps_numbers_and_names_the_checkpoint_it_was_read_from(
    client: FlaskClient, make_token: MakeToken
) -> None:
    year = _year(client, make_token)
    checkpoint = _sign(client, year.admin)

    response = _export(
        client,
        year.admin,
        f"/units/{year.province_id}/report",
        checkpoint["position"],
        from_="2025-01-01",
        to="2025-12-31",
        include_children="true",
        format="xlsx",
    )

    sheet = _xlsx_cells(response)
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    figures = _labelled(rows)
    assert figures["Đơn vị"] == "Tỉnh Quảng Trị"
    assert figures["Tổng thu (tiền)"] == 1_029_930_000
    assert figures["Tổng chi (tiền)"] == 25_730_000
    assert figures["Điều tiết đi"] == 0, "inside the province, transfers cancel out"
    assert figures["Tồn cuối kỳ"] == 1_006_200_000
    assert figures["Hộ được hỗ trợ"] == 0
    assert figures["Điểm kiểm tra - kích thước cây (tree size)"] == checkpoint["tree_size"]
    assert figures["Điểm kiểm tra - gốc (root hash)"] == checkpoint["root_hash"]
    closing = next(row for row in sheet.iter_rows() if row[0].value == "Tồn cuối kỳ")
    assert closing[1].number_format == '#,##0" đ"'


def test_the_receipts_book_lists_every_slip_of_the_year_in_order_read_back_from_both_files(
    client: FlaskClient, make_token: MakeToken
) -> None:
    year = _year(client, make_token)
    checkpoint = _sign(client, year.admin)
    path = f"/funds/{year.fund_id}/books/receipts"

    body = ok(_export(client, year.treasurer, path, checkpoint["position"], year=2025))
    rows = _csv(
        _export(client, year.treasurer, path, checkpoint["position"], year=2025, format="csv-vi")
    )
    sheet = _xlsx(
        _export(client, year.treasurer, path, checkpoint["position"], year=2025, format="xlsx")
    )

    # cash receipts take phiếu thu numbers; the bank credit carries its bank reference
    assert [line["slip_no"] for line in body["items"]] == [1, None, 2, None]
    assert [line["bank_ref"] for line in body["items"]] == [None, "FT25041", None, None]
    assert [(line["money"], line["goods_value"]) for line in body["items"]] == [
        (1_024_230_000, 0),
        (5_000_000, 0),
        (700_000, 0),
        (0, 3_000_000),
    ]
    # the receipt reversed today still counts in 2025, unmarked: the closed year's book
    # never changes; its reversal counts today, in today's book
    assert [line["reversed"] for line in body["items"]] == [False, False, False, False]
    assert [line["running_total"] for line in body["items"]] == [
        1_024_230_000,
        1_029_230_000,
        1_029_930_000,
        1_029_930_000,
    ]
    assert (body["opening_balance"], body["total"]) == (2_000_000, 1_029_930_000)
    assert body["totals"]["goods_value"] == 3_000_000
    assert body["checkpoint"]["tree_size"] == checkpoint["tree_size"]
    header = rows.index(
        [
            "Ngày",
            "Số phiếu thu",
            "Chứng từ ngân hàng (giấy báo Có)",
            "Người nộp",
            "Hình thức",
            "Nội dung",
            "Thu bằng tiền",
            "Hiện vật",
            "Giá trị hiện vật",
            "Lũy kế tiền thu",
            "Ghi chú",
        ]
    )
    lines = rows[header + 1 :]
    assert lines[0][0] == "05/01/2025"
    assert lines[0][1].startswith("PT-2025-000001-")
    assert lines[0][3:5] == ["Nguyễn Văn An", "Tiền mặt"]
    assert lines[0][6] == "1.024.230.000 đ"
    assert lines[1][1:5] == ["", "FT25041", "Công ty Bình Minh", "Chuyển khoản"]
    assert lines[2][1].startswith("PT-2025-000002-")
    assert lines[2][10] == ""
    assert lines[3][6:9] == ["", "Gạo (10 bao)", "3.000.000 đ"]
    assert lines[-1][0] == "Cộng"
    assert lines[-1][6:10] == ["1.029.930.000 đ", "", "3.000.000 đ", "1.029.930.000 đ"]
    figures = _labelled(rows)
    assert figures["Tồn đầu năm"] == "2.000.000 đ"
    assert figures["Tổng thu bằng tiền"] == "1.029.930.000 đ"
    assert figures["Điểm kiểm tra - kích thước cây (tree size)"] == str(checkpoint["tree_size"])
    xlsx_lines = sheet[sheet.index(list(rows[header])) + 1 :]
    money = [line[6] for line in xlsx_lines]
    assert money == [1_024_230_000, 5_000_000, 700_000, None, 1_029_930_000]
    assert sum(m for m in money[:-1] if m) == money[-1], "the column adds up to its total"
    assert sum(line[8] or 0 for line in xlsx_lines[:-1]) == xlsx_lines[-1][8] == 3_000_000
    assert xlsx_lines[0][0] == datetime(2025, 1, 5)


def test_the_payments_book_lists_disbursements_and_transfers_out_with_their_vouchers(
    client: FlaskClient, make_token: MakeToken
) -> None:
    year = _year(client, make_token)
    path = f"/funds/{year.fund_id}/books/payments"

    body = ok(_export(client, year.treasurer, path, year.position, year=2025))
    rows = _csv(_export(client, year.treasurer, path, year.position, year=2025, format="csv-vi"))

    assert [(line["kind"], line["money"]) for line in body["items"]] == [
        ("disbursement", 24_230_000),
        ("transfer_out", 4_000_000),
        ("transfer_out", 1_000_000),
    ]
    assert [line["running_total"] for line in body["items"]] == [
        24_230_000,
        28_230_000,
        29_230_000,
    ]
    assert body["total"] == 29_230_000
    assert body["checkpoint"] is None
    header = rows.index(
        [
            "Ngày",
            "Số phiếu chi",
            "Chứng từ ngân hàng (ủy nhiệm chi)",
            "Nội dung chi",
            "Quỹ nhận điều tiết",
            "Diễn giải",
            "Chi bằng tiền",
            "Hiện vật",
            "Giá trị hiện vật",
            "Lũy kế tiền chi",
            "Ghi chú",
        ]
    )
    lines = rows[header + 1 :]
    assert lines[0][0] == "01/04/2025"
    assert lines[0][1].startswith("PC-2025-000001-"), "a cash payment takes a phiếu chi"
    assert lines[0][3] == "Sửa chữa nhà Đại đoàn kết"
    assert lines[0][6] == "24.230.000 đ"
    assert lines[1][3:7] == ["Điều tiết quỹ", "Quỹ cứu trợ xã", "", "4.000.000 đ"]
    assert lines[-1][0] == "Cộng"
    assert lines[-1][6] == "29.230.000 đ"
    assert _labelled(rows)["Tổng chi bằng tiền"] == "29.230.000 đ"


def test_the_yearly_summary_by_fund_kind_adds_up_to_the_report_also_rolled_up(
    client: FlaskClient, make_token: MakeToken, fund_scope: str
) -> None:
    year = _year(client, make_token)

    commune = ok(
        _export(
            client, year.treasurer, f"/units/{year.commune_id}/summary", year.position, year=2025
        )
    )
    province = ok(
        _export(
            client,
            year.admin,
            f"/units/{year.province_id}/summary",
            year.position,
            year=2025,
            include_children="true",
        )
    )
    sheet = _xlsx(
        _export(
            client,
            year.admin,
            f"/units/{year.province_id}/summary",
            year.position,
            year=2025,
            include_children="true",
            format="xlsx",
        )
    )

    assert commune["by_fund_kind"] == {
        "for_the_poor": {
            "opening_balance": 2_000_000,
            "receipts": 1_029_930_000,
            "in_kind_value": 3_000_000,
            "disbursements": 24_230_000,
            "transfers_in": 0,
            "transfers_out": 5_000_000,
            "closing_balance": 1_002_700_000,
        },
        "relief": {
            "opening_balance": 0,
            "receipts": 0,
            "in_kind_value": 0,
            "disbursements": 1_500_000,
            "transfers_in": 4_000_000,
            "transfers_out": 0,
            "closing_balance": 2_500_000,
        },
    }
    poor = province["by_fund_kind"]["for_the_poor"]
    assert (poor["transfers_in"], poor["transfers_out"]) == (0, 4_000_000)
    assert poor["closing_balance"] == 1_003_700_000
    total = next(row for row in sheet if row and row[0] == "Cộng")
    assert total[1:] == [
        2_000_000,
        1_029_930_000,
        3_000_000,
        25_730_000,
        4_000_000,
        4_000_000,
        1_006_200_000,
    ]
    assert [row[0] for row in sheet if row and row[0] in ("Quỹ Vì người nghèo", "Quỹ cứu trợ")] == [
        "Quỹ Vì người nghèo",
        "Quỹ cứu trợ",
    ]


@pytest.mark.parametrize("path", ["/units/{unit}/summary", "/funds/{fund}/books/receipts"])
def test_exports_need_a_year_a_known_format_and_a_reader_of_the_unit(
    client: FlaskClient, make_token: MakeToken, path: str
) -> None:
    world = commune_with_fund(client, make_token)
    target = path.format(unit=world.commune_id, fund=world.fund_id)
    above = make_token("viewer", world.province_id)
    other = open_fund(client, world.admin, world.province_id)
    outside = path.format(unit=world.province_id, fund=other["id"])
    at = other["position"]

    invalid(get(client, target, world.treasurer, min_position=at), "year")
    invalid(get(client, target, world.treasurer, year=2025, format="pdf"), "format")
    problem(get(client, target, None, year=2025), 401)
    assert get(client, target, above, year=2025, min_position=at).status_code == 200
    problem(get(client, outside, world.treasurer, year=2025, min_position=at), 403)
