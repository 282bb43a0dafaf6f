"""Backups of the store: a consistent copy taken while the service runs, and its restore.

SQLite is copied with SQLite's online backup (pages copied under a read transaction,
so writers carry on); PostgreSQL with ``pg_dump``'s custom format and ``pg_restore``.
The log's signing key is a file outside the store: back it up on its own.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from service.adapters.db import StoreUrl


class BackupFailed(Exception):
    """The copy or the restore could not be made; the message says why."""


def backup(url: StoreUrl, out: Path) -> None:
    """Writes a consistent copy of the whole store (events and read models) to ``out``."""
    if out.exists():
        raise BackupFailed(
            f"{out} đã có; bản sao lưu không bao giờ ghi đè tệp. Hãy chọn tên tệp khác."
        )
    if url.dialect == "sqlite":
        source = sqlite3.connect(url.path)
        target = sqlite3.connect(out)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
        return
    _run(["pg_dump", "--format=custom", "--no-owner", f"--file={out}", url.libpq_url])


def restore(url: StoreUrl, file: Path) -> None:
    """Restores a backup into the store ``url`` names, which must be empty."""
    if url.dialect == "sqlite":
        target = Path(url.path)
        if target.exists() and target.stat().st_size > 0:
            raise BackupFailed(f"{target} đã chứa một kho dữ liệu; hãy khôi phục vào một tệp mới.")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(file, target)
        return
    _run(["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={url.libpq_url}", str(file)])


def _run(command: list[str]) -> None:
    try:
        # A fixed program with the operator's own settings as arguments; no shell.
        result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    except FileNotFoundError:
        raise BackupFailed(f"Máy này chưa cài {command[0]}; hãy cài rồi chạy lại.") from None
    if result.returncode != 0:
        raise BackupFailed(f"{command[0]} bị lỗi: {result.stderr.strip()}")
