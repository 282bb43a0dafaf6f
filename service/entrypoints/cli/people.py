"""``sovang person``: people's accounts for the pages. An administrator registers a
person and hands them the one-time activation link printed; the person opens it, sets a
password (and, approvers and administrators, adds their second factor)."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

import click

from service.config import LOCAL_ADDRESS
from service.domain.vocabulary import Role
from service.entrypoints.cli.context import refusals, services

STATUS = {"pending": "chờ kích hoạt", "active": "đang dùng", "disabled": "đã khóa"}
_base_url = click.option(
    "--base-url",
    envvar="SOVANG_BASE_URL",
    default=LOCAL_ADDRESS,
    show_default=True,
    help="The address people open the service at (SOVANG_BASE_URL).",
)


@click.group()
def person() -> None:
    """People's accounts: register, activation links, disable."""


def _print_link(secret_url: str, expires_at: float) -> None:
    until = datetime.fromtimestamp(expires_at, UTC)
    click.echo(
        f"liên kết kích hoạt dùng được một lần, đến {until:%d/%m/%Y %H:%M} UTC; "
        "hãy gửi riêng cho người này (ai có liên kết đều đặt được mật khẩu):"
    )
    click.echo(secret_url)


@person.command("create")
@click.option("--name", required=True, help="The person's full name.")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--unit", "unit_id", type=click.UUID, default=None, help="Their unit.")
@click.option("--phone", default=None, help="Their mobile number; phone or e-mail needed.")
@click.option("--email", default=None, help="Their e-mail address.")
@click.option(
    "--personal-data", is_flag=True, help="May read beneficiaries' personal data in their reach."
)
@click.option(
    "--same-person-as",
    default=None,
    metavar="TOKEN_ID",
    help="The person holds the API token TOKEN_ID: they never approve what they recorded "
    "with either.",
)
@_base_url
def person_create(
    name: str,
    role: str,
    unit_id: UUID | None,
    phone: str | None,
    email: str | None,
    personal_data: bool,
    same_person_as: str | None,
    base_url: str,
) -> None:
    """Register a person and print their activation link (on the last line)."""
    from service.application import people

    svc = services()
    with refusals():
        made = people.register(
            svc.db,
            svc.ledger,
            name=name,
            phone=phone,
            email=email,
            role=Role(role),
            unit_id=unit_id,
            personal_data=personal_data,
            same_person_as=same_person_as,
        )
        link = people.issue_link(svc.db, made.id, svc.clock(), svc.config.activation_hours)
    click.echo(f"đã tạo tài khoản {made.id} cho {made.name} ({role}); {STATUS[made.status]}")
    _print_link(link.url(base_url), link.expires_at)


@person.command("link")
@click.argument("person_id")
@_base_url
def person_link(person_id: str, base_url: str) -> None:
    """Issue a new activation link (earlier ones stop working; using it sets a new
    password): for a lost link or a forgotten password."""
    from service.application import people

    svc = services()
    with refusals():
        link = people.issue_link(svc.db, person_id, svc.clock(), svc.config.activation_hours)
    _print_link(link.url(base_url), link.expires_at)


@person.command("disable")
@click.argument("person_id")
def person_disable(person_id: str) -> None:
    """Disable an account: its sessions end at once, its links stop working."""
    from service.adapters import accounts

    svc = services()
    with refusals():
        done = accounts.disable(svc.db, person_id, svc.clock())
    click.echo(f"đã khóa tài khoản {done.id} ({done.name}); mọi phiên đăng nhập đã kết thúc")


@person.command("list")
def person_list() -> None:
    """Every account: id, status, role, name and how they sign in."""
    from service.adapters import accounts

    for found in accounts.listing(services().db):
        contact = " / ".join(c for c in (found.phone, found.email) if c)
        click.echo(
            f"{found.id}\t{STATUS[found.status]}\t{found.role.value}\t{found.name}\t{contact}"
        )
