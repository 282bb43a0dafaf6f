"""How a command that runs until stopped leaves when told to: at once, whatever it is doing.

SIGTERM or SIGINT raises ``SystemExit(0)`` in the main thread at its next Python step. The
work in hand is abandoned: a page of events being applied rolls back with its tracking
positions (so nothing is lost and nothing applied twice), psycopg cancels a statement that
waits on the server, the command's ``finally`` blocks run, and the process exits 0. The
handler takes no lock, so it cannot wait for one the interrupted code holds.

Python runs a handler only between two steps of the main thread, never inside a call into C
(SQLite waiting for its write lock, for one). A watcher thread therefore reads every signal
from the wakeup descriptor, as the operating system delivers it, and ends the process itself
when the main thread has not left within ``GRACE_SECONDS``.
"""

from __future__ import annotations

import os
import select
import signal
import threading
import time
from types import FrameType

#: How long the main thread has to leave once told to, before the process ends without it.
GRACE_SECONDS = 5.0

#: The signals that tell the process to leave.
_LEAVING = {int(signal.SIGTERM), int(signal.SIGINT)}

#: How often the watcher looks whether the parent process is still there.
PARENT_CHECK_SECONDS = 1.0


def leave_when_told(*, with_parent: bool = False, grace: float = GRACE_SECONDS) -> None:
    """Makes SIGTERM and SIGINT end this process promptly (see the module); with
    ``with_parent``, the process also leaves when the process that started it is gone.
    Called once, from the main thread, before the long work starts."""
    told: list[float] = []  # appended once, by the handler: no lock is needed
    parent = os.getppid() if with_parent else None

    def on_signal(signum: int, frame: FrameType | None) -> None:
        if told:  # already leaving: the cleanup in progress goes on
            return
        told.append(time.monotonic())
        raise SystemExit(0)

    wakeups, written = os.pipe()
    os.set_blocking(written, False)
    signal.set_wakeup_fd(written, warn_on_full_buffer=False)
    for sig in _LEAVING:
        signal.signal(sig, on_signal)
    threading.Thread(
        target=_watch, args=(wakeups, parent, grace), name="leave-when-told", daemon=True
    ).start()


def _watch(wakeups: int, parent: int | None, grace: float) -> None:
    """Ends the process ``grace`` seconds after the first signal, if it is still here; tells
    it to leave when its parent is gone."""
    deadline: float | None = None
    while True:
        wait = PARENT_CHECK_SECONDS if deadline is None else deadline - time.monotonic()
        ready, _, _ = select.select([wakeups], [], [], max(wait, 0.0))
        if ready and _LEAVING & set(os.read(wakeups, 512)) and deadline is None:
            deadline = time.monotonic() + grace
        if deadline is not None and time.monotonic() >= deadline:
            # The main thread is stuck where Python cannot interrupt it. Every page is its
            # own transaction, so leaving without the cleanup loses nothing.
            os._exit(0)
        if deadline is None and parent is not None and os.getppid() != parent:
            os.kill(os.getpid(), signal.SIGTERM)
