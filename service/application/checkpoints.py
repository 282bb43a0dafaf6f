"""Signing the log's checkpoints: on demand, and on a schedule by the projection runner."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from service.adapters.db import StoreUnavailable, Transaction
from service.adapters.signing import SigningKeyUnavailable
from service.application import photos
from service.domain.checkpoints import Checkpoint
from service.domain.errors import Conflict
from service.domain.logfile import Verification
from service.domain.notes import Verifier
from service.projections import checkpoints as checkpoints_view
from service.projections import log as log_tree
from service.projections.log import Tree

if TYPE_CHECKING:
    from service.application.process import Process

log = logging.getLogger(__name__)


def sign_checkpoint(services: Process, *, wait_seconds: float = 5.0) -> Checkpoint:
    """Brings the log's tree up to the head of the log (bounded) and signs its head: a
    checkpoint that covers every event, the latest checkpoints' own included (what an
    archive or an export up to the head needs)."""
    return _sign(services, wait_seconds, reuse=False)[0]


def sign_or_reuse(services: Process, *, wait_seconds: float = 5.0) -> tuple[Checkpoint, bool]:
    """A checkpoint asked for on demand: the latest one when nothing but checkpoints has
    been logged since it (so that asking again and again adds nothing to the log), else
    a new one; also tells whether a new checkpoint was signed."""
    return _sign(services, wait_seconds, reuse=True)


def _sign(services: Process, wait_seconds: float, *, reuse: bool) -> tuple[Checkpoint, bool]:
    services.runner.catch_up(deadline=time.monotonic() + wait_seconds)
    with services.db.transaction() as tx:
        tree = Tree(tx)
        size = tree.size()
        if size == 0:
            raise Conflict(
                "Nhật ký chưa có sự kiện nào; chưa có gì để ký. Hãy ký sau khi đã ghi giao "
                "dịch đầu tiên."
            )
        signed = _still_current(tx, size) if reuse else None
        root = tree.root(size)
    if signed is not None:
        return services.ledger.checkpoint(signed), False
    return services.ledger.sign_checkpoint(size, root), True


def _still_current(tx: Transaction, size: int) -> int | None:
    """The size of the latest checkpoint when nothing but checkpoints (their signing and
    cosigning) has been logged after it: signing again would only add an event about
    signing, so the existing checkpoint is the answer."""
    latest = checkpoints_view.latest(tx)
    if latest is None:
        return None
    after = int(latest["tree_size"])
    if size <= after:
        return after
    row = tx.one(
        "SELECT count(*) AS seen, "
        "sum(CASE WHEN aggregate_type = 'Checkpoint' THEN 0 ELSE 1 END) AS others "
        "FROM audit_events WHERE position > :after AND position <= :size",
        {"after": after, "size": size},
    )
    assert row is not None
    if int(row["seen"]) == size - after and not row["others"]:
        return after
    return None


def verify_log(
    services: Process,
    log_key: Verifier | None = None,
    *,
    archived: Sequence[tuple[str, str]] = (),
    progress: Callable[[int], None] | None = None,
) -> Verification:
    """Brings the projections to the head of the log, then checks every stored event
    against the log's tree and every checkpoint (``sovang audit verify``); ``log_key`` is
    by default the public half of this service's own signing key.

    A log changed by hand can stop the projections (an event renumbered onto a position
    they have applied): the log is then checked against its tree as far as the tree
    goes, and the projections' failure is reported with what was found."""
    stalled = ""
    try:
        services.runner.catch_up()
    except StoreUnavailable:
        raise
    except Exception as error:  # the log's own content broke a projection
        log.warning("the projections stopped during verification: %r", error)
        stalled = (
            "các bảng đọc không theo kịp sổ "
            f"(dừng ở vị trí {services.runner.position()}: {type(error).__name__})"
        )
    found = log_tree.verify(
        services.ledger.recorder,
        services.ledger.mapper,
        services.db,
        log_key or services.signer().verifier,
        archived=archived,
        progress=progress,
    )
    photos.check(services, found)
    if stalled and found.ok:
        found.fail(stalled)
    elif stalled:
        found.unchecked.insert(0, stalled)
    return found


class Schedule:
    """Signs a checkpoint once the log has grown by ``every`` events, or after
    ``seconds`` when it has grown by anything but the last checkpoint itself."""

    def __init__(
        self,
        services: Process,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.services = services
        self.every = services.config.checkpoint_every
        self.seconds = services.config.checkpoint_seconds
        self.clock = clock
        self.last_at = clock()
        self.last_size: int | None = None
        self.disabled = False

    def tick(self, position: int) -> None:
        """Called by the runner with the position every projection has reached."""
        if self.disabled:
            return
        if self.last_size is None:
            with self.services.db.transaction() as tx:
                latest = checkpoints_view.latest(tx)
            self.last_size = int(latest["tree_size"]) if latest else 0
        grown = position - self.last_size
        elapsed = self.clock() - self.last_at
        if grown >= self.every or (elapsed >= self.seconds and grown > 1):
            try:
                checkpoint = sign_checkpoint(self.services)
            except SigningKeyUnavailable as error:
                log.warning("checkpoints are not signed: %s", error)
                self.disabled = True
                return
            self.last_size, self.last_at = checkpoint.tree_size, self.clock()
