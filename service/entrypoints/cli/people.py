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
    help="Địa chỉ mọi người mở dịch vụ (SOVANG_BASE_URL).",
)


@click.group()
def person() -> None:
    """Tài khoản của người dùng các trang: đăng ký, liên kết kích hoạt, khóa."""


def _print_link(secret_url: str, expires_at: float) -> None:
    until = datetime.fromtimestamp(expires_at, UTC)
    click.echo(
        f"liên kết kích hoạt dùng được một lần, đến {until:%d/%m/%Y %H:%M} UTC; "
        "hãy gửi riêng cho người này (ai có liên kết đều đặt được mật khẩu):"
    )
    click.echo(secret_url)


@person.command("create")
@click.option("--name", required=True, help="Họ và tên của người dùng.")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--unit", "unit_id", type=click.UUID, default=None, help="Đơn vị của người dùng.")
@click.option("--phone", default=None, help="Số điện thoại di động; cần số điện thoại hoặc e-mail.")
@click.option("--email", default=None, help="Địa chỉ e-mail.")
@click.option(
    "--personal-data",
    is_flag=True,
    help="Được đọc dữ liệu cá nhân của người được hỗ trợ trong phạm vi của mình.",
)
@click.option(
    "--same-person-as",
    default=None,
    metavar="TOKEN_ID",
    help="Người này giữ mã truy cập API TOKEN_ID: họ không bao giờ tự duyệt điều mình đã ghi, "
    "dù ghi bằng tài khoản hay bằng mã.",
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
    """Đăng ký một người dùng và in liên kết kích hoạt (ở dòng cuối)."""
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
    """Cấp liên kết kích hoạt mới (các liên kết cũ hết hiệu lực; mở nó để đặt mật khẩu
    mới): khi mất liên kết hoặc quên mật khẩu."""
    from service.application import people

    svc = services()
    with refusals():
        link = people.issue_link(svc.db, person_id, svc.clock(), svc.config.activation_hours)
    _print_link(link.url(base_url), link.expires_at)


@person.command("disable")
@click.argument("person_id")
def person_disable(person_id: str) -> None:
    """Khóa một tài khoản: các phiên đăng nhập kết thúc ngay, các liên kết hết hiệu lực."""
    from service.adapters import accounts

    svc = services()
    with refusals():
        done = accounts.disable(svc.db, person_id, svc.clock())
    click.echo(f"đã khóa tài khoản {done.id} ({done.name}); mọi phiên đăng nhập đã kết thúc")


@person.command("list")
def person_list() -> None:
    """Mọi tài khoản: mã, tình trạng, vai trò, họ tên và cách đăng nhập."""
    from service.adapters import accounts

    for found in accounts.listing(services().db):
        contact = " / ".join(c for c in (found.phone, found.email) if c)
        click.echo(
            f"{found.id}\t{STATUS[found.status]}\t{found.role.value}\t{found.name}\t{contact}"
        )
