"""Which migrations this release ships, and whether a store has had them all.

The numbered SQL of each dialect is package data (``service/migrations``, the top-level
``migrations/`` folder of the source tree). Every command but ``sovang migrate`` (and
the backup and restore of a whole store) refuses a store that lacks any of them, so
that an un-migrated or older store is named as such instead of failing on a missing
table.
"""

from __future__ import annotations

import functools
from pathlib import Path

import psycopg
from psycopg.rows import dict_row
from yoyo import read_migrations

from service.adapters.db import Database, Dialect, StoreUnavailable, StoreUrl, Transaction

#: The numbered SQL of both dialects, one folder per dialect.
MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"

#: yoyo's record of the migrations applied to a store.
APPLIED_TABLE = "_yoyo_migration"

NOT_MIGRATED = "Kho dữ liệu chưa được khởi tạo/nâng cấp: chạy sovang migrate"


class MigrationsMissing(Exception):
    """The installed package holds no migrations for the store's dialect."""

    def __init__(self, folder: Path) -> None:
        super().__init__(
            f"Không tìm thấy tệp migration nào trong {folder}: bản cài đặt sovang bị thiếu, "
            "hãy cài lại gói rồi chạy lại sovang migrate."
        )
        self.folder = folder


class StoreNotMigrated(Exception):
    """The store has not had every migration this release ships."""

    def __init__(self, pending: list[str]) -> None:
        super().__init__(NOT_MIGRATED)
        self.pending = pending


class StoreUnreachable(Exception):
    """The store did not answer when asked which migrations it has had."""

    def __init__(self, reason: str) -> None:
        super().__init__(
            "Không kết nối được kho dữ liệu mà SOVANG_DATABASE_URL chỉ tới "
            f"({reason.strip()}): hãy kiểm tra địa chỉ và máy chủ cơ sở dữ liệu."
        )


def folder(dialect: Dialect) -> Path:
    return MIGRATIONS / dialect


@functools.cache
def shipped(dialect: Dialect) -> tuple[str, ...]:
    """The ids of the migrations this release ships for a dialect, in order; raises
    MigrationsMissing if there are none."""
    ids = tuple(migration.id for migration in read_migrations(str(folder(dialect))))
    if not ids:
        raise MigrationsMissing(folder(dialect))
    return ids


def pending(db: Database) -> list[str]:
    """The shipped migrations the store has not applied (all of them for a store that
    was never migrated)."""
    wanted = shipped(db.dialect)
    if db.dialect == "sqlite" and not Path(db.url.path).is_file():
        return list(wanted)  # not even created: leave no empty file behind
    with db.transaction() as tx:
        return _pending(tx, wanted)


def _pending(tx: Transaction, wanted: tuple[str, ...]) -> list[str]:
    if tx.dialect == "sqlite":
        present = tx.scalar(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = :name",
            {"name": APPLIED_TABLE},
        )
    else:
        present = tx.scalar("SELECT to_regclass(:name) IS NOT NULL", {"name": APPLIED_TABLE})
    if not present:
        return list(wanted)
    applied = {row["migration_id"] for row in tx.all(f"SELECT migration_id FROM {APPLIED_TABLE}")}
    return [migration for migration in wanted if migration not in applied]


def require_migrated(db: Database) -> None:
    """Raises StoreNotMigrated unless the store has every migration of this release."""
    missing = pending(db)
    if missing:
        raise StoreNotMigrated(missing)


def check_store(url: StoreUrl) -> None:
    """Asks the store once, on a connection of its own, whether it has every migration
    of this release; raises StoreNotMigrated, StoreUnreachable or MigrationsMissing."""
    if url.dialect == "sqlite":
        db = Database(url, pool_size=1)
        try:
            require_migrated(db)
        except StoreUnavailable as error:
            raise StoreUnreachable(str(error)) from None
        finally:
            db.close()
        return
    wanted = shipped(url.dialect)
    try:
        with (
            psycopg.connect(url.libpq_url, connect_timeout=5, row_factory=dict_row) as conn,
            conn.cursor() as cursor,
        ):
            missing = _pending(Transaction(cursor, "postgresql"), wanted)
    except psycopg.OperationalError as error:
        raise StoreUnreachable(str(error)) from None
    if missing:
        raise StoreNotMigrated(missing)
