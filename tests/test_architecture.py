"""The direction of dependencies (DESIGN.md, Architecture) is checked, not hoped for."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

DOMAIN_MUST_NOT_IMPORT = {
    "flask",
    "marshmallow",
    "psycopg",
    "psycopg_pool",
    "sqlite3",
    "gunicorn",
    "yoyo",
    "service.api",
    "service.projections",
    "service.application",
    "service.entrypoints",
    "service.adapters",
}
THIRD_PARTY_OUTSIDE_THE_DOMAIN = {
    "flask",
    "werkzeug",
    "marshmallow",
    "psycopg",
    "psycopg_pool",
    "sqlite3",
    "_sqlite3",
    "gunicorn",
    "yoyo",
}
LAYERS_ABOVE_THE_DOMAIN = {
    "service.api",
    "service.projections",
    "service.application",
    "service.entrypoints",
    "service.adapters",
}


def forbidden_contracts() -> dict[str, set[str]]:
    """Each forbidden contract of pyproject.toml as {source module: forbidden modules}."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    found: dict[str, set[str]] = {}
    for contract in config["tool"]["importlinter"]["contracts"]:
        if contract["type"] == "forbidden":
            for source in contract["source_modules"]:
                found.setdefault(source, set()).update(contract["forbidden_modules"])
    return found


def test_the_import_contracts_say_what_the_design_requires() -> None:
    contracts = forbidden_contracts()
    assert contracts.get("service.domain", set()) >= DOMAIN_MUST_NOT_IMPORT
    assert {"service.api", "service.application"} <= contracts.get("service.projections", set())
    assert "service.api" in contracts.get("service.application", set())


def test_the_code_keeps_every_import_contract() -> None:
    result = subprocess.run(
        [str(BIN / "lint-imports"), "--no-cache", "--no-logo"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_importing_the_domain_loads_no_web_framework_or_database_driver() -> None:
    domain = sorted(
        f"service.domain.{path.stem}"
        for path in (ROOT / "service" / "domain").glob("*.py")
        if path.stem != "__init__"
    )
    probe = f"import json, sys; import {', '.join(domain)}; print(json.dumps(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    loaded = set(json.loads(result.stdout))
    assert set(domain) <= loaded
    outsiders = sorted(
        name
        for name in loaded
        if name.split(".")[0] in THIRD_PARTY_OUTSIDE_THE_DOMAIN
        or name.startswith(tuple(f"{layer}." for layer in LAYERS_ABOVE_THE_DOMAIN))
        or name in LAYERS_ABOVE_THE_DOMAIN
    )
    assert outsiders == []
