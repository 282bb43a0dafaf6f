"""The tables of the double-entry books' exports: the general journal, an account's
ledger, the trial balance and the settlement report, each naming its checkpoint; and the
postings in the layout of MISA's import of vouchers, for a commune's accounting software."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from service.adapters.db import Row
from service.api.exports import explained
from service.api.spreadsheets import Cell, Dong, Table, provenance
from service.domain import chart
from service.domain.currency import DONG, exponent, shown
from service.web.labels import CATEGORIES, CHANNELS, day

#: How each kind of posting is named where a reader sees it.
KINDS = {
    "receipt": "Thu",
    "disbursement": "Chi",
    "transfer_in": "Điều tiết đến",
    "transfer_out": "Điều tiết đi",
    "reversal": "Bút toán đảo (ghi số âm)",
    "pledge_made": "Ghi nhận cam kết ủng hộ",
    "pledge_fulfilled": "Cam kết được thực hiện",
    "pledge_fulfilment_reversed": "Hủy phần cam kết đã thực hiện",
    "pledge_closed": "Đóng cam kết (hủy hoặc xóa nợ)",
    "pledge_moved_out": "Cam kết chuyển sang quỹ đơn vị kế thừa",
    "pledge_moved_in": "Cam kết nhận từ quỹ đơn vị sáp nhập",
    "currency_sale": "Bán ngoại tệ",
    "exchange_gain": "Lãi chênh lệch tỷ giá khi bán ngoại tệ",
    "exchange_loss": "Lỗ chênh lệch tỷ giá khi bán ngoại tệ",
}


@dataclass(frozen=True)
class Source:
    """Whose books, for which period, and what they were read from."""

    name: str
    slug: str
    date_from: str
    date_to: str
    position: int
    checkpoint: dict[str, Any] | None

    def heading(self, *lines: tuple[str, Cell]) -> list[tuple[str, Cell]]:
        return [
            ("Đơn vị kế toán", self.name),
            ("Kỳ", f"Từ {day(self.date_from)} đến {day(self.date_to)}"),
            *lines,
            *provenance(self.position, self.checkpoint),
        ]

    def filename(self, book: str) -> str:
        return f"{book}-{self.date_from}-{self.date_to}-{self.slug}"


def describe(row: Row) -> str:
    """What a posting records, in a treasurer's words (diễn giải)."""
    kind = row["counts_as"]
    if kind in ("receipt", "disbursement", "transfer_in", "transfer_out"):
        text = explained({**row, "kind": kind})
    else:
        text = KINDS.get(kind) or str(kind)
    if row.get("currency"):
        text = f"{text} ({shown(int(row['foreign_amount']), row['currency'])})"
    if row["kind"] == "reversal":
        reason = f": {row['reason']}" if row.get("reason") else ""
        return f"Đảo bút toán{reason} ({text})"
    return text


def _voucher(row: Row) -> str:
    """The voucher a posting rests on: the cash slip, the bank's document, the voucher
    number, or the log position when there is none."""
    return str(row["slip_ref"] or row["bank_ref"] or row["voucher_no"] or f"SV-{row['position']}")


def journal_table(source: Source, rows: list[Row]) -> Table:
    lines: list[list[Cell]] = [
        [
            date.fromisoformat(row["posted_on"]),
            _voucher(row),
            describe(row),
            row["debit"],
            row["credit"],
            Dong(row["amount"]),
        ]
        for row in rows
    ]
    total = sum(row["amount"] for row in rows)
    lines.append(["Cộng", None, None, None, None, Dong(total)])
    return Table(
        title="Sổ nhật ký chung",
        filename=source.filename("so-nhat-ky-chung"),
        heading=source.heading(("Tổng số phát sinh (Nợ = Có)", Dong(total))),
        columns=["Ngày ghi sổ", "Số chứng từ", "Diễn giải", "TK Nợ", "TK Có", "Số tiền"],
        rows=lines,
    )


