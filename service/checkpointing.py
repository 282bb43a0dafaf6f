"""Signing the log's checkpoints: on demand, and on a schedule by the projection runner."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from service.domain.checkpoints import Checkpoint
from service.domain.errors import Conflict
from service.domain.logfile import Verification
from service.domain.notes import Verifier
from service.projections import checkpoints as checkpoints_view
from service.projections import log as log_tree
from service.projections.log import Tree
from service.signing import SigningKeyUnavailable

if TYPE_CHECKING:
    from service import Services

log = logging.getLogger(__name__)


def sign_checkpoint(services: Services, *, wait_seconds: float = 5.0) -> Checkpoint:
    """Brings the log's tree up to the head of the log (bounded) and signs its head."""
    services.runner.catch_up(deadline=time.monotonic() + wait_seconds)
    with services.db.transaction() as tx:
        tree = Tree(tx)
        size = tree.size()
        if size == 0:
            raise Conflict("Nhật ký chưa có sự kiện nào; chưa có gì để ký.")
        root = tree.root(size)
    return services.ledger.sign_checkpoint(size, root)


def verify_log(
    services: Services,
    log_key: Verifier | None = None,
    *,
    archived: Sequence[tuple[str, str]] = (),
    progress: Callable[[int], None] | None = None,
) -> Verification:
    """Brings the projections to the head of the log, then checks every stored event
    against the log's tree and every checkpoint (``sovang audit verify``); ``log_key`` is
    by default the public half of this service's own signing key."""
    services.runner.catch_up()
    return log_tree.verify(
        services.ledger.recorder,
        services.ledger.mapper,
        services.db,
        log_key or services.signer().verifier,
        archived=archived,
        progress=progress,
    )


class Schedule:
    """Signs a checkpoint once the log has grown by ``every`` events, or after
    ``seconds`` when it has grown by anything but the last checkpoint itself."""

    def __init__(
        self,
        services: Services,
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
