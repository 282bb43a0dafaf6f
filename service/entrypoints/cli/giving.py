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
    """Giving by VietQR and bank notifications."""


@giving.command("account")
@click.argument("fund_id", type=click.UUID)
@click.option("--bin", "bank_bin", required=True, help="The bank's BIN, e.g. 970436.")
@click.option("--number", required=True, help="The account number gifts are sent to.")
@click.option("--name", required=True, help="The name the bank holds the account under.")
@click.option("--by", default="operator", help="Who sets it, as the log will name them.")
def account(fund_id: UUID, bank_bin: str, number: str, name: str, by: str) -> None:
    """Set the bank account FUND_ID receives gifts into (its VietQR code's)."""
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
    """List the credits bank notifications recorded into FUND_ID that wait for the
    treasurer: unassigned (no pledge named), missing (not in the statement)."""
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
@click.option("--by", default="operator", help="Who assigns it, as the log will name them.")
def assign(fund_id: UUID, credit_id: UUID, pledge_id: UUID, by: str) -> None:
    """Link CREDIT_ID, whose memo named no pledge, to the pledge PLEDGE_ID it fulfils."""
    svc = services()
    try:
        with refusals():
            fund = svc.ledger.fund(fund_id)
            by_treasurer = operator(by, Role.TREASURER, fund.unit_id, request_id="cli:giving")
            svc.ledger.assign_credit(by_treasurer, fund_id, credit_id, pledge_id)
    finally:
        svc.close()
    click.echo(f"đã gắn khoản {credit_id} với cam kết {pledge_id}")
