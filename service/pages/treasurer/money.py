"""Money in and out of a fund, from a phone: a receipt (cash with its phiếu thu, by bank
with the bank's reference, goods with their quantity and value), a payment with its
category and the household, house or grant it pays (phiếu chi), a transfer, the reversal
of an entry with its reason, and the close of a period. Each form is read by the API
route that records the same thing and written through the same use case."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from flask import request
from werkzeug.wrappers import Response

from service.application import Request, Written
from service.domain.money import Money
from service.pages.filters import ledger_query
from service.pages.treasurer.cases import case_choices
from service.pages.treasurer.forms import Field
from service.pages.treasurer.shared import answered, bp, fund_choices, shown_form, today
from service.projections import units as unit_view
from service.reads import fresh
from service.reads.funds import entries_page, readable_fund
from service.web import bodies, labels
from service.web.context import services

DONOR_KINDS = tuple(labels.DONOR_KINDS.items())
RECEIPT = (
    Field("amount", "Số tiền (đồng; hiện vật: giá trị)", "money", required=True),
    Field("occurred_on", "Ngày chứng từ", "date", required=True),
    Field("channel", "Hình thức", "choice", required=True, choices=tuple(labels.CHANNELS.items())),
    Field("donor.kind", "Người ủng hộ là", "choice", required=True, choices=DONOR_KINDS),
    Field("donor.name", "Tên người ủng hộ", hint="Bỏ trống khi ủng hộ ẩn danh."),
    Field("bank_ref", "Số tham chiếu của ngân hàng", hint="Khi nhận qua ngân hàng."),
    Field("in_kind.description", "Hiện vật", hint="Khi nhận hiện vật, ví dụ: Gạo."),
    Field("in_kind.quantity", "Số lượng", "number"),
    Field("in_kind.unit", "Đơn vị tính", hint="Ví dụ: kg, thùng."),
    Field("voucher_no", "Số chứng từ"),
    Field("note", "Ghi chú", "area"),
)
PAYMENT = (
    Field("amount", "Số tiền (đồng)", "money", required=True),
    Field("occurred_on", "Ngày chứng từ", "date", required=True),
    Field("category", "Khoản chi cho", "choice", required=True),
    Field("household_id", "Hộ được hỗ trợ", "choice"),
    Field("house_project_id", "Nhà Đại đoàn kết", "choice"),
    Field("grant_id", "Hỗ trợ sinh kế", "choice"),
    Field("channel", "Chi bằng", "choice", required=True),
    Field("bank_ref", "Số ủy nhiệm chi", hint="Khi chi qua ngân hàng."),
    Field("voucher_no", "Số chứng từ"),
    Field("repeat_reason", "Lý do hỗ trợ lần nữa trong năm", "area"),
    Field("note", "Ghi chú", "area"),
)
PAYMENT_CHANNELS = [("cash", "Tiền mặt (phiếu chi)"), ("bank", "Chuyển khoản (ủy nhiệm chi)")]
TRANSFER = (
    Field("to_fund_id", "Chuyển sang quỹ", "choice", required=True),
    Field("amount", "Số tiền (đồng)", "money", required=True),
    Field("occurred_on", "Ngày chứng từ", "date", required=True),
    Field("note", "Ghi chú", "area"),
)
REVERSAL = (Field("reason", "Lý do đảo", "area", required=True),)
CLOSE = (Field("through", "Khóa sổ đến hết ngày", "date", required=True),)
#: The days of a fund's recent entries its page lists.
RECENT_DAYS = 31


def fund_summary(fund_id: UUID) -> dict[str, Any]:
    with fresh({}) as (tx, _):
        fund = readable_fund(tx, fund_id)
        holder = unit_view.get(tx, fund["unit_id"])
    return {**fund, "unit_name": holder["name"] if holder else ""}


@bp.get("/quy/<uuid:fund_id>")
def fund(fund_id: UUID) -> str:
    """A fund: its balance, what may be recorded, and its entries of the last month with
    their slips and reversals."""
    since = (today() - timedelta(days=RECENT_DAYS)).isoformat()
    query, _ = ledger_query({"tu": since})
    with fresh({}) as (tx, _):
        entries = entries_page(tx, fund_id, query)["items"]
    return shown_form(
        "treasurer/fund.html", (), fund=fund_summary(fund_id), entries=entries, since=since
    )


@bp.route("/quy/<uuid:fund_id>/thu", methods=["GET", "POST"])
def receipt(fund_id: UUID) -> Response | str | tuple[str, int]:
    """A receipt: cash (then its phiếu thu), by bank with its reference, or goods."""
    shown = fund_summary(fund_id)
    if request.method == "GET":
        values = {"occurred_on": today().isoformat(), "channel": "cash", "donor.kind": "individual"}
        return shown_form("treasurer/receipt.html", RECEIPT, values=values, fund=shown)

    def write(body: dict[str, Any], asked: Request) -> Written:
        return services().ledger.record_receipt(asked, fund_id, bodies.receipt(body))

    return answered("treasurer/receipt.html", RECEIPT, "funds.record_receipt", write, fund=shown)


@bp.route("/quy/<uuid:fund_id>/chi", methods=["GET", "POST"])
def payment(fund_id: UUID) -> Response | str | tuple[str, int]:
    """A payment: its category and the household, house or grant it pays (then its
    phiếu chi, when paid in cash)."""
    shown = fund_summary(fund_id)
    choices = {
        **case_choices(),
        "category": list(labels.CATEGORIES.items()),
        "channel": PAYMENT_CHANNELS,
    }
    if request.method == "GET":
        values = {"occurred_on": today().isoformat(), "channel": "cash"}
        values.update({k: v for k, v in request.args.items() if k in ("house_project_id",)})
        return shown_form("treasurer/payment.html", PAYMENT, choices, values, fund=shown)

    def write(body: dict[str, Any], asked: Request) -> Written:
        disbursement = bodies.disbursement(body)
        return services().ledger.record_disbursement(asked, fund_id, disbursement, None)

    return answered(
        "treasurer/payment.html", PAYMENT, "funds.record_disbursement", write, choices, fund=shown
    )


@bp.route("/quy/<uuid:fund_id>/chuyen", methods=["GET", "POST"])
def transfer(fund_id: UUID) -> Response | str | tuple[str, int]:
    """A transfer to another fund: both sides recorded together."""
    shown = fund_summary(fund_id)
    with fresh({}) as (tx, _):
        choices = {"to_fund_id": fund_choices(tx, leave_out=fund_id)}
    if request.method == "GET":
        values = {"occurred_on": today().isoformat()}
        return shown_form("treasurer/transfer.html", TRANSFER, choices, values, fund=shown)

    def write(body: dict[str, Any], asked: Request) -> Written:
        return services().ledger.record_transfer(
            asked,
            fund_id,
            body["to_fund_id"],
            Money(body["amount"]),
            body["occurred_on"],
            body["note"],
        )

    return answered(
        "treasurer/transfer.html", TRANSFER, "funds.record_transfer", write, choices, fund=shown
    )


@bp.route("/quy/<uuid:fund_id>/dao/<uuid:entry_id>", methods=["GET", "POST"])
def reversal(fund_id: UUID, entry_id: UUID) -> Response | str | tuple[str, int]:
    """The reversal of an entry, dated today, with its reason; the entry stays in the log."""
    shown = fund_summary(fund_id)
    if request.method == "GET":
        return shown_form("treasurer/reversal.html", REVERSAL, fund=shown, entry_id=entry_id)

    def write(body: dict[str, Any], asked: Request) -> Written:
        return services().ledger.reverse_entry(asked, fund_id, entry_id, body["reason"])

    return answered(
        "treasurer/reversal.html",
        REVERSAL,
        "funds.reverse_entry",
        write,
        fund=shown,
        entry_id=entry_id,
    )


@bp.route("/quy/<uuid:fund_id>/khoa-so", methods=["GET", "POST"])
def close(fund_id: UUID) -> Response | str | tuple[str, int]:
    """Closes the fund's books through a day: nothing may be dated on or before it after."""
    shown = fund_summary(fund_id)
    if request.method == "GET":
        return shown_form("treasurer/close.html", CLOSE, fund=shown)

    def write(body: dict[str, Any], asked: Request) -> Written:
        return services().ledger.close_period(asked, fund_id, body["through"])

    return answered("treasurer/close.html", CLOSE, "funds.close_period", write, fund=shown)
