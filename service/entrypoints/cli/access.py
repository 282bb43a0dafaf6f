"""``sovang token`` and ``sovang keys``: who may use the API, and the keys that keep
beneficiaries' personal data and the inspector pages' sessions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

import click

from service.adapters.db import Database
from service.domain.errors import DomainError
from service.domain.vocabulary import Role
from service.entrypoints.cli.context import config, services


@click.group()
def token() -> None:
    """Mã truy cập API (token)."""


@token.command("create")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option(
    "--unit",
    "unit_id",
    type=click.UUID,
    default=None,
    help="Đơn vị của mã (mọi vai trò trừ quản trị).",
)
@click.option("--name", required=True, help="Người giữ mã, ví dụ 'Thủ quỹ xã Mẫu'.")
@click.option(
    "--personal-data",
    is_flag=True,
    help="Cho mã đọc dữ liệu cá nhân của người thụ hưởng trong phạm vi của mã (quản trị luôn "
    "được).",
)
@click.option(
    "--expires-in-days",
    type=click.IntRange(1, 3650),
    default=None,
    help="Mã hết hiệu lực sau ngần này ngày (mặc định dùng được đến khi bị thu hồi).",
)
@click.option(
    "--same-person-as",
    "same_person_as",
    default=None,
    metavar="TOKEN_ID",
    help="Mã thuộc về người đang giữ mã TOKEN_ID: người đó không bao giờ được duyệt khoản mình "
    "đã ghi bằng mã nào trong hai mã.",
)
@click.option(
    "--person",
    "person",
    default=None,
    metavar="PERSON_ID",
    help="Mã do người có tài khoản này giữ (sovang person list): họ không dùng mã để duyệt "
    "điều mình đã ghi trên các trang, và ngược lại.",
)
def token_create(
    role: str,
    unit_id: UUID | None,
    name: str,
    personal_data: bool,
    expires_in_days: int | None,
    same_person_as: str | None,
    person: str | None,
) -> None:
    """Tạo một mã truy cập API; dòng cuối cùng in ra chính là mã."""
    from service.adapters import tokens

    svc = services()
    chosen = Role(role)
    if chosen is not Role.ADMIN and unit_id is None:
        raise click.UsageError(
            f"Token vai trò {role} phải thuộc một đơn vị: hãy thêm --unit MÃ_ĐƠN_VỊ."
        )
    if unit_id is not None:
        try:
            svc.ledger.unit(unit_id)
        except DomainError:
            raise click.UsageError(
                f"Không có đơn vị nào mang mã {unit_id}. Hãy kiểm tra lại mã đơn vị."
            ) from None
    if person is not None:
        from service.adapters import accounts

        if accounts.get(svc.db, person) is None:
            raise click.UsageError(f"Không có tài khoản nào mang mã {person}.")
        person_id: str | None = person
    else:
        person_id = _token_person(svc.db, name, same_person_as)
    expires_at = datetime.now(UTC) + timedelta(days=expires_in_days) if expires_in_days else None
    token_id, secret = tokens.create(
        svc.db,
        name=name,
        role=chosen,
        unit_id=unit_id,
        personal_data=personal_data,
        expires_at=expires_at,
        person_id=person_id,
    )
    granted = ", được xem dữ liệu cá nhân" if personal_data else ""
    if expires_at is not None:
        granted += f", dùng được đến {expires_at:%d/%m/%Y %H:%M} UTC"
    click.echo(
        f"token mã {token_id} cho {name} ({role}{granted}); token chỉ hiện một lần, "
        "hãy cất giữ cẩn thận:"
    )
    click.echo(secret)


def _token_person(db: Database, name: str, same_person_as: str | None) -> str | None:
    """The person a new token is for: another token's holder, or else a new person.
    Maker-checker tells people apart by who holds a token, never by name, so a name that
    looks like an existing token's is pointed out."""
    from service.adapters import tokens

    if same_person_as is not None:
        person_id = tokens.person_of(db, same_person_as)
        if person_id is None:
            raise click.UsageError(f"Không có token nào mang id {same_person_as}.")
        return person_id
    alike = tokens.look_alikes(db, name)
    if alike:
        listed = ", ".join(f"{token_id} ({held})" for token_id, held in alike)
        click.echo(
            f"Lưu ý: tên này giống tên người giữ token đã có: {listed}. Token mới được coi là "
            "của một người khác; nếu là cùng một người, hãy thu hồi nó và tạo lại với "
            "--same-person-as TOKEN_ID để người đó không tự duyệt khoản mình ghi.",
            err=True,
        )
    return None


