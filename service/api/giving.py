"""Live giving: a fund's giving account and VietQR code, the receiving endpoints of the
bank notification services, and the treasurer's queue of notified credits."""

from __future__ import annotations

import logging
from typing import Any
from uuid import UUID

from flask import Blueprint, request

from service.adapters.bank_feeds import (
    FEEDS,
    NotificationUnauthenticated,
    UnreadableNotification,
    load_key,
)
from service.adapters.keyfiles import KeyFileUnavailable
from service.api.operation import WRITE_ERRORS, operation, write_request, written
from service.api.schemas import ReadQuery
from service.api.schemas.giving import (
    AssignmentIn,
    AssignmentOut,
    CreditsQuery,
    GivingAccountIn,
    GivingAccountOut,
    NotificationOut,
    NotifiedCreditPage,
    VietQROut,
)
from service.domain.errors import NotFound, PledgeNotFound
from service.domain.giving import BankAccount
from service.domain.memo_codes import Names
from service.projections import giving as giving_view
from service.projections import pledges as pledge_view
from service.reads import fresh
from service.reads.funds import readable_fund
from service.reads.giving import fund_vietqr, vietqr_of
from service.web.context import services
from service.web.errors import BadRequest, problem

bp = Blueprint("giving", __name__)
log = logging.getLogger(__name__)


class NoGivingAccount(NotFound):
    code = "no-giving-account"
    title = "Quỹ chưa có tài khoản nhận ủng hộ"


class UnknownSource(NotFound):
    code = "unknown-notification-source"
    title = "Không có nguồn thông báo này"


def _no_account(fund_id: UUID) -> NoGivingAccount:
    return NoGivingAccount(
        "Quỹ này chưa gắn tài khoản ngân hàng nhận ủng hộ, nên chưa có mã VietQR. Thủ quỹ "
        "hãy gắn tài khoản (PUT /api/v1/funds/{id}/giving-account).",
        fund_id=str(fund_id),
    )


@bp.put("/funds/<uuid:fund_id>/giving-account")
@operation(
    "Set a fund's giving account",
    tag="giving",
    body=GivingAccountIn,
    response=GivingAccountOut,
    errors=WRITE_ERRORS,
)
def set_giving_account(fund_id: UUID, body: dict[str, Any]) -> dict[str, Any]:
    """Sets the bank account the fund receives gifts into: the one its VietQR code carries
    and whose bank notifications are recorded into it; an account serves one fund."""
    account = BankAccount.of(body["bank_bin"], body["account_number"], body["account_name"])
    return written(services().ledger.connect_account(write_request(), fund_id, account))


@bp.get("/public/funds/<uuid:fund_id>/vietqr")
@operation(
    "Read a fund's VietQR code",
    tag="giving",
    query=ReadQuery,
    response=VietQROut,
    public=True,
    errors=(404, 503),
)
def fund_code(fund_id: UUID, query: dict[str, Any]) -> dict[str, Any]:
    """The VietQR code of the fund: its giving account and the memo code naming it."""
    with fresh(query) as (tx, _):
        code = fund_vietqr(tx, fund_id)
        if code is None:
            raise _no_account(fund_id)
    return code


@bp.get("/pledges/<uuid:pledge_id>/vietqr")
@operation(
    "Read a pledge's VietQR code",
    tag="giving",
    query=ReadQuery,
    response=VietQROut,
    errors=(401, 403, 404, 503),
)
def pledge_code(pledge_id: UUID, query: dict[str, Any]) -> dict[str, Any]:
    """The VietQR code a donor scans to give what the pledge still owes: the fund's
    account, the amount outstanding and the memo code naming the pledge."""
    today = services().ledger.today().isoformat()
    with fresh(query) as (tx, _):
        row = pledge_view.get(tx, str(pledge_id), today)
        if row is None:
            raise PledgeNotFound(
                "Không có cam kết ủng hộ nào với mã này. Hãy kiểm tra lại mã.",
                pledge_id=str(pledge_id),
            )
        fund = readable_fund(tx, UUID(row["fund_id"]))
        account = giving_view.account(tx, fund["id"])
        if account is None:
            raise _no_account(UUID(fund["id"]))
    outstanding = int(row["outstanding"]) if row.get("outstanding") else None
    return vietqr_of(account, Names.PLEDGE, pledge_id, outstanding or None)


@bp.post("/bank-notifications/<source>")
@operation(
    "Receive a bank notification",
    tag="giving",
    response=NotificationOut,
    public=True,
    errors=(401, 403, 404, 409, 422, 503),
)
def receive_notification(source: str) -> Any:
    """A bank notification service (``sepay``: header ``Authorization: Apikey <key>``;
    ``casso``: header ``Secure-Token: <key>``) reports transactions of a giving account:
    each credit is recorded once as a bank receipt, whatever retries follow."""
    feed = FEEDS.get(source)
    if feed is None:
        raise UnknownSource(
            f"Không có nguồn thông báo “{source[:40]}”; các nguồn được nhận: {', '.join(FEEDS)}."
        )
    svc = services()
    body = request.get_data(cache=True)
    try:
        key = load_key(svc.config.bank_feed_keys_dir, source)
    except KeyFileUnavailable as missing:
        log.error("bank notifications of %s cannot be checked: %s", source, missing)
        return problem(
            503,
            "bank-feed-key-unavailable",
            "Chưa có khóa của nguồn thông báo",
            f"Chưa nhận thông báo của {feed.title} cho đến khi người vận hành tạo khóa "
            f"(`sovang keys bank-feed {source}`) và dán khóa vào cấu hình webhook; không ghi gì.",
        )
    try:
        feed.authenticate(dict(request.headers), body, key)
    except NotificationUnauthenticated:
        log.warning(
            "bank notification refused: source=%s address=%s request_id=%s",
            source,
            request.remote_addr,
            request.headers.get("X-Request-Id", ""),
        )
        raise
    try:
        transfers = feed.transfers(body)
    except UnreadableNotification as unreadable:
        raise BadRequest(unreadable.detail, {unreadable.field: [unreadable.detail]}) from None
    ledger = svc.ledger
    answers = [ledger.record_notified(feed.name, feed.title, transfer) for transfer in transfers]
    return {"success": True, "transactions": answers}


@bp.get("/funds/<uuid:fund_id>/notified-credits")
@operation(
    "List a fund's notified credits",
    tag="giving",
    query=CreditsQuery,
    response=NotifiedCreditPage,
    errors=(401, 403, 404, 422, 503),
)
def list_credits(fund_id: UUID, query: dict[str, Any]) -> dict[str, Any]:
    """The credits bank notifications recorded into the fund: by default those whose memo
    named no pledge, for the treasurer to assign; ``missing``: those a bank file covering
    their date did not list, for the treasurer and the board to look into."""
    with fresh(query) as (tx, _):
        readable_fund(tx, fund_id)
        rows = giving_view.credits(tx, str(fund_id), query["state"])
    for row in rows:
        row["held"] = bool(row["held"])
    return {"items": rows, "next_cursor": None}


@bp.post("/funds/<uuid:fund_id>/notified-credits/<uuid:credit_id>/assignment")
@operation(
    "Assign a notified credit to a pledge",
    tag="giving",
    body=AssignmentIn,
    response=AssignmentOut,
    status=201,
    errors=WRITE_ERRORS,
)
def assign_credit(fund_id: UUID, credit_id: UUID, body: dict[str, Any]) -> dict[str, Any]:
    """Links a credit whose memo named no pledge to the pledge it fulfils."""
    result = services().ledger.assign_credit(write_request(), fund_id, credit_id, body["pledge_id"])
    return written(result)
