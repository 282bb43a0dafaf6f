"""The tokens a worker has seen, kept in memory with their revocation pushed to it.

Every API request presents a token, and reading it from ``api_tokens`` was a round trip
of each request. On PostgreSQL a worker keeps the actors of the tokens it has seen, and a
thread of its own listens on the channel ``sovang_tokens``, on which ``tokens.revoke``
(and anything else that changes a token) sends a notification in its own transaction:
PostgreSQL delivers it when that transaction commits, and the listener forgets every
token it holds. A revoked token is therefore refused within the time the notification
takes to arrive (milliseconds), not after a time to live.

The cache is trusted only while its listener is connected: until the listener has run
its ``LISTEN``, and from the moment its connection fails until it has listened again,
every request reads its token as before, and a reconnection forgets every token (a
revocation sent while nobody listened is missed by no one). A token read from the store
while a notification arrived is not kept (``_generation``), and no entry is kept for
longer than ``MAX_AGE`` seconds. An expired token is refused by its own date, cached or
not. Unknown tokens are never kept: a token made a moment ago authenticates at once. A
revocation made in this process (``tokens.revoke``) empties the cache before it returns.
A token changed by hand in the database, without a ``NOTIFY sovang_tokens``, is seen by
each worker within ``MAX_AGE``.

On SQLite there is no channel to listen on, and a read of the token is a local read of
the file: nothing is kept.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from datetime import datetime

import psycopg

from service.adapters import tokens
from service.adapters.db import Database
from service.domain.actors import Actor

#: The channel a change of a token is announced on.
CHANNEL = "sovang_tokens"
#: The longest a token's actor is kept without being read again, in seconds.
MAX_AGE = 60.0
#: How long the listener waits before it connects again after losing its connection.
RECONNECT_SECONDS = 1.0
#: Tokens kept at most; past it the cache is emptied and fills again.
MAX_ENTRIES = 10_000

log = logging.getLogger(__name__)


class TokenCache:
    """The actors of the tokens this process has seen (PostgreSQL), by token hash."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._entries: dict[str, tuple[Actor, datetime | None, float]] = {}
        self._lock = threading.Lock()
        #: Incremented by every notification and every loss of the listener.
        self._generation = 0
        self._listening = threading.Event()
        self._stopped = threading.Event()
        self._pid = -1
        self._thread: threading.Thread | None = None
        tokens.keep_informed(self)

    def authenticate(self, token: str) -> Actor | None:
        """The actor a token stands for, or None for an unknown, revoked or expired
        token, as ``tokens.authenticate`` answers it."""
        if not token.startswith(tokens.PREFIX):
            return None
        if self._db.dialect != "postgresql":
            return tokens.authenticate(self._db, token)
        self._start()
        token_hash = tokens.digest(token)
        now = time.monotonic()
        with self._lock:
            entry = self._entries.get(token_hash) if self._listening.is_set() else None
            generation = self._generation
        if entry is not None and now - entry[2] < MAX_AGE:
            actor, expires_at, _ = entry
        else:
            found = tokens.read_digest(self._db, token_hash)
            if found is None:
                return None
            actor, expires_at = found
            with self._lock:
                if self._listening.is_set() and self._generation == generation:
                    if len(self._entries) >= MAX_ENTRIES:
                        self._entries.clear()
                    self._entries[token_hash] = (actor, expires_at, now)
        return tokens.unexpired(actor, expires_at)

    def wait_until_listening(self, timeout: float) -> bool:
        """Whether the listener is connected within ``timeout`` seconds (for tests and
        for a worker that wants its cache from the first request)."""
        self._start()
        return self._listening.wait(timeout)

    def close(self) -> None:
        self._stopped.set()
        self.forget()

    def _start(self) -> None:
        """Starts the listener in this process (once, and again after a fork)."""
        if self._pid == os.getpid():
            return
        with self._lock:
            if self._pid == os.getpid():
                return
            self._pid = os.getpid()
            self._entries.clear()
            self._listening.clear()
            self._thread = threading.Thread(
                target=self._listen, name="sovang-token-listener", daemon=True
            )
            self._thread.start()

    def forget(self) -> None:
        """Forgets every token kept (a token was revoked)."""
        with self._lock:
            self._generation += 1
            self._entries.clear()

    def _listen(self) -> None:
        while not self._stopped.is_set():
            try:
                with psycopg.connect(
                    self._db.url.libpq_url,
                    autocommit=True,
                    connect_timeout=5,
                    application_name="sovang-token-listener",
                ) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self.forget()
                    self._listening.set()
                    while not self._stopped.is_set():
                        for _ in conn.notifies(timeout=1.0):
                            self.forget()
            except psycopg.Error as error:
                if not self._stopped.is_set():
                    log.warning("token listener lost its connection: %s", error)
            finally:
                self._listening.clear()
                self.forget()
            self._stopped.wait(RECONNECT_SECONDS)
