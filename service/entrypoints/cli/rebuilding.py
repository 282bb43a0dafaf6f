"""A rebuild of the read models in several processes, one per group of projections.

Each projection has its own tracking row and reads no other projection's tables while it
applies an event, so groups of them can replay the log side by side, each process reading
and decoding the log once for its group, and the rows are the same as a rebuild in one
process gives. SQLite has one writer at a time, so there a rebuild runs in one process.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import click

from service.projections.base import groups

if TYPE_CHECKING:
    from service.bootstrap import Services

#: How often the parent reads the positions reached to move the progress bar.
PROGRESS_SECONDS = 0.25


def default_jobs() -> int:
    """As many processes as the machine has cores, at most four."""
    return max(1, min(os.cpu_count() or 1, 4))


def rebuild(svc: Services, chosen: Sequence[str], jobs: int, reach: Callable[[int], None]) -> None:
    """Drops the rows of the ``chosen`` projections and replays the log into them, in up to
    ``jobs`` processes; then brings every projection to the head of the log."""
    runner = svc.runner
    if jobs <= 1 or svc.db.dialect != "postgresql":
        runner.rebuild(list(chosen), progress=reach)
        return
    runner.reset(list(chosen))
    parts = groups([p for p in runner.projections if p.name in chosen], jobs)
    context = multiprocessing.get_context("spawn")
    followers = [
        context.Process(target=_follow, args=(names,), name=f"rebuild-{i}", daemon=True)
        for i, names in enumerate(parts)
    ]
    try:
        for follower in followers:
            follower.start()
        while any(follower.is_alive() for follower in followers):
            reach(runner.position())
            time.sleep(PROGRESS_SECONDS)
        failed = [names for names, f in zip(parts, followers, strict=True) if f.exitcode != 0]
        if failed:
            raise click.ClickException(
                "Dựng lại không xong: tiến trình của "
                f"{'; '.join(', '.join(names) for names in failed)} đã dừng vì lỗi. "
                "Các bảng đã dựng dở vẫn đúng đến vị trí của chúng; chạy lại lệnh này."
            )
    finally:
        for follower in followers:
            if follower.is_alive():
                follower.terminate()
            follower.join()
    runner.catch_up(progress=reach)


def _follow(names: list[str]) -> None:
    """In a process of its own: replays the log into the named projections."""
    from service.entrypoints.cli.context import services
    from service.entrypoints.cli.stopping import leave_when_told

    leave_when_told(with_parent=True)
    svc = services()
    try:
        svc.runner.only(frozenset(names)).catch_up()
    finally:
        svc.close()
