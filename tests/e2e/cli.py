"""Running the installed ``sovang`` command against a store, as operators do."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import traceback
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from unittest import mock

import pytest
from click.testing import CliRunner

from service.bootstrap import Services
from service.config import Config
from service.entrypoints.cli import context
from service.entrypoints.cli.main import main

BIN = Path(sys.executable).parent
SOVANG = str(BIN / "sovang")


def sovang_env(
    database_url: str,
    signing_key: Path | None = None,
    personal_data_key: Path | None = None,
    session_key: Path | None = None,
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
    if session_key is not None:
        env["SOVANG_SESSION_KEY"] = str(session_key)
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


def run(env: Mapping[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """Runs ``sovang ARGS`` in this process (click's runner), with exactly the environment
    ``env``, as the command would run in a process of its own: its exit code, its standard
    output and its standard error, where an error the command did not expect is written as
    Python writes it (a ``Traceback``). The services the command opened are closed after
    it, as its process's end would close them. For the tests of what a command does; those
    of the installed command and its process start it with ``sovang``."""
    opened: list[Services] = []

    def services(config: Config) -> Services:
        made = Services(config)
        opened.append(made)
        return made

    environment: dict[str, str | None] = {name: None for name in os.environ}
    environment.update(env)
    try:
        with mock.patch.object(context, "Services", services):
            result = CliRunner().invoke(main, list(args), env=environment)
    finally:
        for made in opened:
            made.close()
    stderr = result.stderr
    code = result.exit_code
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        assert result.exc_info is not None
        stderr += "".join(traceback.format_exception(*result.exc_info))
        code = 1
    return subprocess.CompletedProcess(["sovang", *args], code, result.stdout, stderr)


def sovang_here(
    database_url: str, *args: str, signing_key: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """``sovang`` run in this process (``run``): insists that it succeeds."""
    result = run(sovang_env(database_url, signing_key), *args)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stops a process started in a session of its own, with all its children."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)
    with contextlib.suppress(ProcessLookupError):  # the workers and runner share the group
        os.killpg(process.pid, signal.SIGKILL)


def wait_until_healthy(root: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, f"sovang serve exited:\n{log.read_text()[-3000:]}"
        try:
            with urllib.request.urlopen(root + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.1)
    pytest.fail(f"sovang serve did not answer /healthz within 30 s:\n{log.read_text()[-3000:]}")