@token.command("revoke")
@click.argument("token_id")
def token_revoke(token_id: str) -> None:
    """Thu hồi một mã truy cập theo mã số (id) của nó."""
    from service.adapters import tokens

    if not tokens.revoke(services().db, token_id):
        raise click.ClickException(
            f"Không có token nào đang dùng mang mã {token_id}. Hãy kiểm tra lại mã."
        )
    click.echo(f"đã thu hồi token {token_id}")


@click.group()
def keys() -> None:
    """Khóa chính của dữ liệu cá nhân người thụ hưởng và khóa phiên của các trang đăng nhập."""


@keys.command("init")
@click.option("--keep", is_flag=True, help="Giữ nguyên các tệp khóa đã có.")
def keys_init(keep: bool) -> None:
    """Tạo khóa chính của dữ liệu cá nhân người thụ hưởng (tệp mà SOVANG_PERSONAL_DATA_KEY chỉ
    tới) và khóa phiên của các trang đăng nhập (SOVANG_SESSION_KEY), bên ngoài cơ sở dữ liệu.
    Hãy giữ bí mật và sao lưu khóa chính: mất nó thì không đọc lại được tên, địa chỉ, CCCD
    hay số điện thoại của hộ nào."""
    from service.adapters import keyfiles, personal_data

    settings = config()
    existing = [
        p for p in (settings.personal_data_key_path, settings.session_key_path) if p.exists()
    ]
    if existing and not keep:
        raise click.ClickException(
            f"{existing[0]} đã có; khóa không bao giờ bị thay. Muốn giữ khóa cũ, hãy thêm --keep."
        )
    if settings.personal_data_key_path.exists():
        personal_data.load(settings.personal_data_key_path)
        click.echo(f"khóa chính dữ liệu cá nhân đã có ở {settings.personal_data_key_path}")
    else:
        personal_data.write(settings.personal_data_key_path)
        click.echo(
            f"đã ghi khóa chính dữ liệu cá nhân vào {settings.personal_data_key_path}; "
            "hãy giữ bí mật và sao lưu khóa này"
        )
    if settings.session_key_path.exists():
        keyfiles.read_random(settings.session_key_path, "sovang keys init")
        click.echo(f"khóa phiên đã có ở {settings.session_key_path}")
    else:
        keyfiles.write_random(settings.session_key_path)
        click.echo(f"đã ghi khóa phiên vào {settings.session_key_path}; hãy giữ bí mật khóa này")


@keys.command("bank-feed")
@click.argument("source", type=click.Choice(["sepay", "casso"]))
def keys_bank_feed(source: str) -> None:
    """Tạo khóa mà dịch vụ báo có (SePay, Casso) gửi kèm mỗi báo có, ghi vào một tệp
    trong SOVANG_BANK_FEED_KEYS (không bao giờ ghi đè), và in ra một lần để dán vào phần
    cài đặt webhook của dịch vụ đó."""
    from service.adapters import bank_feeds, keyfiles

    path = bank_feeds.key_path(config().bank_feed_keys_dir, source)
    if path.exists():
        raise click.ClickException(
            f"{path} đã có; khóa không bao giờ bị thay. Muốn đổi khóa, hãy xóa tệp này rồi "
            "chạy lại, và dán khóa mới vào cấu hình webhook."
        )
    keyfiles.write_random(path)
    key = bank_feeds.load_key(config().bank_feed_keys_dir, source).decode()
    header = "Authorization: Apikey" if source == "sepay" else "Secure-Token:"
    click.echo(f"đã ghi khóa vào {path}; dán khóa dưới đây vào cấu hình webhook ({header} ...):")
    click.echo(key)
