"""``sovang fund``: the controls of a fund that its treasurer cannot step around."""

from __future__ import annotations

import click

from service.domain.errors import DomainError
from service.domain.money import vnd


@click.group()
def fund() -> None:
    """A fund's controls."""


@fund.command("plausibility-limit")
@click.argument("fund_id", type=click.UUID)
@click.argument("amount", required=False)
@click.option("--by", default="operator", help="Who sets it, as the log will name them.")
def plausibility_limit(fund_id: object, amount: str | None, by: str) -> None:
    """Show the fund's plausibility limit, or set it to AMOUNT đồng ('default': the
    default of its unit's level). Any receipt, payment or reversal above it waits for an
    approver, whoever records it."""
    from uuid import UUID

    from service.application import Request
    from service.domain.actors import Actor
    from service.domain.vocabulary import Role
    from service.entrypoints.cli.main import services

    svc = services()
    chosen = UUID(str(fund_id))
    try:
        if amount is None:
            body = svc.ledger.controls_body(svc.ledger.fund(chosen))
        else:
            limit = None if amount == "default" else _dong(amount)
            operator = Request(Actor(f"cli:{by}", by, Role.ADMIN), request_id="cli:controls")
            body = svc.ledger.set_plausibility_limit(operator, chosen, limit).body
    except DomainError as error:
        raise click.ClickException(error.detail) from None
    own = body["plausibility_limit_own"]
    click.echo(
        f"giới hạn hợp lý {vnd(body['plausibility_limit'])}"
        + (" (riêng của quỹ)" if own is not None else " (mặc định của cấp)")
        + (
            f"; ngưỡng duyệt {vnd(body['approval_threshold'])}"
            if body["approval_threshold"] is not None
            else "; không có ngưỡng duyệt"
        )
    )


def _dong(text: str) -> int:
    digits = text.replace(".", "").replace("_", "")
    if not digits.isdigit():
        raise click.UsageError("AMOUNT là số đồng nguyên, ví dụ 5000000000, hoặc 'default'.")
    return int(digits)