def ledger_table(source: Source, account: chart.Account, opening: int, rows: list[Row]) -> Table:
    lines: list[list[Cell]] = [["Số dư đầu kỳ", None, None, None, None, None, Dong(opening)]]
    for row in rows:
        lines.append(
            [
                date.fromisoformat(row["posted_on"]),
                _voucher(row),
                describe(row),
                row["contra_account"],
                Dong(row["debit_amount"]) if row["debit_amount"] else None,
                Dong(row["credit_amount"]) if row["credit_amount"] else None,
                Dong(row["balance"]),
            ]
        )
    debit = sum(row["debit_amount"] for row in rows)
    credit = sum(row["credit_amount"] for row in rows)
    closing = opening + debit - credit
    lines.append(["Cộng phát sinh", None, None, None, Dong(debit), Dong(credit), None])
    lines.append(["Số dư cuối kỳ", None, None, None, None, None, Dong(closing)])
    title = LEDGER_TITLES.get(account.code, "Sổ cái")
    return Table(
        title=f"{title} - TK {account.code}",
        filename=source.filename(f"so-cai-{account.code}"),
        heading=source.heading(("Tài khoản", f"{account.code} - {account.name}")),
        columns=[
            "Ngày ghi sổ",
            "Số chứng từ",
            "Diễn giải",
            "TK đối ứng",
            "Nợ",
            "Có",
            "Số dư (Nợ - Có)",
        ],
        rows=lines,
    )


#: The ledgers a treasurer knows by their own names.
LEDGER_TITLES = {chart.CASH.code: "Sổ quỹ tiền mặt", chart.BANK.code: "Sổ tiền gửi ngân hàng"}

_TRIAL_COLUMNS = (
    "opening_debit",
    "opening_credit",
    "period_debit",
    "period_credit",
    "closing_debit",
    "closing_credit",
)


def trial_balance_table(
    source: Source, lines: list[dict[str, Any]], totals: dict[str, int]
) -> Table:
    rows: list[list[Cell]] = [
        [line["account"], line["name"], *(Dong(line[c]) for c in _TRIAL_COLUMNS)] for line in lines
    ]
    rows.append(["Cộng", None, *(Dong(totals[c]) for c in _TRIAL_COLUMNS)])
    return Table(
        title="Bảng cân đối số phát sinh",
        filename=source.filename("bang-can-doi-so-phat-sinh"),
        heading=source.heading(),
        columns=[
            "Số hiệu TK",
            "Tên tài khoản",
            "Số dư đầu kỳ - Nợ",
            "Số dư đầu kỳ - Có",
            "Phát sinh trong kỳ - Nợ",
            "Phát sinh trong kỳ - Có",
            "Số dư cuối kỳ - Nợ",
            "Số dư cuối kỳ - Có",
        ],
        rows=rows,
    )


def settlement_table(source: Source, report: dict[str, Any]) -> Table:
    rows: list[list[Cell]] = [
        [f"I. Số dư tiền đầu kỳ ({_MONEY})", None, Dong(report["opening_balance"])]
    ]
    rows.append(["II. Tổng thu trong kỳ", None, Dong(report["receipts"]["total"])])
    rows += _by_account(report["receipts"]["by_account"])
    rows.append(["III. Điều tiết đến", chart.TRANSFERS.code, Dong(report["transfers"]["in"])])
    rows.append(["IV. Tổng chi trong kỳ", None, Dong(report["payments"]["total"])])
    rows += _by_account(report["payments"]["by_account"])
    rows.append(["V. Điều tiết đi", chart.TRANSFERS.code, Dong(report["transfers"]["out"])])
    rows.append(
        [
            "Chênh lệch tỷ giá khi bán ngoại tệ (lãi +, lỗ -)",
            chart.EXCHANGE.code,
            Dong(report["exchange_difference"]),
        ]
    )
    rows.append([f"VI. Số dư tiền cuối kỳ ({_MONEY})", None, Dong(report["closing_balance"])])
    goods = report["goods"]
    rows.append(["Hiện vật tồn đầu kỳ (giá trị)", chart.GOODS.code, Dong(goods["opening"])])
    rows.append(["Hiện vật nhận trong kỳ", None, Dong(goods["received"])])
    rows.append(["Hiện vật đã cấp phát", chart.GOODS_GIVEN.code, Dong(goods["given"])])
    rows.append(["Hiện vật tồn cuối kỳ", chart.GOODS.code, Dong(goods["closing"])])
    rows.append(
        [
            "Cam kết ủng hộ chưa thu",
            chart.PLEDGES_RECEIVABLE.code,
            Dong(report["pledges_outstanding"]),
        ]
    )
    return Table(
        title="Báo cáo quyết toán thu chi",
        filename=source.filename("bao-cao-quyet-toan-thu-chi"),
        heading=source.heading(("Số dư cuối kỳ = I + II + III - IV - V ± chênh lệch tỷ giá", "VI")),
        columns=["Nội dung", "Tài khoản", "Số tiền"],
        rows=rows,
    )


