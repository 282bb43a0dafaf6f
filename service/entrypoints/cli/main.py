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
from service.entrypoints.cli.projections import projections
from service.entrypoints.cli.serve import serve
from service.entrypoints.cli.store import backup_command, migrate, restore_command
from service.version import VERSION


@click.group()
@click.version_option(VERSION, prog_name="sovang", message="%(prog)s %(version)s")
def main() -> None:
    """Sổ Vàng: the ledger of the Fund for the Poor and the Great Solidarity houses."""


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
    giving,
):
    main.add_command(command)

if __name__ == "__main__":
    main()
