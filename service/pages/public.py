"""/cong-khai/: a unit's disclosure for a period, a fund's searchable statement and a
gift's proof, drawn from the same functions as the JSON API."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from flask import Blueprint, Response, current_app, make_response, render_template, request

from service.adapters.signing import SigningKeyUnavailable
from service.domain.clock import VIETNAM
from service.domain.currency import with_original
from service.domain.errors import EntryNotFound, FundNotFound
from service.domain.money import vnd
from service.domain.vocabulary import Stage
from service.pages.charts import Series, bar_chart
from service.projections import campaigns as campaign_view
from service.projections import funds as fund_view
from service.projections import houses as house_view
from service.projections import public_statement as statement_view
from service.projections import units as unit_view
from service.reads import fresh
from service.reads.campaigns import campaign_shown
from service.reads.disclosure import disclosure, masked
from service.reads.proofs import proved_receipts
from service.reads.public_statement import public_line
from service.web import labels
from service.web.context import services
from service.web.guards import STYLE_HASHES, page_policy

bp = Blueprint(
    "pages",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/tep",
    url_prefix="/cong-khai",
)
#: Statement lines shown per search: a donor narrows the search rather than pages.
SHOWN = 50
#: Houses listed, latest approval first, on a unit's page.
HOUSES_SHOWN = 30


@bp.app_template_filter("vnd")
def _vnd(value: int) -> str:
    return vnd(int(value))


@bp.app_template_filter("money")
def _money(row: Any) -> str:
    """An entry's đồng with the original currency beside it: 2.450.000 đ (100,00 USD)."""
    return with_original(int(row["amount"]), row.get("currency"), row.get("foreign_amount"))


@bp.app_template_filter("day")
def _day(value: str) -> str:
    return labels.day(value)


@bp.app_template_filter("typed_day")
def _typed_day(value: str) -> str:
    """A date from the query as the page's date field shows it: 05/03/2025."""
    try:
        return labels.day(labels.parse_day(value))
    except ValueError:
        return value


@bp.app_template_filter("percent")
def _percent(value: float) -> str:
    return labels.percent(value)


@bp.context_processor
def _labels() -> dict[str, Any]:
    return {"labels": labels}


def _date(name: str, default: date) -> tuple[date, str | None]:
    text = request.args.get(name, "").strip()
    if not text:
        return default, None
    try:
        return labels.parse_day(text), None
    except ValueError:
        return default, (
            f"Ngày “{text}” không hợp lệ; hãy viết ngày/tháng/năm, ví dụ 05/03/2025. "
            f"Đã dùng {labels.day(default)}."
        )


def _period() -> tuple[date, date, list[str]]:
    """The period asked for (``tu``, ``den``), by default the twelve months up to today."""
    today = datetime.now(VIETNAM).date()
    start = (today.replace(day=1) - timedelta(days=334)).replace(day=1)
    first, bad_first = _date("tu", start)
    last, bad_last = _date("den", today)
    notes = [note for note in (bad_first, bad_last) if note]
    if first > last:
        first, last = last, first
        notes.append("Ngày bắt đầu sau ngày kết thúc: đã đổi chỗ hai ngày.")
    return first, last, notes


@bp.get("/")
def index() -> str:
    """The top units, to start from."""
    with fresh({}) as (tx, _):
        units = unit_view.children(tx, None, None, 1000)
    return render_template("index.html", units=units)


@bp.get("/don-vi/<uuid:unit_id>")
def unit_page(unit_id: UUID) -> str:
    """A unit's disclosure for a period, with its charts."""
    first, last, notes = _period()
    whole = request.args.get("gom", "1") != "0"
    with fresh({}) as (tx, _):
        shown = disclosure(tx, str(unit_id), first, last, whole, 0)
        houses = house_view.latest(tx, str(unit_id), HOUSES_SHOWN)
        campaigns = campaign_view.open_to(tx, str(unit_id), None, 50)
    shown = masked(shown)
    months = shown["monthly"]
    money_chart = bar_chart(
        "Thu và chi theo tháng",
        [f"{m['month'][5:]}/{m['month'][2:4]}" for m in months],
        [
            Series("Thu", [m["receipts"] for m in months]),
            Series("Chi", [m["disbursements"] for m in months]),
        ],
        value_text=vnd,
        axis_text=_short,
    )
    stages = shown["houses"]["by_stage"]
    house_chart = bar_chart(
        "Nhà Đại đoàn kết theo giai đoạn",
        [labels.STAGES[s.value] for s in Stage],
        [Series("Số nhà", [stages.get(s.value, 0) for s in Stage])],
        height=200,
    )
    return render_template(
        "unit.html",
        d=shown,
        r=shown["report"],
        first=first,
        last=last,
        whole=whole,
        notes=notes,
        money_chart=money_chart,
        house_chart=house_chart,
        houses_total=sum(stages.values()),
        houses=houses,
        campaigns=campaigns,
    )


