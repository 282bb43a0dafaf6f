"""The tables of the exports: the unit report, the receipts and payments books of a fund,
and the yearly summary by kind of fund, each naming its checkpoint."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from service.adapters.db import Row
from service.api.spreadsheets import Cell, Dong, Percent, Table, provenance
from service.domain.vocabulary import DonorKind
from service.web.labels import ANONYMOUS, CATEGORIES, CHANNELS, COUNTS, FUND_KINDS, day


def _scope(include_children: bool) -> str:
    return "Có (cộng cả các đơn vị trực thuộc)" if include_children else "Không"


def report_table(unit: Row, report: dict[str, Any], checkpoint: dict[str, Any] | None) -> Table:
    """The unit report of DESIGN.md, a figure a line."""
    rows: list[list[Cell]] = [["Tồn đầu kỳ", Dong(report["opening_balance"])]]
    receipts, disbursements = report["receipts"], report["disbursements"]
    rows.append(["Tổng thu (tiền)", Dong(receipts["total"])])
    rows += [
        [f"  Thu - {CHANNELS[channel]}", Dong(amount)]
        for channel, amount in receipts["by_channel"].items()
    ]
    rows += [
        [f"  Trong đó ngoại tệ: {line['shown']}", Dong(line["received_dong"])]
        for line in report.get("foreign_currency", [])
        if line["received"]
    ]
    rows.append(["Hiện vật nhận (giá trị, ngoài số dư)", Dong(receipts["in_kind_value"])])
    rows.append(["Tổng chi (tiền)", Dong(disbursements["total"])])
    rows += [
        [f"  Chi - {CATEGORIES[category]}", Dong(amount)]
        for category, amount in disbursements["by_category"].items()
    ]
    rows.append(["Hiện vật đã cấp (giá trị)", Dong(disbursements["in_kind_value"])])
    rows.append(["Điều tiết đến", Dong(report["transfers"]["in"])])
    rows.append(["Điều tiết đi", Dong(report["transfers"]["out"])])
    if report.get("exchange_difference"):
        rows.append(["Chênh lệch tỷ giá khi bán ngoại tệ", Dong(report["exchange_difference"])])
    rows.append(["Tồn cuối kỳ", Dong(report["closing_balance"])])
    rows += [[COUNTS[name], int(value)] for name, value in report["counts"].items()]
    target = report["target"]
    rows.append(["Chỉ tiêu vận động", Dong(target["amount"])])
    rows.append(["Đã vận động theo chỉ tiêu", Dong(target["raised"])])
    rows.append(["Tỷ lệ đạt chỉ tiêu", Percent(target["achievement_pct"])])
    return Table(
        title="Báo cáo thu chi",
        filename=f"bao-cao-{report['from']}-{report['to']}-{unit['id']}",
        heading=[
            ("Đơn vị", unit["name"]),
            ("Kỳ báo cáo", f"Từ {day(report['from'])} đến {day(report['to'])}"),
            ("Gồm đơn vị trực thuộc", _scope(report["include_children"])),
            *provenance(report["position"], checkpoint),
        ],
        columns=["Nội dung", "Giá trị"],
        rows=rows,
    )


def _donor(row: Row) -> str:
    name = row["donor_name"]
    if not name or row["donor_kind"] == DonorKind.ANONYMOUS:
        return ANONYMOUS
    return str(name)


@dataclass(frozen=True)
class Book:
    """What a book export is made of: the fund's year, its lines and their provenance
    (the position of the last entry dated in the year, so that a closed year's file is
    the same whenever it is made)."""

    fund: Row
    year: int
    name: str
    opening: int
    rows: list[Row]
    totals: dict[str, int]
    position: int
    checkpoint: dict[str, Any] | None

    def table(self) -> Table:
        title, slug, columns, build = BOOKS[self.name]
        lines: list[list[Cell]] = [build(row) for row in self.rows]
        lines.append(_total_line(self))
        money = (
            self.totals["money"]
            if self.name in ("receipts", "payments")
            else self.totals["money_in"] - self.totals["money_out"]
        )
        return Table(
            title=f"{title} năm {self.year}",
            filename=f"so-{slug}-{self.year}-{self.fund['id']}",
            heading=[
                ("Quỹ", self.fund["name"]),
                ("Năm", self.year),
                ("Tồn đầu năm", Dong(self.opening)),
                (_MONEY_LABEL[self.name], Dong(money)),
                *provenance(self.position, self.checkpoint),
            ],
            columns=columns,
            rows=lines,
        )


_MONEY_LABEL = {
    "receipts": "Tổng thu bằng tiền",
    "payments": "Tổng chi bằng tiền",
    "cash": "Chênh lệch thu - chi tiền mặt",
    "bank": "Chênh lệch gửi vào - rút ra",
}


def _note(row: Row) -> str | None:
    if row["reversal"]:
        return f"Bút toán đảo: {row['reason']}" if row.get("reason") else "Bút toán đảo"
    return "Đã hủy (có bút toán đảo)" if row["reversed"] else None


def _goods(row: Row) -> str | None:
    if not row["in_kind_description"]:
        return None
    quantity = row.get("in_kind_quantity")
    unit = row.get("in_kind_unit") or ""
    return f"{row['in_kind_description']} ({quantity} {unit})" if quantity else None


def _money(value: int) -> Dong | None:
    return Dong(value) if value else None


def _receipt_line(row: Row) -> list[Cell]:
    return [
        date.fromisoformat(row["occurred_on"]),
        row["slip_ref"],
        row["bank_ref"],
        _donor(row),
        CHANNELS.get(row["channel"] or "", row["channel"]),
        row["note"],
        _money(row["money"]),
        _goods(row),
        _money(row["goods_value"]),
        Dong(row["running_total"]),
        _note(row),
    ]


def _payment_line(row: Row) -> list[Cell]:
    return [
        date.fromisoformat(row["occurred_on"]),
        row["slip_ref"] or row["voucher_no"],
        row["bank_ref"],
        "Điều tiết quỹ"
        if row["kind"] == "transfer_out"
        else CATEGORIES.get(row["category"] or "", row["category"]),
        row["counterparty_fund"],
        row["note"],
        _money(row["money"]),
        _goods(row),
        _money(row["goods_value"]),
        Dong(row["running_total"]),
        _note(row),
    ]


def explained(row: Row) -> str:
    if row["kind"] == "receipt":
        return f"Thu của {_donor(row)}" + (f" - {row['note']}" if row["note"] else "")
    if row["kind"] == "disbursement":
        what = CATEGORIES.get(row["category"] or "", row["category"] or "")
        return f"Chi {what.lower()}" + (f" - {row['note']}" if row["note"] else "")
    side = "đến từ" if row["kind"] == "transfer_in" else "đi"
    return f"Điều tiết {side} {row['counterparty_fund'] or ''}".strip()


def _cash_line(row: Row) -> list[Cell]:
    inflow = row["kind"] in ("receipt", "transfer_in")
    return [
        date.fromisoformat(row["occurred_on"]),
        row["slip_ref"] if inflow else None,
        None if inflow else row["slip_ref"] or row["voucher_no"],
        explained(row),
        _money(row["money_in"]),
        _money(row["money_out"]),
        Dong(row["running_balance"]),
        _note(row),
    ]


def _bank_line(row: Row) -> list[Cell]:
    return [
        date.fromisoformat(row["occurred_on"]),
        row["bank_ref"],
        explained(row),
        _money(row["money_in"]),
        _money(row["money_out"]),
        Dong(row["running_balance"]),
        _note(row),
    ]


def _total_line(book: Book) -> list[Cell]:
    """The line under a book's columns: each column of money added up, the running
    figure at the year's end."""
    totals = book.totals
    if book.name in ("receipts", "payments"):
        return [
            "Cộng",
            *([None] * 5),
            Dong(totals["money"]),
            None,
            Dong(totals["goods_value"]),
            Dong(totals["money"]),
            None,
        ]
    closing = book.opening + totals["money_in"] - totals["money_out"]
    padding = [None, None, None] if book.name == "cash" else [None, None]
    return [
        "Cộng",
        *padding,
        Dong(totals["money_in"]),
        Dong(totals["money_out"]),
        Dong(closing),
        None,
    ]


