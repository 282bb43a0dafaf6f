"""``make soak``: 32 clients writing and reading over HTTP for 60 s against a real
``sovang serve`` on a scratch PostgreSQL database (loopback only), then the invariants.
Prints a summary with figures; exits 1 on any violation.

  SOVANG_SOAK_SECONDS   how long the clients run (default 60)
  SOVANG_SOAK_CLIENTS   how many clients (default 32)
  SOVANG_SOAK_WRITES    at most this many writes per client (default 5000)
  SOVANG_SOAK_WORKERS   gunicorn workers (default 2)
  SOVANG_TEST_POSTGRES  the server the scratch database is made on
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from tests.conftest import PG_SERVER
from tests.soak.load import (
    Load,
    build_world,
    check_invariants,
    make_keys,
    resend_unanswered,
    scratch_database,
    serving,
)


def main() -> int:
    seconds = float(os.environ.get("SOVANG_SOAK_SECONDS", "60"))
    clients = int(os.environ.get("SOVANG_SOAK_CLIENTS", "32"))
    writes = int(os.environ.get("SOVANG_SOAK_WRITES", "5000"))
    workers = int(os.environ.get("SOVANG_SOAK_WORKERS", "2"))
    with (
        tempfile.TemporaryDirectory(prefix="sovang-soak-") as tmp,
        scratch_database(PG_SERVER) as url,
    ):
        keys = make_keys(Path(tmp) / "keys")
        log = Path(tmp) / "serve.log"
        with serving(url, keys, log, workers=workers) as (port, _):
            world = build_world(port, url, keys)
            load = Load(port, world, clients).start(max_writes_per_client=writes)
            time.sleep(seconds)
            load.finish()
            resend_unanswered(port, load)
        print(load.summary())
        started = time.monotonic()
        violations = check_invariants(url, keys, load)
        print(f"invariants checked in {time.monotonic() - started:.1f} s (with a rebuild)")
    for violation in violations:
        print(f"VIOLATION: {violation}")
    print("soak: OK" if not violations else f"soak: {len(violations)} violation(s)")
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main())
