"""A PostgreSQL hot standby of the test server, made with Debian's cluster tools:
``pg_createcluster`` makes its configuration, ``pg_basebackup -R`` copies the primary and
sets it to stream from it, ``pg_ctlcluster`` starts it, ``pg_dropcluster --stop`` removes
it. Each test run names its cluster after its process, and first removes the clusters
that runs since ended left behind."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

from tests.e2e.cli import free_port
from tests.postgres import alive

PREFIX = "sovang_standby_"
TOOLS = ("pg_createcluster", "pg_ctlcluster", "pg_dropcluster", "pg_lsclusters", "pg_basebackup")
#: Replication connections from this host, as the primary's other connections are let in.
REPLICATION_RULE = "host replication all 127.0.0.1/32 trust"


@dataclass(frozen=True)
class Standby:
    version: str
    name: str
    port: int

    def url(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def execute(self, sql: str, database: str = "postgres") -> object:
        with psycopg.connect(self.url(database), autocommit=True, connect_timeout=5) as conn:
            row = conn.execute(sql).fetchone()
        return None if row is None else row[0]


def missing_tools() -> list[str]:
    return [tool for tool in TOOLS if shutil.which(tool) is None]


def run(*args: str, timeout: float = 60) -> str:
    result = subprocess.run(args, capture_output=True, text=True, timeout=timeout, check=False)
    assert result.returncode == 0, f"{' '.join(args)}:\n{result.stdout}{result.stderr}"
    return result.stdout


def as_postgres(*args: str) -> list[str]:
    """The command run as the clusters' owner when the tests run as root."""
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else list(args)


def allow_replication(primary: psycopg.Connection[tuple[object, ...]]) -> None:
    """Lets this host stream from the primary: a pg_hba rule and a reload (never a
    restart); nothing when a rule for replication is already there."""
    ruled = primary.execute(
        "SELECT count(*) FROM pg_hba_file_rules WHERE 'replication' = ANY(database)"
    ).fetchone()
    if ruled and int(str(ruled[0])):
        return
    hba = Path(str(primary.execute("SHOW hba_file").fetchone()[0]))  # type: ignore[index]
    with hba.open("a") as out:
        out.write(f"\n{REPLICATION_RULE}\n")
    primary.execute("SELECT pg_reload_conf()")
    time.sleep(0.5)


def drop_stale(version: str) -> None:
    """Removes the standbys of test runs that have ended (and any of this run's name)."""
    for line in run("pg_lsclusters", "--no-header").splitlines():
        fields = line.split()
        if len(fields) >= 2 and fields[0] == version and _stale(fields[1]):
            remove(version, fields[1])
    for data in Path(f"/var/lib/postgresql/{version}").glob(f"{PREFIX}*"):
        if _stale(data.name):  # a copy left behind before it became a cluster
            shutil.rmtree(data, ignore_errors=True)


def _stale(name: str) -> bool:
    if not name.startswith(PREFIX):
        return False
    owner = name[len(PREFIX) :]
    return not (owner.isdigit() and int(owner) != os.getpid() and alive(int(owner)))


@contextlib.contextmanager
def hot_standby(primary_server: str) -> Iterator[Standby]:
    """A streaming hot standby of the server at ``primary_server`` (postgresql://user@host:
    port), removed on leaving, whatever happened."""
    parts = urlsplit(primary_server)
    with psycopg.connect(f"{primary_server}/postgres", autocommit=True) as primary:
        number = int(str(primary.execute("SHOW server_version_num").fetchone()[0]))  # type: ignore[index]
        connections = str(primary.execute("SHOW max_connections").fetchone()[0])  # type: ignore[index]
        allow_replication(primary)
    version = str(number // 10000)
    drop_stale(version)
    standby = Standby(version, f"{PREFIX}{os.getpid()}", free_port())
    data = Path(f"/var/lib/postgresql/{version}/{standby.name}")
    try:
        data.mkdir(mode=0o700)
        shutil.chown(data, "postgres", "postgres")
        run(
            *as_postgres(
                "pg_basebackup",
                "--host",
                parts.hostname or "127.0.0.1",
                "--port",
                str(parts.port or 5432),
                "--username",
                parts.username or "postgres",
                "--pgdata",
                str(data),
                "--write-recovery-conf",
                "--wal-method=stream",
                "--checkpoint=fast",
                "--no-sync",
            ),
            timeout=120,
        )
        # The primary's settings made by ALTER SYSTEM came with the copy; this cluster's
        # port and sizes are those of its own configuration.
        auto = data / "postgresql.auto.conf"
        kept = [
            line
            for line in auto.read_text().splitlines()
            if not re.match(r"\s*(port|shared_buffers|fsync)\s*=", line)
        ]
        auto.write_text("\n".join(kept) + "\n")
        # Its configuration files, which pg_createcluster moves beside the primary's: the
        # settings below, and connections from this host trusted as on the primary.
        (data / "postgresql.conf").write_text("hot_standby = on\n")
        (data / "pg_ident.conf").write_text("")
        (data / "pg_hba.conf").write_text(
            "local all all trust\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n"
        )
        for name in ("postgresql.conf", "pg_ident.conf", "pg_hba.conf"):
            shutil.chown(data / name, "postgres", "postgres")
        # pg_createcluster takes the copy in as a cluster of its own, with its own port;
        # a throwaway standby needs no fsync (which also spares its start a sync of every
        # file copied).
        run(
            "pg_createcluster",
            version,
            standby.name,
            "--datadir",
            str(data),
            "--port",
            str(standby.port),
            "--start-conf",
            "manual",
            "-o",
            f"max_connections={connections}",
            "-o",
            "shared_buffers=16MB",
            "-o",
            "hot_standby_feedback=on",
            "-o",
            "fsync=off",
        )
        run("pg_ctlcluster", version, standby.name, "start", timeout=120)
        _wait_in_recovery(standby)
        yield standby
    finally:
        remove(version, standby.name)
        shutil.rmtree(data, ignore_errors=True)


def remove(version: str, name: str) -> None:
    """Stops a test standby at once (it holds nothing worth a clean shutdown) and drops it."""
    for command in (
        ["pg_ctlcluster", version, name, "stop", "-m", "immediate"],
        ["pg_dropcluster", version, name],
    ):
        subprocess.run(command, capture_output=True, timeout=120, check=False)


def _wait_in_recovery(standby: Standby) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            if standby.execute("SELECT pg_is_in_recovery()") is True:
                return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.1)


def wait_until_replicated(standby: Standby, database: str, timeout: float = 30) -> None:
    """Waits until the standby serves ``database`` (made on the primary after the copy)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            standby.execute("SELECT 1", database)
            return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