RECEIPTS_COLUMNS = [
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
PAYMENTS_COLUMNS = [
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
CASH_COLUMNS = ["Ngày", "Số phiếu thu", "Số phiếu chi", "Diễn giải", "Thu", "Chi", "Tồn", "Ghi chú"]
BANK_COLUMNS = [
    "Ngày",
    "Chứng từ ngân hàng",
    "Diễn giải",
    "Gửi vào",
    "Rút ra",
    "Còn lại",
    "Ghi chú",
]
BOOKS: dict[str, tuple[str, str, list[str], Any]] = {
    "receipts": ("Sổ thu", "thu", RECEIPTS_COLUMNS, _receipt_line),
    "payments": ("Sổ chi", "chi", PAYMENTS_COLUMNS, _payment_line),
    "cash": ("Sổ quỹ tiền mặt", "quy-tien-mat", CASH_COLUMNS, _cash_line),
    "bank": ("Sổ tiền gửi ngân hàng", "tien-gui-ngan-hang", BANK_COLUMNS, _bank_line),
}


SUMMARY_COLUMNS = {
    "opening_balance": "Tồn đầu năm",
    "receipts": "Thu",
    "in_kind_value": "Hiện vật nhận (giá trị)",
    "disbursements": "Chi",
    "transfers_in": "Điều tiết đến",
    "transfers_out": "Điều tiết đi",
    "closing_balance": "Tồn cuối năm",
}


def summary_table(
    unit: Row,
    year: int,
    include_children: bool,
    summary: dict[str, dict[str, int]],
    position: int,
    checkpoint: dict[str, Any] | None,
) -> Table:
    """The year by kind of fund, one line a kind and a total line."""
    rows: list[list[Cell]] = [
        [FUND_KINDS.get(kind, kind), *(Dong(line[c]) for c in SUMMARY_COLUMNS)]
        for kind, line in summary.items()
    ]
    rows.append(
        [
            "Cộng",
            *(Dong(sum(line[c] for line in summary.values())) for c in SUMMARY_COLUMNS),
        ]
    )
    return Table(
        title=f"Tổng hợp năm {year}",
        filename=f"tong-hop-{year}-{unit['id']}",
        heading=[
            ("Đơn vị", unit["name"]),
            ("Năm", year),
            ("Gồm đơn vị trực thuộc", _scope(include_children)),
            *provenance(position, checkpoint),
        ],
        columns=["Loại quỹ", *SUMMARY_COLUMNS.values()],
        rows=rows,
    )
