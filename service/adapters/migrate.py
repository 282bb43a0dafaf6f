"""``sovang migrate``: the event store's tables and the numbered SQL this release ships."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.application import Application
from yoyo import get_backend, read_migrations

from service.adapters import schema
from service.adapters.db import APPLICATION_NAME, StoreUrl


class _EventStore(Application[UUID]):
    """The application's event and snapshot tables, created as the application names them."""

    name = APPLICATION_NAME


def migrate(url: StoreUrl) -> list[str]:
    """Creates or upgrades every table; safe to run again. Returns the versions applied.
    Raises schema.MigrationsMissing, touching nothing, if the package holds no migrations."""
    schema.shipped(url.dialect)
    _EventStore(env=url.eventsourcing_env(create_table=True, pool_size=1)).close()
    backend = get_backend(url.yoyo_url)
    try:
        migrations = read_migrations(str(schema.folder(url.dialect)))
        with backend.lock():
            pending = backend.to_apply(migrations)
            backend.apply_migrations(pending)
        return [m.id for m in pending]
    finally:
        backend.connection.close()
