"""``sovang giving``: a fund's giving account, and the credits bank notifications recorded
that wait for the treasurer (no pledge named, or missing from the statement)."""

from __future__ import annotations

from uuid import UUID

import click

from service.domain.giving import BankAccount
from service.domain.money import vnd
from service.domain.vocabulary import Role
from service.entrypoints.cli.context import operator, refusals, services
from service.projections import giving as giving_view

#: What each queue is, as the command line says it.
STATES = {
    "unassigned": "chưa gắn với cam kết nào",
    "missing": "ngân hàng đã báo mà sao kê không có",
    "unreconciled": "chưa khớp với dòng sao kê nào",
    "all": "mọi khoản ngân hàng báo về",
}


@click.group()
def giving() -> None:
    """Ủng hộ qua VietQR và báo có của ngân hàng."""


@giving.command("account")
@click.argument("fund_id", type=click.UUID)
@click.option("--bin", "bank_bin", required=True, help="Mã BIN của ngân hàng, ví dụ 970436.")
@click.option("--number", required=True, help="Số tài khoản nhận tiền ủng hộ.")
@click.option("--name", required=True, help="Tên chủ tài khoản như ngân hàng ghi.")
@click.option("--by", default="operator", help="Người đặt, như sổ sẽ ghi tên.")
def account(fund_id: UUID, bank_bin: str, number: str, name: str, by: str) -> None:
    """Đặt tài khoản ngân hàng mà quỹ FUND_ID nhận tiền ủng hộ (tài khoản trong mã VietQR
    của quỹ)."""
    svc = services()
    try:
        with refusals():
            fund = svc.ledger.fund(fund_id)
            by_treasurer = operator(by, Role.TREASURER, fund.unit_id, request_id="cli:giving")
            account = BankAccount.of(bank_bin, number, name)
            body = svc.ledger.connect_account(by_treasurer, fund_id, account).body
    finally:
        svc.close()
    click.echo(
        f"quỹ nhận ủng hộ vào tài khoản {body['account_number']} (BIN {body['bank_bin']}); "
        f"nội dung chuyển khoản: {body['memo_code']} UNG HO"
    )


@giving.command("credits")
@click.argument("fund_id", type=click.UUID)
@click.option("--state", type=click.Choice(list(STATES)), default="unassigned", show_default=True)
def credits(fund_id: UUID, state: str) -> None:
    """Liệt kê các báo có đã ghi vào quỹ FUND_ID đang chờ thủ quỹ: chưa gán (không nêu
    cam kết nào) và không có trong sao kê."""
    svc = services()
    try:
        svc.runner.catch_up()
        with svc.db.transaction() as tx:
            rows = giving_view.credits(tx, str(fund_id), state)
    finally:
        svc.close()
    click.echo(f"{len(rows)} khoản {STATES[state]}, {vnd(sum(int(r['amount']) for r in rows))}")
    for row in rows:
        click.echo(
            f"  {row['id']}  {row['occurred_on']}  {vnd(int(row['amount']))}  "
            f"{row['source']} {row['transaction_id']}  {row['reference'] or ''}"
        )


@giving.command("assign")
@click.argument("fund_id", type=click.UUID)
@click.argument("credit_id", type=click.UUID)
@click.argument("pledge_id", type=click.UUID)
@click.option("--by", default="operator", help="Người gán, như sổ sẽ ghi tên.")
def assign(fund_id: UUID, credit_id: UUID, pledge_id: UUID, by: str) -> None:
    """Gán báo có CREDIT_ID (nội dung không nêu cam kết) cho cam kết PLEDGE_ID mà nó thực hiện."""
    svc = services()
    try:
        with refusals():
            fund = svc.ledger.fund(fund_id)
            by_treasurer = operator(by, Role.TREASURER, fund.unit_id, request_id="cli:giving")
            svc.ledger.assign_credit(by_treasurer, fund_id, credit_id, pledge_id)
    finally:
        svc.close()
    click.echo(f"đã gắn khoản {credit_id} với cam kết {pledge_id}")
