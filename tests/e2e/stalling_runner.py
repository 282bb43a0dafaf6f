"""`sovang projections run` with one more projection, applied last, that never finishes a
page: ``python -m tests.e2e.stalling_runner python|c`` (the store from the environment).

It says "stalling" on its output once it holds a page, then waits for ever: in Python
(where a signal's handler can run) or in a call into C that ignores signals (SQLite
waiting for a write lock that its own other connection holds).
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from service import projections
from service.adapters.db import Transaction
from service.entrypoints.cli import main


class Stalling(projections.Projection):
    name = "stalling"
    tables = ()

    def __init__(self, where: str) -> None:
        self.where = where

    def apply_page(self, tx: Transaction, events: Sequence[tuple[int, Any]]) -> None:
        print("stalling", flush=True)
        if self.where == "c":
            path = Path(tempfile.mkdtemp()) / "locked.db"
            holder = sqlite3.connect(path, isolation_level=None)
            holder.execute("BEGIN IMMEDIATE")
            sqlite3.connect(path, isolation_level=None, timeout=3600).execute("BEGIN IMMEDIATE")
        while True:
            time.sleep(1)


if __name__ == "__main__":
    shipped = projections.all_projections
    where = sys.argv[1]
    setattr(projections, "all_projections", lambda: [*shipped(), Stalling(where)])  # noqa: B010
    main(["projections", "run"])
