"""A short soak, so that ``make soak`` cannot rot: 8 clients for 5 s over HTTP against a
real ``sovang serve`` on PostgreSQL, then every invariant the long run checks."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.soak.load import (
    Load,
    build_world,
    check_invariants,
    make_keys,
    resend_unanswered,
    serving,
)

pytestmark = [pytest.mark.postgres_only, pytest.mark.e2e]


def test_a_short_soak_keeps_every_invariant_and_the_checker_sees_a_lost_write(
    postgres_url: str, tmp_path: Path
) -> None:
    keys = make_keys(tmp_path / "keys")
    with serving(postgres_url, keys, tmp_path / "serve.log") as (port, _):
        world = build_world(port, postgres_url, keys)
        load = Load(port, world, clients=8).start(max_writes_per_client=400)
        time.sleep(5)
        load.finish()
        resend_unanswered(port, load)

    acknowledged = [w for w in load.writes if w.status in (201, 202)]
    kinds = {w.kind for w in acknowledged}
    assert {"receipt", "disbursement", "transfer", "household"} <= kinds, load.summary()
    assert check_invariants(postgres_url, keys, load) == [], load.summary()

    # The checker is no rubber stamp: a receipt the service recorded but the clients
    # never heard of breaks both the exactly-once and the balance invariants.
    lost = next(w for thread in load.threads for w in thread.writes if w.kind == "receipt")
    for thread in load.threads:
        if lost in thread.writes:
            thread.writes.remove(lost)
    found = check_invariants(postgres_url, keys, load)
    assert any(lost.key in line for line in found), found
    assert any(lost.fund in line and "acknowledged writes make" in line for line in found), found
