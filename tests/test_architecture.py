"""The direction of dependencies (docs/ARCHITECTURE.md, the map) is checked, not hoped for."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

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
    "service.pages",
    "service.reads",
    "service.web",
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
    "service.pages",
    "service.reads",
    "service.web",
    "service.projections",
    "service.application",
    "service.entrypoints",
    "service.adapters",
}


def contracts_of(kind: str) -> list[dict[str, Any]]:
    """The import contracts of pyproject.toml of one type."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return [c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == kind]


def forbidden_contracts() -> dict[str, set[str]]:
    """Each forbidden contract of pyproject.toml as {source module: forbidden modules}."""
    found: dict[str, set[str]] = {}
    for contract in contracts_of("forbidden"):
        for source in contract["source_modules"]:
            found.setdefault(source, set()).update(contract["forbidden_modules"])
    return found


def test_the_import_contracts_say_what_the_design_requires() -> None:
    contracts = forbidden_contracts()
    assert contracts.get("service.domain", set()) >= DOMAIN_MUST_NOT_IMPORT
    assert {"service.api", "service.application"} <= contracts.get("service.projections", set())
    assert {"service.api", "service.pages", "service.reads", "service.web"} <= contracts.get(
        "service.application", set()
    )


def test_the_api_and_the_pages_sit_apart_above_the_reads_and_the_http_they_share() -> None:
    [layers] = [contract["layers"] for contract in contracts_of("layers")]
    assert "service.api | service.pages" in layers
    order = [layers.index(name) for name in ("service.api | service.pages", "service.reads")]
    order += [layers.index(name) for name in ("service.web", "service.bootstrap")]
    assert order == sorted(order)
    assert layers.index("service.entrypoints") < order[0]


def test_no_view_of_the_api_imports_another() -> None:
    views = {
        f"service.api.{path.stem}"
        for path in (ROOT / "service" / "api").glob("*.py")
        if "Blueprint(" in path.read_text(encoding="utf-8")
    }
    independent = [set(contract["modules"]) for contract in contracts_of("independence")]
    assert views
    assert views in independent


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
