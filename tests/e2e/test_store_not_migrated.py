"""Every command on a store that lacks a migration of this release says so in one
sentence and exits non-zero, without a traceback; the server does not start on it. The
commands that only read or write the store run in the test's process (tests/e2e/cli.py's
``run``); `sovang serve` and gunicorn in processes of their own."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.e2e.cli import BIN, SOVANG, free_port, run, sovang_env

pytestmark = pytest.mark.e2e

NOT_MIGRATED = "Kho dữ liệu chưa được khởi tạo/nâng cấp: chạy sovang migrate"

COMMANDS = [
    ("token", "create", "--role", "admin", "--name", "Quản trị"),
    ("projections", "status"),
    ("audit", "verify"),
    ("demo",),
    ("serve", "--bind", "127.0.0.1:{port}", "--workers", "1"),
]


#: The commands that start a server, and so a process of their own.
SERVING = {"serve"}


def refused(command: list[str], database_url: str) -> str:
    if command[0] == SOVANG and command[1] not in SERVING:
        result = run(sovang_env(database_url), *command[1:])
    else:
        result = subprocess.run(
            command,
            env=sovang_env(database_url),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert result.returncode != 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    return result.stderr


@pytest.mark.parametrize("command", COMMANDS, ids=lambda command: command[0])
def test_a_command_on_a_store_lacking_migrations_says_so_in_one_sentence(
    command: tuple[str, ...], lacking_store: tuple[str, list[str]]
) -> None:
    args = [arg.format(port=free_port()) for arg in command]

    said = refused([SOVANG, *args], lacking_store[0])

    assert said.strip() == NOT_MIGRATED
    if lacking_store[0].endswith("/never/sovang.db"):
        assert not Path(lacking_store[0].removeprefix("sqlite:///")).exists()  # none left behind


def test_gunicorn_run_as_the_systemd_unit_does_refuses_a_store_lacking_migrations(
    lacking_store: tuple[str, list[str]],
) -> None:
    command = [
        str(BIN / "gunicorn"),
        "-c",
        "python:service.entrypoints.gunicorn_conf",
        "service.entrypoints.wsgi:create_app()",
    ]

    said = refused([*command, "--bind", f"127.0.0.1:{free_port()}"], lacking_store[0])

    assert NOT_MIGRATED in said
