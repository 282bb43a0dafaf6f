"""Faults under load, on PostgreSQL: processes killed with SIGKILL, a projection given
the same events twice, and the PostgreSQL server restarted.

Each test runs a real ``sovang serve`` with clients writing with Idempotency-Keys and
sending a write again (same key) until it is answered (tests/soak/load.py), injects the
fault, and then checks the soak's invariants: every acknowledged write is in the log
exactly once, each fund's balance is what the acknowledged writes make it, no running
balance is negative, no 500 was answered, and every projection equals a rebuild.

The PostgreSQL restart is shared with other work on the same server: it is the last
test of this file, the outage lasts about a second, and ``-k 'not restart'`` skips it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from service.bootstrap import Services
from tests.conftest import read_models
from tests.e2e.cli import free_port
from tests.soak.load import (
    Load,
    build_world,
    check_invariants,
    config,
    make_keys,
    resend_unanswered,
    serving,
)

pytestmark = [pytest.mark.postgres_only, pytest.mark.e2e]

CLIENTS = 8


@dataclass
class Scene:
    database_url: str
    keys: Path
    log: Path


@pytest.fixture
def scene(postgres_url: str, tmp_path: Path) -> Scene:
    return Scene(postgres_url, make_keys(tmp_path / "keys"), tmp_path / "serve.log")


def children(pid: int) -> dict[int, str]:
    """The live child processes of ``pid``, with their command lines."""
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            if int(fields[1]) != pid or fields[0] == "Z":
                continue
            with open(f"/proc/{entry}/cmdline", "rb") as cmdline:
                found[int(entry)] = cmdline.read().replace(b"\0", b" ").decode()
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
    return found


def workers(master: int) -> set[int]:
    return {pid for pid, line in children(master).items() if "projections" not in line}


def runner(master: int) -> int | None:
    return next((pid for pid, line in children(master).items() if "projections" in line), None)


def eventually(condition: Callable[[], bool], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"not within {seconds} s"
        time.sleep(0.1)


def projections_reach_the_head(scene: Scene) -> None:
    """Waits until the server's own runner has brought every projection to the head of
    the log (this process only watches: it applies nothing)."""
    services = Services(config(scene.database_url, scene.keys))
    try:
        eventually(lambda: services.runner.position() >= services.runner.head())
    finally:
        services.close()


def answered_after(load: Load, moment: float) -> Counter[int]:
    """The statuses answered after ``moment`` (seconds since the load started)."""
    return Counter(status for at, status in load.stats.timeline if at > moment)


def assert_invariants(scene: Scene, load: Load, allowed_5xx: frozenset[int] = frozenset()) -> None:
    violations = check_invariants(
        scene.database_url, scene.keys, load, allowed_5xx=set(allowed_5xx)
    )
    assert violations == [], f"{load.summary()}\n" + "\n".join(violations)


def test_a_worker_killed_mid_load_is_replaced_and_every_acknowledged_write_holds(
    scene: Scene,
) -> None:
    with serving(scene.database_url, scene.keys, scene.log) as (port, master):
        world = build_world(port, scene.database_url, scene.keys)
        before = workers(master.pid)
        assert len(before) == 2, children(master.pid)
        load = Load(port, world, CLIENTS).start()
        time.sleep(2)
        victim = min(before)
        os.kill(victim, signal.SIGKILL)
        killed_at = time.monotonic() - load.started
        eventually(lambda: len(workers(master.pid)) == 2 and victim not in workers(master.pid))
        time.sleep(2)
        load.finish()
        resend_unanswered(port, load)

    assert answered_after(load, killed_at)[201] > 0, load.summary()
    assert_invariants(scene, load, frozenset({503}))


def test_the_master_killed_with_its_workers_and_a_new_serve_on_the_same_store(
    scene: Scene,
) -> None:
    port = free_port()
    with serving(scene.database_url, scene.keys, scene.log, port=port) as (_, master):
        world = build_world(port, scene.database_url, scene.keys)
        load = Load(port, world, CLIENTS).start()
        time.sleep(2)
        os.killpg(master.pid, signal.SIGKILL)  # the master, its workers and its runner
        master.wait(10)
        killed_at = time.monotonic() - load.started
        # The clients go on sending (no answer: connection refused) until a new serve binds.
        with serving(scene.database_url, scene.keys, scene.log, port=port):
            time.sleep(3)
            load.finish()
            resend_unanswered(port, load)

    assert answered_after(load, killed_at)[0] > 0, "the clients saw the outage"
    assert answered_after(load, killed_at)[201] > 0, load.summary()
    assert_invariants(scene, load, frozenset({503}))


def test_the_projection_runner_killed_mid_batch_is_replaced_and_resumes(scene: Scene) -> None:
    with serving(scene.database_url, scene.keys, scene.log) as (port, master):
        world = build_world(port, scene.database_url, scene.keys)
        load = Load(port, world, CLIENTS).start()
        time.sleep(2)
        first = runner(master.pid)
        assert first is not None, children(master.pid)
        os.kill(first, signal.SIGKILL)
        eventually(lambda: runner(master.pid) not in (None, first))
        time.sleep(2)
        load.finish()
        resend_unanswered(port, load)
        # The new runner, alone, brings every projection to the head of the log.
        projections_reach_the_head(scene)

    assert_invariants(scene, load, frozenset({503}))


def test_a_page_delivered_twice_to_the_projections_changes_nothing(scene: Scene) -> None:
    with serving(scene.database_url, scene.keys, scene.log) as (port, _):
        world = build_world(port, scene.database_url, scene.keys)
        load = Load(port, world, 4).start()
        time.sleep(2)
        load.finish()
    services = Services(config(scene.database_url, scene.keys))
    try:
        runner_ = services.runner
        runner_.catch_up()
        before = read_models(services.db, tracking=True)
        stored = runner_.recorder.select_notifications(start=1, limit=runner_.head())
        runner_.deliver(stored)
        runner_.deliver(stored[len(stored) // 2 :])
        assert read_models(services.db, tracking=True) == before
    finally:
        services.close()
    assert_invariants(scene, load)


@pytest.mark.restarts_postgres
def test_postgresql_restarted_mid_load_answers_503_then_recovers_by_itself(
    scene: Scene,
) -> None:
    with serving(scene.database_url, scene.keys, scene.log) as (port, _):
        world = build_world(port, scene.database_url, scene.keys)
        load = Load(port, world, CLIENTS).start()
        time.sleep(2)
        restart_at = time.monotonic() - load.started
        subprocess.run(
            ["pg_ctlcluster", "15", "main", "restart", "--", "-m", "fast"],
            check=True,
            timeout=60,
            capture_output=True,
        )
        back_at = time.monotonic() - load.started
        time.sleep(5)
        load.finish()
        resend_unanswered(port, load)
        projections_reach_the_head(scene)

    during = answered_after(load, restart_at)
    assert 500 not in during, load.summary()
    assert 0 not in during, f"a request hung past the client's timeout: {load.summary()}"
    assert load.stats.without_retry_after == 0, load.summary()
    # After the restart the first answers may be 503 (a pooled connection that was
    # dropped fails its request and is discarded); then everything is answered again.
    late = [status for at, status in load.stats.timeline if at > back_at + 2]
    assert late, load.summary()
    assert all(status < 500 for status in late), load.summary()
    assert_invariants(scene, load, frozenset({503}))
