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
from service.domain.currency import CURRENCIES
from service.domain.money import Money
from service.pages.filters import ledger_query
from service.pages.treasurer.cases import case_choices
from service.pages.treasurer.committee import campaign_choices
from service.pages.treasurer.forms import Field
from service.pages.treasurer.shared import answered, bp, fund_choices, shown_form, today
from service.projections import units as unit_view
from service.reads import fresh
from service.reads.funds import entries_page, readable_fund
from service.reads.houses import readable_house
from service.web import bodies, labels
from service.web.context import services

DONOR_KINDS = tuple(labels.DONOR_KINDS.items())
#: The foreign currencies a form offers, by code.
CURRENCY_CHOICES = tuple((code, code) for code in sorted(CURRENCIES))
RECEIPT = (
    Field(
        "amount",
        "Số tiền (đồng; ngoại tệ: theo loại tiền; hiện vật: giá trị)",
        "money",
        required=True,
        in_currency=True,
    ),
    Field(
        "currency",
        "Loại tiền",
        "choice",
        choices=CURRENCY_CHOICES,
        hint="Bỏ trống khi nhận bằng đồng. Khi nhận ngoại tệ, ghi số tiền theo loại tiền đó "
        "(ví dụ 100,00) và một trong hai: số đồng ngân hàng quy đổi, hoặc tỷ giá kèm nguồn.",
    ),
    Field(
        "vnd_amount",
        "Số đồng ngân hàng quy đổi",
        "money",
        hint="Khi ngân hàng đã quy đổi ngoại tệ ra đồng.",
    ),
    Field(
        "rate",
        "Tỷ giá (đồng cho 1 đơn vị ngoại tệ)",
        "decimal",
        hint="Khi tự nhập tỷ giá của ngày nhận, ví dụ 25.100,5.",
    ),
    Field("rate_source", "Nguồn tỷ giá", hint="Ví dụ: Vietcombank, tỷ giá mua chuyển khoản."),
    Field("occurred_on", "Ngày chứng từ", "date", required=True),
    Field("channel", "Hình thức", "choice", required=True, choices=tuple(labels.CHANNELS.items())),
    Field("donor.kind", "Người ủng hộ là", "choice", required=True, choices=DONOR_KINDS),
    Field("donor.name", "Tên người ủng hộ", hint="Bỏ trống khi ủng hộ ẩn danh."),
    Field("bank_ref", "Số tham chiếu của ngân hàng", hint="Khi nhận qua ngân hàng."),
    Field("in_kind.description", "Hiện vật", hint="Khi nhận hiện vật, ví dụ: Gạo."),
    Field("in_kind.quantity", "Số lượng", "number"),
    Field("in_kind.unit", "Đơn vị tính", hint="Ví dụ: kg, thùng."),
    Field("voucher_no", "Số chứng từ"),
    Field("campaign_id", "Thuộc cuộc vận động", "choice"),
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
    Field("campaign_id", "Thuộc cuộc vận động", "choice"),
    Field("note", "Ghi chú", "area"),
)
PAYMENT_CHANNELS = [("cash", "Tiền mặt (phiếu chi)"), ("bank", "Chuyển khoản (ủy nhiệm chi)")]
TRANSFER = (
    Field("to_fund_id", "Chuyển sang quỹ", "choice", required=True),
    Field("amount", "Số tiền (đồng)", "money", required=True),
    Field("occurred_on", "Ngày chứng từ", "date", required=True),
    Field("note", "Ghi chú", "area"),
)
SALE = (
    Field("currency", "Loại ngoại tệ bán", "choice", required=True, choices=CURRENCY_CHOICES),
    Field(
        "amount",
        "Số ngoại tệ bán",
        "money",
        required=True,
        in_currency=True,
        hint="Theo loại tiền, ví dụ 100,00.",
    ),
    Field("vnd_amount", "Số đồng nhận được", "money", required=True),
    Field("occurred_on", "Ngày chứng từ", "date", required=True),
    Field(
        "channel",
        "Bán từ",
        "choice",
        required=True,
        choices=(("bank", "Tài khoản ngoại tệ"), ("cash", "Quỹ tiền mặt")),
    ),
    Field("bank_ref", "Số tham chiếu của ngân hàng"),
    Field("note", "Ghi chú", "area"),
)
REVERSAL = (Field("reason", "Lý do đảo", "area", required=True),)
CLOSE = (Field("through", "Khóa sổ đến hết ngày", "date", required=True),)
#: The category of a house's tranche, by the kind of house.
HOUSE_CATEGORIES = {"new_build": "house_new_build", "repair": "house_repair"}
#: The days of a fund's recent entries its page lists.
RECENT_DAYS = 31


#: What each money page says: its title, its button, the link to its slip, a word first.
ENTRY_PAGES: dict[str, dict[str, str]] = {
    "receipt": {"title": "Ghi khoản thu", "slip": "In phiếu thu"},
    "payment": {"title": "Ghi khoản chi", "slip": "In phiếu chi"},
    "transfer": {"title": "Điều tiết sang quỹ khác"},
    "sale": {
        "title": "Bán ngoại tệ",
        "intro": "Ngoại tệ bán ra được tính theo giá bình quân; phần chênh lệch với số đồng "
        "nhận được ghi vào chênh lệch tỷ giá (TK 413).",
    },
    "reversal": {
        "title": "Đảo một khoản",
        "button": "Ghi bút toán đảo",
        "intro": "Khoản bị đảo vẫn nằm trong sổ; bút toán đảo ghi ngày hôm nay, kèm lý do.",
    },
    "close": {
        "title": "Khóa sổ",
        "intro": "Sau khi khóa, không khoản nào được ghi vào ngày đã khóa; sai sót được "
        "sửa bằng bút toán đảo trong kỳ đang mở.",
    },
}


