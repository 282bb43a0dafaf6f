"""What every ``sovang`` command shares: the store and the services it works on, the
way it refuses (one Vietnamese sentence and a non-zero exit, never a traceback), the
operator it records as, and its progress bars.

The store is the one ``SOVANG_DATABASE_URL`` names (with the rest of the configuration
from the environment, see ``service.config``). Every command module takes what it needs
from here; none imports another.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from uuid import UUID

import click
from tqdm import tqdm

from service.adapters.db import BadDatabaseUrl, StoreUrl
from service.application import Request
from service.bootstrap import Services
from service.config import Config
from service.domain.actors import Actor
from service.domain.errors import DomainError
from service.domain.vocabulary import Role


class Refused(click.ClickException):
    """A refusal the operator reads as it is: one Vietnamese sentence, no traceback."""

    def show(self, file: Any = None) -> None:
        click.echo(self.format_message(), err=True, file=file)


def config() -> Config:
    """The configuration of this command, from the environment."""
    return Config.from_env()


def store_url(settings: Config) -> StoreUrl:
    """The store ``settings`` names; a URL that names none is a usage error."""
    try:
        return StoreUrl.parse(settings.database_url)
    except BadDatabaseUrl as error:
        raise click.UsageError(str(error)) from None


def require_migrated(url: StoreUrl) -> None:
    """Refuses a store that lacks any migration of this release (never migrated, or
    migrated by an older release)."""
    from service.adapters import schema

    try:
        schema.check_store(url)
    except (schema.StoreNotMigrated, schema.MigrationsMissing, schema.StoreUnreachable) as error:
        raise Refused(str(error)) from None


def services() -> Services:
    """The services of a command that reads or writes the store, once the store is
    known to have every migration of this release."""
    settings = config()
    require_migrated(store_url(settings))
    return Services(settings)


@contextmanager
def refusals() -> Iterator[None]:
    """Turns a rule of the domain that refuses what the command asked into its
    Vietnamese sentence, and the command's exit code into 1."""
    try:
        yield
    except DomainError as error:
        raise click.ClickException(error.detail) from None


def operator(by: str, role: Role, unit_id: UUID | None = None, *, request_id: str) -> Request:
    """The request of a person at the command line, as the log names them (``cli:BY``)."""
    return Request(Actor(f"cli:{by}", by, role, unit_id), request_id=request_id)


@contextmanager
def progress_bar(
    desc: str, unit: str, total: int | None = None, *, disable: bool | None = False
) -> Iterator[Callable[[int], None]]:
    """A progress bar on the terminal, and the function that moves it to a position
    (``disable=None`` hides it when the output is not a terminal)."""
    with tqdm(total=total, unit=unit, desc=desc, disable=disable) as bar:

        def reach(position: int) -> None:
            bar.update(position - bar.n)

        yield reach