@bp.get("/cuoc-van-dong/<uuid:campaign_id>")
def campaign_page(campaign_id: UUID) -> str:
    """A campaign's figures over every unit that took part."""
    with fresh({}) as (tx, _):
        shown = campaign_shown(tx, campaign_id)
    return render_template("campaign.html", c=shown, f=shown["figures"])


def _short(dong: int) -> str:
    """An axis label: 2,5 tỷ, 300 tr."""
    if dong >= 10**9:
        return f"{dong / 10**9:g} tỷ".replace(".", ",")
    if dong >= 10**6:
        return f"{dong / 10**6:g} tr".replace(".", ",")
    return vnd(dong)


def _amount(text: str) -> int | None:
    """An amount typed by a donor: "500.000", "500 000" or "500000 đ" all mean 500000."""
    digits = "".join(ch for ch in text if ch.isdigit())
    return int(digits) if digits and len(digits) <= 16 else None


@bp.get("/quy/<uuid:fund_id>")
def statement_page(fund_id: UUID) -> str:
    """A fund's statement, searched by a fragment of a name, an amount and dates."""
    q = request.args.get("q", "").strip()[:100]
    amount_text = request.args.get("so_tien", "").strip()[:40]
    first, notes_first = _date("tu", date(1990, 1, 1))
    last, notes_last = _date("den", date(2100, 12, 31))
    search = statement_view.Search(
        occurred_from=first if request.args.get("tu") else None,
        occurred_to=last if request.args.get("den") else None,
        amount=_amount(amount_text),
        text=q or None,
        public=True,
    )
    with fresh({}) as (tx, _):
        fund = fund_view.get(tx, str(fund_id))
        if fund is None:
            raise FundNotFound(
                "Không có quỹ nào với mã này. Hãy kiểm tra lại đường dẫn, hoặc tìm quỹ từ "
                "trang công khai của đơn vị."
            )
        unit = unit_view.get(tx, fund["unit_id"])
        summary = statement_view.totals(tx, str(fund_id), search)
        rows = statement_view.receipts(tx, str(fund_id), search, after_seq=0, limit=SHOWN)
    for row in rows:
        public_line(row)
        row["donor_name"] = row["donor_name"] or labels.ANONYMOUS
    return render_template(
        "statement.html",
        fund=fund,
        unit=unit,
        rows=rows,
        summary=summary,
        q=q,
        amount_text=amount_text,
        tu=request.args.get("tu", ""),
        den=request.args.get("den", ""),
        notes=[n for n in (notes_first, notes_last) if n],
        shown=SHOWN,
    )


@bp.get("/bien-lai/<reference>")
def receipt_page(reference: str) -> Response:
    """A gift and its proof: its leaf in the log and the checkpoint that covers it, checked
    in the reader's browser by the page's one script."""
    reference = reference.strip()[:200]
    with fresh({}) as (tx, _):
        receipts = proved_receipts(tx, reference)
    if not receipts:
        raise EntryNotFound(
            f"Không tìm thấy khoản ủng hộ nào theo mã “{reference}”. Hãy kiểm tra lại số "
            "phiếu thu (dạng PT-2026-000123-…) hoặc mã giao dịch ngân hàng, hoặc tìm khoản "
            "ủng hộ trong sao kê công khai của quỹ."
        )
    try:
        log_key = str(services().signer().verifier)
    except SigningKeyUnavailable:
        log_key = None
    page = render_template("receipt.html", reference=reference, receipts=receipts, log_key=log_key)
    response = make_response(page)
    response.headers["Content-Security-Policy"] = page_policy(
        current_app.config.get(STYLE_HASHES, []), scripts=True
    )
    return response
