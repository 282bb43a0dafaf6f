"""Reads on a hot standby: the read models as far as the standby has replayed them.

The projections run on the primary; streaming replication carries their rows and
their tracking positions to the standby in commit order, so the tracking position read
on the standby is exactly what a read there sees. A read with ``min_position`` first
waits for the primary's projections (helping them along, as on the primary), then for
the standby to replay that far: read-your-writes holds, with the replication lag added.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from service.adapters.db import Database, Transaction
from service.projections.runner import ProjectionRunner, ProjectionsBehind

#: How often a waiting read looks at the standby's replayed position, in seconds.
POLL_SECONDS = 0.01


@contextmanager
def replayed(
    runner: ProjectionRunner, standby: Database, position: int, timeout: float
) -> Iterator[tuple[Transaction, int]]:
    """A read transaction on ``standby`` whose read models have passed ``position``, and
    the position they have reached there; ProjectionsBehind once ``timeout`` has passed."""
    deadline = time.monotonic() + timeout
    if position:
        runner.wait_for(position, timeout)
    while True:
        with standby.transaction() as tx:
            reached = runner.position_in(tx)
            if reached >= position:
                yield tx, reached
                return
        if time.monotonic() > deadline:
            raise ProjectionsBehind(position, reached)
        time.sleep(POLL_SECONDS)
