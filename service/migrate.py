"""``sovang migrate``: the event store's tables and the numbered SQL of ``migrations/``."""

from __future__ import annotations

from pathlib import Path

from yoyo import get_backend, read_migrations

from service.application import Ledger
from service.db import StoreUrl

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def migrate(url: StoreUrl) -> list[str]:
    """Creates or upgrades every table; safe to run again. Returns the versions applied."""
    Ledger(env=url.eventsourcing_env(create_table=True, pool_size=1)).close()
    backend = get_backend(url.yoyo_url)
    try:
        migrations = read_migrations(str(MIGRATIONS / url.dialect))
        with backend.lock():
            pending = backend.to_apply(migrations)
            backend.apply_migrations(pending)
        return [m.id for m in pending]
    finally:
        backend.connection.close()
