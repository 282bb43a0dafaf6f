"""The package as an operator installs it: the wheel built from the working tree, put
into a virtualenv of its own and run from a folder with no source tree in reach, migrates
an empty store of each kind, makes a token, serves, is ready and answers a read.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from service.version import VERSION
from tests.conftest import PG_SERVER
from tests.e2e.cli import free_port, stop, wait_until_healthy
from tests.postgres import PostgresDatabases

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
#: What the build never needs: environments, caches, local stores and earlier builds.
NOT_BUILT = shutil.ignore_patterns(
    ".git", ".venv", "var", "build", "dist", "*.egg-info", "__pycache__", ".*_cache",
    ".hypothesis", "tests", "bench", "samples", "*.db",
)  # fmt: skip


ONE_WORKER = ("--workers", "1", "--threads", "2")


@dataclass(frozen=True)
class Installed:
    bin: Path
    #: An empty folder to run from: nothing of the source tree can be imported there.
    cwd: Path

    def sovang(self, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.bin / "sovang"), *args],
            cwd=self.cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )


def copy_of_the_working_tree(base: Path) -> Path:
    source = base / "source"
    shutil.copytree(ROOT, source, symlinks=True, ignore=NOT_BUILT)
    return source


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """The wheel of the working tree, built and installed into a new virtualenv."""
    base = tmp_path_factory.mktemp("wheel")
    source = copy_of_the_working_tree(base)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet"]
    subprocess.run(
        [*pip, "wheel", "--no-deps", "--wheel-dir", str(base / "dist"), str(source)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = (base / "dist").glob("sovang-*.whl")
    assert wheel.name.startswith(f"sovang-{VERSION}-")
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    subprocess.run(
        [*pip, "--python", str(venv / "bin" / "python"), "install", "--no-compile", str(wheel)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    cwd = base / "elsewhere"
    cwd.mkdir()
    return Installed(venv / "bin", cwd)


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A store nothing has touched: no file, or a database just created."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store' / 'sovang.db'}"
        return
    databases: PostgresDatabases = request.getfixturevalue("postgres_databases")
    yield f"{PG_SERVER}/{databases.blank()}"


def get(url: str, token: str | None = None) -> tuple[int, dict[str, object]]:
    headers = {"Accept": "application/json"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_the_installed_wheel_migrates_an_empty_store_serves_and_reads(
    installed: Installed, empty_store: str, tmp_path: Path
) -> None:
    (tmp_path / "store").mkdir(exist_ok=True)
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "SOVANG_DATABASE_URL": empty_store,
        "SOVANG_DATA_DIR": str(tmp_path / "data"),
    }
    version = installed.sovang(env, "--version")
    imported = subprocess.run(
        [str(installed.bin / "python"), "-c", "import service; print(service.__file__)"],
        cwd=installed.cwd,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert version.stdout.strip() == f"sovang {VERSION}"
    assert imported.stdout.startswith(str(installed.bin.parent)), imported.stdout

    refused = installed.sovang(env, "token", "create", "--role", "admin", "--name", "x")
    assert refused.returncode != 0
    assert "Kho dữ liệu chưa được khởi tạo/nâng cấp: chạy sovang migrate" in refused.stderr
    assert "Traceback" not in refused.stderr

    dialect = "sqlite" if empty_store.startswith("sqlite") else "postgresql"
    shipped = len(list((ROOT / "migrations" / dialect).glob("*.sql")))
    for args in (["migrate"], ["audit", "keygen"], ["keys", "init"]):
        done = installed.sovang(env, *args)
        assert done.returncode == 0, done.stdout + done.stderr
        if args == ["migrate"]:
            assert f"đã nâng cấp kho dữ liệu: áp dụng {shipped} migration" in done.stdout
    made = installed.sovang(env, "token", "create", "--role", "admin", "--name", "Quản trị")
    assert made.returncode == 0, made.stdout + made.stderr
    token = made.stdout.strip().splitlines()[-1]

    port = free_port()
    root = f"http://127.0.0.1:{port}"
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [str(installed.bin / "sovang"), "serve", "--bind", f"127.0.0.1:{port}", *ONE_WORKER],
            cwd=installed.cwd,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_until_healthy(root, server, log)
        assert get(root + "/healthz") == (200, {"status": "ok", "version": VERSION})
        deadline = time.monotonic() + 30
        while (ready := get(root + "/readyz"))[0] != 200 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert ready[0] == 200, ready
        status, units = get(root + "/api/v1/units", token)
        assert (status, units["items"]) == (200, [])
        assert get(root + "/api/v1/units")[0] == 401
    finally:
        stop(server)


def test_the_source_archive_carries_the_migrations_of_both_stores_and_the_deploy_files(
    tmp_path: Path,
) -> None:
    source = copy_of_the_working_tree(tmp_path)
    subprocess.run(
        [sys.executable, "-m", "build", "--sdist", "--outdir", str(tmp_path / "dist"), str(source)],
        check=True,
        capture_output=True,
        timeout=300,
    )

    (archive,) = (tmp_path / "dist").glob(f"sovang-{VERSION}.tar.gz")
    with tarfile.open(archive) as tar:
        names = {name.split("/", 1)[1] for name in tar.getnames() if "/" in name}
    for dialect in ("postgresql", "sqlite"):
        shipped = {p.name for p in (ROOT / "migrations" / dialect).glob("*.sql")}
        folder = f"service/migrations/{dialect}/"
        assert {n.removeprefix(folder) for n in names if n.startswith(folder)} == shipped
    assert {"deploy/sovang.env.example", "deploy/sovang-api.service", "CHANGELOG.md"} <= names
