"""``sovang``, the command line of operators, treasurers' imports and the audit."""

from service.entrypoints.cli.main import main

__all__ = ["main"]
