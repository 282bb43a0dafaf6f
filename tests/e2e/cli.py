"""Running the installed ``sovang`` command against a store, as operators do."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent
SOVANG = str(BIN / "sovang")


def sovang_env(
    database_url: str, signing_key: Path | None = None, personal_data_key: Path | None = None
) -> dict[str, str]:
    """The environment of a ``sovang`` command on this store (and with these keys)."""
    env = {
        **os.environ,
        "SOVANG_DATABASE_URL": database_url,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    if signing_key is not None:
        env["SOVANG_SIGNING_KEY"] = str(signing_key)
    if personal_data_key is not None:
        env["SOVANG_PERSONAL_DATA_KEY"] = str(personal_data_key)
    return env


def sovang(
    database_url: str, *args: str, signing_key: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Runs ``sovang ARGS`` and insists that it succeeds."""
    result = subprocess.run(
        [SOVANG, *args],
        env=sovang_env(database_url, signing_key),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result
