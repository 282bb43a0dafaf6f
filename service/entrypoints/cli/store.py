"""``sovang migrate``, ``backup`` and ``restore``: the store itself, its tables and copies."""

from __future__ import annotations

from pathlib import Path

import click

from service.adapters.db import StoreUrl
from service.entrypoints.cli.context import Refused, config, store_url


@click.command()
def migrate() -> None:
    """Tạo hoặc nâng cấp mọi bảng (kho sự kiện và bảng dữ liệu đọc); chạy lại nhiều lần vẫn an
    toàn."""
    from service.adapters.migrate import migrate as run_migrations
    from service.adapters.schema import MigrationsMissing

    try:
        applied = run_migrations(store_url(config()))
    except MigrationsMissing as error:
        raise Refused(str(error)) from None
    click.echo(
        f"đã nâng cấp kho dữ liệu: áp dụng {len(applied)} migration"
        + (f" ({', '.join(applied)})" if applied else "; kho đã ở bản mới nhất")
    )


@click.command("backup")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
def backup_command(out: Path) -> None:
    """Sao toàn bộ kho ra một tệp, an toàn khi dịch vụ đang chạy (sao lưu trực tuyến của SQLite,
    hoặc pg_dump); khóa ký được sao lưu riêng."""
    from service.adapters.backup import BackupFailed, backup

    try:
        backup(StoreUrl.parse(config().database_url), out)
    except BackupFailed as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"đã sao lưu kho dữ liệu vào {out}")


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore_command(file: Path) -> None:
    """Khôi phục một bản sao lưu vào kho (trống) mà SOVANG_DATABASE_URL chỉ tới; sau đó chạy
    `sovang audit verify` và `sovang projections rebuild`."""
    from service.adapters.backup import BackupFailed, restore

    try:
        restore(StoreUrl.parse(config().database_url), file)
    except BackupFailed as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"đã khôi phục {file}; bây giờ hãy chạy `sovang audit verify`")
