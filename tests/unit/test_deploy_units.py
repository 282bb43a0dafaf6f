"""The systemd units in deploy/ start what the package holds: every module and callable
their command lines name exists."""

from __future__ import annotations

import importlib
import re
import shlex
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
UNITS = sorted(DEPLOY.glob("*.service"))


def _exec_start(unit: Path) -> list[str]:
    line = next(x for x in unit.read_text().splitlines() if x.startswith("ExecStart="))
    return shlex.split(line.removeprefix("ExecStart="))


@pytest.mark.parametrize("unit", UNITS, ids=lambda u: u.name)
def test_a_units_command_names_modules_the_package_holds(unit: Path) -> None:
    command = _exec_start(unit)
    named = [arg for arg in command if arg.startswith(("python:service", "service"))]
    for arg in named:
        target = arg.removeprefix("python:")
        module, _, attribute = target.partition(":")
        loaded = importlib.import_module(module)
        if attribute:
            name = re.sub(r"\(.*\)$", "", attribute)
            assert callable(getattr(loaded, name)), f"{unit.name}: {arg}"


def test_the_api_unit_runs_the_wsgi_application_under_gunicorn() -> None:
    command = _exec_start(DEPLOY / "sovang-api.service")
    assert command[0].endswith("gunicorn")
    assert "python:service.entrypoints.gunicorn_conf" in command
    assert "service.entrypoints.wsgi:create_app()" in command
