"""CPU a projection costs per event, in this process: ``python -m bench.projection_cost N
[NAME,...]`` resets the named projections (all when none are named) on the store at
SOVANG_DATABASE_URL and replays its first N events into them in one runner, then prints
the process's CPU seconds and wall seconds. CPU time, unlike wall time, holds on a machine
that other work shares. ``SOVANG_PROFILE=out.prof`` writes a cProfile of the replay in CPU
time. It rebuilds the named read models: run it on a scratch copy of a store."""

from __future__ import annotations

import cProfile
import os
import sys
import time

from service.adapters.db import Database, StoreUrl
from service.application import Ledger
from service.projections import all_projections
from service.projections.runner import ProjectionRunner


def main(events: int, names: list[str] | None) -> None:
    url = StoreUrl.parse(os.environ["SOVANG_DATABASE_URL"])
    ledger = Ledger(env=url.eventsourcing_env(create_table=False, pool_size=2))
    db = Database(url)
    chosen = [p for p in all_projections() if names is None or p.name in names]
    runner = ProjectionRunner(ledger.recorder, ledger.mapper, db, chosen)
    runner.reset()
    profile_to = os.environ.get("SOVANG_PROFILE")
    profile = cProfile.Profile(time.process_time) if profile_to else None
    cpu, wall = time.process_time(), time.perf_counter()
    if profile is not None:
        profile.enable()
    reached = runner.catch_up(events)
    if profile is not None and profile_to:
        profile.disable()
        profile.dump_stats(profile_to)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    print(
        f"{', '.join(p.name for p in chosen)}: {reached} events, CPU {cpu:.2f} s "
        f"({reached / cpu:,.0f} events per CPU second), wall {wall:.2f} s, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    ledger.close()
    db.close()


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2].split(",") if len(sys.argv) > 2 else None)
