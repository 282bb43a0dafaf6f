"""The ``sovang`` command: its groups of commands, each in a module of its own, put
together. What they share (the store, the services, refusals, progress bars) is in
``context``."""

from __future__ import annotations

import click

from service.entrypoints.cli.access import keys, token
from service.entrypoints.cli.audit import audit
from service.entrypoints.cli.bank_import import import_
from service.entrypoints.cli.controls import fund
from service.entrypoints.cli.demo import demo
from service.entrypoints.cli.giving import giving
from service.entrypoints.cli.people import person
from service.entrypoints.cli.projections import projections
from service.entrypoints.cli.serve import serve
from service.entrypoints.cli.store import backup_command, migrate, restore_command
from service.version import VERSION


@click.group()
@click.version_option(
    VERSION, prog_name="sovang", message="%(prog)s %(version)s", help="Xem phiên bản rồi thoát."
)
def main() -> None:
    """Sổ Vàng: sổ thu chi của Quỹ Vì người nghèo và nhà Đại đoàn kết."""


for command in (
    migrate,
    backup_command,
    restore_command,
    serve,
    token,
    keys,
    projections,
    import_,
    demo,
    audit,
    fund,
    person,
    giving,
):
    main.add_command(command)

if __name__ == "__main__":
    main()


def _help_in_vietnamese(command: click.Command) -> None:
    """Gives every command a --help that says what it does in Vietnamese (click's own
    says it in English)."""
    click.help_option("--help", help="Xem hướng dẫn này rồi thoát.")(command)
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _help_in_vietnamese(sub)


_help_in_vietnamese(main)