#: The money accounts the settlement's balances add up; foreign currency at its carrying value.
_MONEY = "TK " + ", ".join(account.code for account in chart.MONEY)


def _by_account(amounts: dict[str, int]) -> list[list[Cell]]:
    return [
        [f"  {chart.ACCOUNTS[code].name}", code, Dong(amount)] for code, amount in amounts.items()
    ]


#: The columns of MISA's Excel import of vouchers (nhập khẩu chứng từ nghiệp vụ khác),
#: one posting a line; docs/BOOKS.md says how the import is run.
MISA_COLUMNS = [
    "Ngày hạch toán (*)",
    "Ngày chứng từ (*)",
    "Số chứng từ (*)",
    "Loại chứng từ",
    "Diễn giải",
    "TK Nợ (*)",
    "TK Có (*)",
    "Số tiền",
    "Loại tiền",
    "Đối tượng",
    "Mục đích, nguồn",
    "Tỷ giá",
    "Số tiền nguyên tệ",
]

_DOCUMENTS = {
    ("receipt", "cash"): "Phiếu thu",
    ("receipt", "bank"): "Giấy báo Có",
    ("disbursement", "cash"): "Phiếu chi",
    ("disbursement", "bank"): "Ủy nhiệm chi",
    ("transfer_in", "bank"): "Giấy báo Có",
    ("transfer_out", "bank"): "Ủy nhiệm chi",
    ("currency_sale", "bank"): "Giấy báo Có",
    ("currency_sale", "cash"): "Phiếu thu",
    ("exchange_gain", "bank"): "Giấy báo Có",
    ("exchange_gain", "cash"): "Phiếu thu",
}


def _document(row: Row) -> str:
    holding = {
        chart.CASH.code: "cash",
        chart.BANK.code: "bank",
        chart.FOREIGN_CASH.code: "cash",
        chart.FOREIGN_BANK.code: "bank",
    }
    where = holding.get(row["debit"]) or holding.get(row["credit"])
    return _DOCUMENTS.get((row["counts_as"], where or ""), "Chứng từ khác")


def _original(row: Row) -> list[Cell]:
    """A line in a foreign currency: the rate it was booked at (đồng per unit, as the
    đồng over the currency) and its amount in the currency's units."""
    if not row["currency"] or not row["foreign_amount"]:
        return [None, None]
    places = exponent(row["currency"])
    units = Decimal(row["foreign_amount"]).scaleb(-places)
    rate = (Decimal(row["amount"]) / units).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return [str(rate), str(units)]


def misa_table(source: Source, rows: list[Row]) -> Table:
    lines: list[list[Cell]] = []
    for row in rows:
        posted = date.fromisoformat(row["posted_on"])
        purpose = CATEGORIES.get(row["category"] or "") or CHANNELS.get(row["channel"] or "")
        lines.append(
            [
                posted,
                posted,
                _voucher(row),
                _document(row),
                describe(row),
                row["debit"],
                row["credit"],
                row["amount"],
                row["currency"] or DONG,
                row["donor_name"] or row["counterparty_fund"],
                purpose,
                *_original(row),
            ]
        )
    return Table(
        title="Chứng từ",
        filename=source.filename("misa-chung-tu"),
        heading=[],
        columns=MISA_COLUMNS,
        rows=lines,
        bare=True,
    )
