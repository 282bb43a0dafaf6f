"""``sovang projections``: the read models, followed, rebuilt, shown and checked."""

from __future__ import annotations

import threading
from pathlib import Path

import click

from service.entrypoints.cli.context import progress_bar, services


@click.group()
def projections() -> None:
    """Các bảng dữ liệu đọc: chạy, dựng lại, xem tình trạng, kiểm tra."""


@projections.command("run")
@click.option("--exit-with-parent", is_flag=True, hidden=True)
def projections_run(exit_with_parent: bool) -> None:
    """Theo dõi nhật ký sự kiện và cập nhật mọi bảng dữ liệu đọc cho đến khi bị dừng (SIGTERM
    hoặc Ctrl-C: dừng ngay dù đang làm gì, thoát với mã 0)."""
    from service.entrypoints.cli.stopping import leave_when_told

    leave_when_told(with_parent=exit_with_parent)
    svc = services()
    from service.application.checkpoints import Schedule
    from service.projections.leadership import Leadership

    schedule = Schedule(svc)
    leadership = Leadership(svc.url, [p.name for p in svc.runner.projections])

    def after_catch_up(reached: int, led: frozenset[str]) -> None:
        if "checkpoints" in led:  # the checkpoints' leader signs them
            schedule.tick(reached)

    click.echo("đang theo dõi nhật ký sự kiện; dừng bằng SIGTERM hoặc Ctrl-C", err=True)
    try:
        svc.runner.run_forever(
            threading.Event(), after_catch_up=after_catch_up, leading=leadership.held
        )
    finally:
        leadership.close()


@projections.command("rebuild")
@click.argument("chosen", metavar="[NAME]...", nargs=-1)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Số tiến trình dựng song song, mỗi tiến trình một nhóm bảng (mặc định: số lõi CPU, "
    "tối đa 4; SQLite luôn dùng một).",
)
def projections_rebuild(chosen: tuple[str, ...], jobs: int | None) -> None:
    """Dựng lại các bảng dữ liệu đọc được nêu tên (hoặc tất cả) từ nhật ký sự kiện, có thanh
    tiến độ; trên PostgreSQL các nhóm bảng được dựng song song trong nhiều tiến trình."""
    from service.entrypoints.cli import rebuilding

    svc = services()
    names = [p.name for p in svc.runner.projections]
    unknown = [name for name in chosen if name not in names]
    if unknown:
        raise click.UsageError(
            f"Không có bảng dữ liệu đọc nào tên {', '.join(map(repr, unknown))}; "
            f"hãy chọn trong: {', '.join(names)}."
        )
    which = ", ".join(chosen) or "mọi bảng dữ liệu đọc"
    head = svc.runner.head()
    with progress_bar(f"đang dựng lại {which}", "sự kiện", head) as reach:
        rebuilding.rebuild(svc, list(chosen) or names, jobs or rebuilding.default_jobs(), reach)
        reach(head)
    click.echo(f"đã dựng lại {which} đến vị trí {svc.runner.position()}")


@projections.command("status")
def projections_status() -> None:
    """Vị trí của từng bảng dữ liệu đọc, chậm bao nhiêu so với nhật ký, và tiến trình nào đang
    chạy nó."""
    from service.projections.leadership import leaders

    svc = services()
    head = svc.runner.head()
    positions = svc.runner.positions()
    led = leaders(svc.db, list(positions))
    click.echo(f"{'bảng đọc':<18} {'vị trí':>10} {'còn thiếu':>9}  bộ chạy")
    for name, position in positions.items():
        runner = f"pid {led[name]}" if led[name] else "-"
        click.echo(f"{name:<18} {position:>10} {head - position:>9}  {runner}")
    click.echo(f"{'đầu nhật ký':<18} {head:>10}")


@projections.command("check")
@click.option(
    "--workdir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="Nơi đặt các bảng tạm (mặc định: thư mục tạm của hệ thống).",
)
def projections_check(workdir: Path | None) -> None:
    """Tính lại mọi bảng dữ liệu đọc từ nhật ký vào các bảng tạm rồi so sánh; nếu khác, thoát
    với mã khác 0 và nêu chỗ khác đầu tiên (một số dư hay một bút toán bị sửa tay)."""
    from service.adapters.db import StoreUnavailable
    from service.application.read_model_check import check

    svc = services()
    try:
        with progress_bar("đang tính lại", "sự kiện", svc.runner.head(), disable=None) as reach:
            found = check(svc, progress=reach, workdir=workdir)
    except StoreUnavailable as error:
        raise click.ClickException(
            f"Không kết nối được cơ sở dữ liệu để đối chiếu: {error}"
        ) from None
    for note in found.notes:
        click.echo(f"lưu ý: {note}", err=True)
    if found.difference is not None:
        raise click.ClickException(
            f"Bảng đọc khác với sổ sự kiện: {found.difference.describe()}. "
            "Chạy `sovang projections rebuild` để tính lại từ sổ, rồi tìm xem ai đã sửa."
        )
    click.echo(
        f"các bảng đọc khớp với sổ sự kiện đến vị trí {found.position}: "
        f"{found.tables} bảng, {found.rows} dòng"
    )
