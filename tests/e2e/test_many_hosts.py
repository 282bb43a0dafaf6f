"""Many hosts on one PostgreSQL: two `sovang serve` instances and a third projection
runner. Exactly one runner leads each projection, another takes over when it is killed,
reads on either instance see the writes made on the other through min_position, and no
event is lost or applied twice."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import pytest

from service.adapters import tokens
from service.bootstrap import Services
from service.config import Config
from service.domain.vocabulary import Role
from service.projections import all_projections
from service.projections.leadership import leaders
from tests.conftest import read_models
from tests.e2e.cli import SOVANG, free_port, sovang, sovang_env, stop, wait_until_healthy
from tests.postgres import alive

pytestmark = pytest.mark.postgres_only
NAMES = [p.name for p in all_projections()]


def call(root: str, method: str, path: str, token: str, body: Any = None, **headers: str) -> Any:
    request = urllib.request.Request(
        root + "/api/v1" + path,
        data=json.dumps(body).encode() if body is not None else None,
        method=method,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json", **headers},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def wait_for(condition: Any, timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.1)
    pytest.fail(f"not within {timeout} s: {what}")


def test_two_servers_and_three_runners_share_one_store_with_one_leader_per_projection(
    postgres_url: str, tmp_path: Path, signing_key_path: Path
) -> None:
    env = sovang_env(postgres_url, signing_key_path)
    processes: list[subprocess.Popen[bytes]] = []
    roots = []
    for n in range(2):
        port = free_port()
        log = tmp_path / f"serve-{n}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [SOVANG, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        processes.append(process)
        roots.append(f"http://127.0.0.1:{port}")
        wait_until_healthy(roots[-1], process, log)
    with (tmp_path / "runner.log").open("wb") as out:
        processes.append(
            subprocess.Popen(
                [SOVANG, "projections", "run"],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
    services = Services(Config(database_url=postgres_url, signing_key_path=signing_key_path))
    try:
        first = wait_for(
            lambda: (led := leaders(services.db, NAMES)) and all(led.values()) and led,
            20,
            "every projection has a leader",
        )
        admin = tokens.create(services.db, name="admin", role=Role.ADMIN, unit_id=None)[1]
        unit = call(roots[0], "POST", "/units", admin, {"name": "Xã Mẫu", "level": "commune"})
        treasurer = tokens.create(
            services.db, name="thủ quỹ", role=Role.TREASURER, unit_id=uuid.UUID(unit["id"])
        )[1]
        fund = call(
            roots[1],
            "POST",
            "/funds",
            treasurer,
            {"unit_id": unit["id"], "name": "Quỹ Vì người nghèo", "kind": "for_the_poor"},
        )
        balance, killed = 0, None
        for n in range(40):
            gift = {
                "amount": 10_000 * (n + 1),
                "occurred_on": "2025-09-01",
                "channel": "cash",
                "donor": {"name": "Nguyễn Văn An", "kind": "individual"},
            }
            written = call(
                roots[n % 2],
                "POST",
                f"/funds/{fund['id']}/receipts",
                treasurer,
                gift,
                **{"Idempotency-Key": f"gift-{n}"},
            )
            balance += gift["amount"]
            read = call(
                roots[(n + 1) % 2],
                "GET",
                f"/funds/{fund['id']}?min_position={written['position']}",
                treasurer,
            )
            assert read["balance"] == balance
            if n == 19:
                killed = first["ledger"]
                os.kill(killed, signal.SIGKILL)
        assert killed is not None
        after = wait_for(
            lambda: (
                (led := leaders(services.db, NAMES))
                and all(led.values())
                and killed not in led.values()
                and led
            ),
            20,
            "another runner leads every projection the killed one led",
        )
        assert all(alive(pid) for pid in after.values())
        head = services.runner.head()
        wait_for(lambda: services.runner.position() >= head, 30, "the leaders reach the head")
        live = read_models(services.db)
        services.runner.rebuild()
        rebuilt = read_models(services.db)
    finally:
        services.close()
        for process in processes:
            stop(process)

    assert live == rebuilt
    entries = [e for e in rebuilt["ledger_entries"] if e["fund_id"] == fund["id"]]
    assert len(entries) == 40
    assert entries[-1]["running_balance"] == balance
    assert len(set(first.values())) >= 1
    sovang(postgres_url, "audit", "verify", signing_key=signing_key_path)
