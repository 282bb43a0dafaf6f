"""``sovang fund``: the controls of a fund that its treasurer cannot step around."""

from __future__ import annotations

from uuid import UUID

import click

from service.domain.money import vnd
from service.domain.vocabulary import Role
from service.entrypoints.cli.context import operator, refusals, services


@click.group()
def fund() -> None:
    """Các kiểm soát của một quỹ."""


@fund.command("plausibility-limit")
@click.argument("fund_id", type=click.UUID)
@click.argument("amount", required=False)
@click.option("--by", default="operator", help="Người đặt mức, như tên sẽ ghi trong sổ.")
def plausibility_limit(fund_id: object, amount: str | None, by: str) -> None:
    """Xem mức cảnh báo số tiền bất thường của quỹ, hoặc đặt thành AMOUNT đồng ('default': mức
    mặc định theo cấp đơn vị). Mọi khoản thu, chi hay hủy bút toán vượt mức này phải chờ
    người duyệt, dù ai ghi."""
    svc = services()
    chosen = UUID(str(fund_id))
    with refusals():
        if amount is None:
            body = svc.ledger.controls_body(svc.ledger.fund(chosen))
        else:
            limit = None if amount == "default" else _dong(amount)
            by_admin = operator(by, Role.ADMIN, request_id="cli:controls")
            body = svc.ledger.set_plausibility_limit(by_admin, chosen, limit).body
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