def _entry_page(fund_id: UUID, name: str) -> dict[str, Any]:
    return {"fund": fund_summary(fund_id), "slip": "", **ENTRY_PAGES[name]}


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
    shown = _entry_page(fund_id, "receipt")
    choices = {"campaign_id": campaign_choices(shown["fund"]["unit_id"], receipts=True)}
    if request.method == "GET":
        values = {"occurred_on": today().isoformat(), "channel": "cash", "donor.kind": "individual"}
        return shown_form("treasurer/entry.html", RECEIPT, choices, values, **shown)

    def write(body: dict[str, Any], asked: Request) -> Written:
        return services().ledger.record_receipt(asked, fund_id, bodies.receipt(body))

    return answered(
        "treasurer/entry.html", RECEIPT, "funds.record_receipt", write, choices, **shown
    )


@bp.route("/quy/<uuid:fund_id>/chi", methods=["GET", "POST"])
def payment(fund_id: UUID) -> Response | str | tuple[str, int]:
    """A payment: its category and the household, house or grant it pays (then its
    phiếu chi, when paid in cash)."""
    shown = _entry_page(fund_id, "payment")
    choices = {
        **case_choices(),
        "category": list(labels.CATEGORIES.items()),
        "channel": PAYMENT_CHANNELS,
        "campaign_id": campaign_choices(shown["fund"]["unit_id"], receipts=False),
    }
    if request.method == "GET":
        values = {"occurred_on": today().isoformat(), "channel": "cash"}
        house = request.args.get("house_project_id", "")
        if house in dict(choices["house_project_id"]):
            # Sent from a house's page: its tranche, in the house's own category.
            with fresh({}) as (tx, _):
                kind = readable_house(tx, UUID(house))["kind"]
            values.update(house_project_id=house, category=HOUSE_CATEGORIES[kind])
        return shown_form("treasurer/entry.html", PAYMENT, choices, values, **shown)

    def write(body: dict[str, Any], asked: Request) -> Written:
        disbursement = bodies.disbursement(body)
        return services().ledger.record_disbursement(asked, fund_id, disbursement, None)

    return answered(
        "treasurer/entry.html", PAYMENT, "funds.record_disbursement", write, choices, **shown
    )


@bp.route("/quy/<uuid:fund_id>/chuyen", methods=["GET", "POST"])
def transfer(fund_id: UUID) -> Response | str | tuple[str, int]:
    """A transfer to another fund: both sides recorded together."""
    shown = _entry_page(fund_id, "transfer")
    with fresh({}) as (tx, _):
        choices = {"to_fund_id": fund_choices(tx, leave_out=fund_id)}
    if request.method == "GET":
        values = {"occurred_on": today().isoformat()}
        return shown_form("treasurer/entry.html", TRANSFER, choices, values, **shown)

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
        "treasurer/entry.html", TRANSFER, "funds.record_transfer", write, choices, **shown
    )


@bp.route("/quy/<uuid:fund_id>/ban-ngoai-te", methods=["GET", "POST"])
def sale(fund_id: UUID) -> Response | str | tuple[str, int]:
    """A sale of the fund's foreign currency for đồng, at its average cost."""
    shown = _entry_page(fund_id, "sale")
    if request.method == "GET":
        held = shown["fund"]["holdings"]
        values = {
            "occurred_on": today().isoformat(),
            "channel": held[0]["held_in"] if held else "bank",
            "currency": held[0]["currency"] if held else "USD",
        }
        return shown_form("treasurer/entry.html", SALE, None, values, **shown)

    def write(body: dict[str, Any], asked: Request) -> Written:
        return services().ledger.sell_currency(asked, fund_id, bodies.currency_sale(body))

    return answered("treasurer/entry.html", SALE, "exchange.sell_currency", write, **shown)


@bp.route("/quy/<uuid:fund_id>/dao/<uuid:entry_id>", methods=["GET", "POST"])
def reversal(fund_id: UUID, entry_id: UUID) -> Response | str | tuple[str, int]:
    """The reversal of an entry, dated today, with its reason; the entry stays in the log."""
    shown = _entry_page(fund_id, "reversal")
    if request.method == "GET":
        return shown_form("treasurer/entry.html", REVERSAL, **shown, entry_id=entry_id)

    def write(body: dict[str, Any], asked: Request) -> Written:
        return services().ledger.reverse_entry(asked, fund_id, entry_id, body["reason"])

    return answered(
        "treasurer/entry.html",
        REVERSAL,
        "funds.reverse_entry",
        write,
        **shown,
        entry_id=entry_id,
    )


@bp.route("/quy/<uuid:fund_id>/khoa-so", methods=["GET", "POST"])
def close(fund_id: UUID) -> Response | str | tuple[str, int]:
    """Closes the fund's books through a day: nothing may be dated on or before it after."""
    shown = _entry_page(fund_id, "close")
    if request.method == "GET":
        return shown_form("treasurer/entry.html", CLOSE, **shown)

    def write(body: dict[str, Any], asked: Request) -> Written:
        return services().ledger.close_period(asked, fund_id, body["through"])

    return answered("treasurer/entry.html", CLOSE, "funds.close_period", write, **shown)
