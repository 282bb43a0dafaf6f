"""The tables of the exports: the unit report, the receipts and payments books of a fund,
and the yearly summary by kind of fund, each naming its checkpoint."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from service.api.labels import ANONYMOUS, CATEGORIES, CHANNELS, COUNTS, FUND_KINDS, day
from service.api.spreadsheets import Cell, Dong, Percent, Table, provenance
from service.db import Row
from service.domain.vocabulary import DonorKind


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
    rows.append(["Hiện vật nhận (giá trị, ngoài số dư)", Dong(receipts["in_kind_value"])])
    rows.append(["Tổng chi (tiền)", Dong(disbursements["total"])])
    rows += [
        [f"  Chi - {CATEGORIES[category]}", Dong(amount)]
        for category, amount in disbursements["by_category"].items()
    ]
    rows.append(["Hiện vật đã cấp (giá trị)", Dong(disbursements["in_kind_value"])])
    rows.append(["Điều tiết đến", Dong(report["transfers"]["in"])])
    rows.append(["Điều tiết đi", Dong(report["transfers"]["out"])])
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


def book_total(rows: list[Row]) -> int:
    """The money of a book's lines: reversed lines and goods in kind left out."""
    return sum(
        int(row["amount"])
        for row in rows
        if not row["reversed"]
        and not row["in_kind_description"]
        and row.get("channel") != "in_kind"
    )


@dataclass(frozen=True)
class Book:
    """What a book export is made of: the fund's year, its lines and their provenance."""

    fund: Row
    year: int
    opening: int
    rows: list[Row]
    position: int
    checkpoint: dict[str, Any] | None

    def table(self, name: str, slug: str, columns: list[str], lines: list[list[Cell]]) -> Table:
        return Table(
            title=f"Sổ {name} năm {self.year}",
            filename=f"so-{slug}-{self.year}-{self.fund['id']}",
            heading=[
                ("Quỹ", self.fund["name"]),
                ("Năm", self.year),
                ("Tồn đầu năm", Dong(self.opening)),
                (f"Tổng {name} bằng tiền (trừ phiếu đã hủy)", Dong(book_total(self.rows))),
                *provenance(self.position, self.checkpoint),
            ],
            columns=columns,
            rows=lines,
        )


def _cancelled(row: Row) -> str | None:
    return "Đã hủy (bút toán đảo)" if row["reversed"] else None


RECEIPTS_COLUMNS = [
    "Số phiếu thu",
    "Mã phiếu thu",
    "Ngày",
    "Người nộp",
    "Hình thức",
    "Số tiền",
    "Hiện vật",
    "Nội dung",
    "Mã giao dịch ngân hàng",
    "Ghi chú",
]
PAYMENTS_COLUMNS = [
    "Số phiếu chi",
    "Ngày",
    "Nội dung chi",
    "Số tiền",
    "Hiện vật",
    "Quỹ nhận điều tiết",
    "Diễn giải",
    "Ghi chú",
]


def receipts_book_table(book: Book) -> Table:
    """Sổ thu: one line per receipt slip (phiếu thu), reversed slips marked and not added."""
    lines: list[list[Cell]] = [
        [
            row["slip_no"],
            row["slip_ref"],
            date.fromisoformat(row["occurred_on"]),
            _donor(row),
            CHANNELS.get(row["channel"] or "", row["channel"]),
            Dong(row["amount"]),
            row["in_kind_description"],
            row["note"],
            row["bank_ref"],
            _cancelled(row),
        ]
        for row in book.rows
    ]
    return book.table("thu", "thu", RECEIPTS_COLUMNS, lines)


def payments_book_table(book: Book) -> Table:
    """Sổ chi: one line per payment, with the voucher number (phiếu chi) recorded."""
    lines: list[list[Cell]] = [
        [
            row["voucher_no"],
            date.fromisoformat(row["occurred_on"]),
            "Điều tiết quỹ"
            if row["kind"] == "transfer_out"
            else CATEGORIES.get(row["category"] or "", row["category"]),
            Dong(row["amount"]),
            row["in_kind_description"],
            row["counterparty_fund"],
            row["note"],
            _cancelled(row),
        ]
        for row in book.rows
    ]
    return book.table("chi", "chi", PAYMENTS_COLUMNS, lines)


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
