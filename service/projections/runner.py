"""Feeds the projections from the application's notification log, a page at a time.

The projections apply a page of events and advance their tracking positions in
one transaction, so killing the runner at any moment loses nothing and applies
nothing twice. Several runners (a dedicated process and web workers helping a
reader catch up) may run at once: the tracking rows are locked while a page is
applied, and events at or below a projection's locked position are skipped.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from eventsourcing.persistence import ApplicationRecorder, Mapper, Notification

from service.adapters.db import Database, StoreBusy, Transaction
from service.domain.errors import InvalidInput
from service.projections.base import Projection


class ProjectionsBehind(Exception):
    """The projections did not reach a position in the time a reader may wait."""

    def __init__(self, position: int, reached: int) -> None:
        super().__init__(f"the projections reached {reached}, not {position}")
        self.position = position
        self.reached = reached


class ProjectionsLagging(Exception):
    """A projection lags the log by more than a ready service may."""

    def __init__(self, lag: dict[str, int], limit: int) -> None:
        super().__init__(f"a projection lags by more than {limit} events: {lag}")
        self.lag = lag
        self.limit = limit


class ProjectionRunner:
    def __init__(
        self,
        recorder: ApplicationRecorder,
        mapper: Mapper[Any],
        db: Database,
        projections: Sequence[Projection],
        *,
        page_size: int = 500,
    ) -> None:
        self.recorder = recorder
        self.mapper = mapper
        self.db = db
        self.projections = list(projections)
        self.page_size = page_size
        self._tracking_ready = False
        self._subsets: dict[frozenset[str], ProjectionRunner] = {}

    def positions(self) -> dict[str, int]:
        """Each projection's tracking position (0 before its first event); only reads, so
        that asking never waits for a writer's lock."""
        with self.db.transaction() as tx:
            return self._positions_in(tx)

    def _positions_in(self, tx: Transaction) -> dict[str, int]:
        rows = tx.all("SELECT name, position FROM projection_tracking")
        known = {row["name"]: int(row["position"]) for row in rows}
        return {p.name: known.get(p.name, 0) for p in self.projections}

    def position(self) -> int:
        """The position every projection has reached."""
        return min(self.positions().values())

    def position_in(self, tx: Transaction) -> int:
        """As ``position``, read in the caller's transaction (on the caller's store)."""
        return min(self._positions_in(tx).values(), default=0)

    def head(self) -> int:
        """The position of the newest event in the log."""
        return int(self.recorder.max_notification_id() or 0)

    def process_page(self, *, nowait: bool = False) -> int:
        """Applies the next page of events to every projection behind, in one transaction
        that also advances their tracking positions; returns how many events were read
        (0 when every projection is at the head of the log)."""
        self._ensure_tracking_rows(nowait=nowait)
        with self.db.transaction(write=True, nowait=nowait) as tx:
            positions = self._locked_positions(tx, nowait=nowait)
            notifications = self.recorder.select_notifications(
                start=min(positions.values()), limit=self.page_size, inclusive_of_start=False
            )
            self._apply(tx, positions, notifications)
            return len(notifications)

    def deliver(self, notifications: Sequence[Notification], *, nowait: bool = False) -> None:
        """Applies a page of stored events, as a runner that read it would: each projection
        is given only the events beyond its position, so a page delivered again (by a
        runner that read it before another applied it) changes nothing."""
        self._ensure_tracking_rows(nowait=nowait)
        with self.db.transaction(write=True, nowait=nowait) as tx:
            self._apply(tx, self._locked_positions(tx, nowait=nowait), notifications)

    def _apply(
        self, tx: Transaction, positions: dict[str, int], notifications: Sequence[Notification]
    ) -> None:
        stored = [(n.id, n) for n in notifications]
        events: list[tuple[int, Any]] | None = None
        for projection in self.projections:
            if projection.reads_stored_events:
                page = stored
            else:
                if events is None:  # decoded once, for every projection that needs it
                    events = [(n.id, self.mapper.to_domain_event(n)) for n in notifications]
                page = events
            todo = [(p, e) for p, e in page if p > positions[projection.name]]
            if not todo:
                continue
            projection.apply_page(tx, todo)
            tx.execute(
                "UPDATE projection_tracking SET position = :position WHERE name = :name",
                {"position": todo[-1][0], "name": projection.name},
            )

    def _locked_positions(self, tx: Transaction, *, nowait: bool) -> dict[str, int]:
        """The tracking positions of this runner's projections, locked (in name order, so
        runners of overlapping sets never deadlock) until the transaction ends."""
        lock = ""
        if self.db.dialect == "postgresql":
            lock = " FOR UPDATE NOWAIT" if nowait else " FOR UPDATE"
        names = {f"name{i}": p.name for i, p in enumerate(self.projections)}
        rows = tx.all(
            "SELECT name, position FROM projection_tracking "
            f"WHERE name IN ({', '.join(':' + key for key in names)}) ORDER BY name{lock}",
            names,
        )
        known = {row["name"]: int(row["position"]) for row in rows}
        return {p.name: known[p.name] for p in self.projections}

    def catch_up(
        self,
        until: int | None = None,
        *,
        deadline: float | None = None,
        nowait: bool = False,
        progress: Callable[[int], None] | None = None,
        stop: threading.Event | None = None,
    ) -> int:
        """Processes pages until every projection has reached ``until`` (the head of the
        log when None), the monotonic ``deadline`` has passed or ``stop`` is set (looked
        at before each page, and while the store is busy); returns the position."""
        target = self.head() if until is None else until
        while True:
            reached = self.position()
            if (
                reached >= target
                or (deadline is not None and time.monotonic() > deadline)
                or (stop is not None and stop.is_set())
            ):
                return reached
            try:
                read = self.process_page(nowait=nowait)
            except StoreBusy:
                time.sleep(0.005)
                continue
            if progress is not None:
                progress(self.position())
            if read == 0:
                return self.position()

    def wait_for(self, position: int, timeout: float) -> int:
        """Waits until every projection has passed ``position``, helping it along."""
        deadline = time.monotonic() + timeout
        reached = self.position()
        if reached < position and position > self.head():
            raise InvalidInput(
                "min_position",
                f"Nhật ký mới có {self.head()} sự kiện; không có lần ghi nào ở vị trí này.",
            )
        while reached < position:
            if time.monotonic() > deadline:
                raise ProjectionsBehind(position, reached)
            reached = self.catch_up(position, deadline=deadline, nowait=True)
            if reached < position:
                time.sleep(0.01)
                reached = self.position()
        return reached

    def run_forever(
        self,
        stop: threading.Event,
        *,
        poll_interval: float = 0.02,
        after_catch_up: Callable[[int, frozenset[str]], None] | None = None,
        leading: Callable[[], frozenset[str]] | None = None,
    ) -> None:
        """Follows the log until ``stop`` is set, for the projections ``leading`` names at
        each round (all when None); ``after_catch_up`` is given the position reached and
        the projections led. It never waits inside the store for another writer's lock:
        a busy store is asked again, so that ``stop`` (or a signal) is heeded at once."""
        everything = frozenset(p.name for p in self.projections)
        while not stop.is_set():
            led = leading() if leading is not None else everything
            if not led:
                stop.wait(max(poll_interval, 0.5))
                continue
            reached = self.only(led).catch_up(nowait=True, stop=stop)
            if after_catch_up is not None:
                after_catch_up(reached, led)
            if reached >= self.head():
                stop.wait(poll_interval)

    def only(self, names: frozenset[str]) -> ProjectionRunner:
        """A runner of the named projections alone, on the same store."""
        if names == frozenset(p.name for p in self.projections):
            return self
        if names not in self._subsets:
            self._subsets[names] = ProjectionRunner(
                self.recorder,
                self.mapper,
                self.db,
                [p for p in self.projections if p.name in names],
                page_size=self.page_size,
            )
        return self._subsets[names]

    def rebuild(
        self, names: Sequence[str] | None = None, progress: Callable[[int], None] | None = None
    ) -> int:
        """Drops the rows of the named projections (all when None) and replays the log."""
        self.reset(names)
        return self.catch_up(progress=progress)

    def reset(self, names: Sequence[str] | None = None) -> None:
        """Drops the rows of the named projections (all when None) and sets their tracking
        positions back to 0, in one transaction: the first half of a rebuild."""
        chosen = [p for p in self.projections if names is None or p.name in names]
        self._ensure_tracking_rows()
        with self.db.transaction(write=True) as tx:
            for projection in chosen:
                for table in projection.tables:
                    tx.execute(f"DELETE FROM {table}")
                tx.execute(
                    "UPDATE projection_tracking SET position = 0 WHERE name = :name",
                    {"name": projection.name},
                )

    def _ensure_tracking_rows(self, *, nowait: bool = False) -> None:
        if self._tracking_ready:
            return
        with self.db.transaction(write=True, nowait=nowait) as tx:
            for projection in self.projections:
                tx.execute(
                    "INSERT INTO projection_tracking (name, position) VALUES (:name, 0) "
                    "ON CONFLICT (name) DO NOTHING",
                    {"name": projection.name},
                )
        self._tracking_ready = True
