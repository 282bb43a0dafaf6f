"""Changes made by hand in the database, found by `sovang audit verify` as an operator runs it.

Each case starts from a store of its own holding the demo (a copy of one that `sovang demo`
loaded once a session, tests/e2e/conftest.py), archives a signed checkpoint with
`sovang audit checkpoint --out`, then alters the table of stored events directly in SQL,
as someone with the database's password could. PostgreSQL is the production store, so
every case runs there; the SQLite store gets the two simplest. The commands run in the
test's process (tests/e2e/cli.py's ``run``), as they would in their own.
"""

from __future__ import annotations

import subprocess
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from service.adapters.db import Transaction
from service.bootstrap import Services
from service.config import Config
from service.domain import merkle
from service.domain.logfile import event_leaf, gap_leaf
from service.domain.vocabulary import Level
from tests.conftest import ADMIN
from tests.e2e.cli import run, sovang_env
from tests.e2e.conftest import DemoStores


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    path = tmp_path / "sovang.db"
    path.write_bytes(sqlite_template.read_bytes())
    return f"sqlite:///{path}"


@pytest.fixture
def sqlite_demo(sqlite_url: str, demo_stores: DemoStores) -> Iterator[str]:
    """A SQLite store of its own holding the demo."""
    yield from demo_stores.copied(sqlite_url)


@pytest.fixture
def postgres_demo(postgres_url: str, demo_stores: DemoStores) -> Iterator[str]:
    """A PostgreSQL database of its own holding the demo."""
    yield from demo_stores.copied(postgres_url)


@dataclass
class Store:
    """A demo store, its signing key, and SQL on its tables as an intruder would run it."""

    url: str
    key: Path
    tmp: Path
    table: str = "sovang_events"
    column: str = "notification_id"

    def sovang(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Runs `sovang ARGS` and insists that it succeeds."""
        result = run(sovang_env(self.url, self.key), *args)
        assert result.returncode == 0, result.stdout + result.stderr
        return result

    def refused(self, *args: str) -> str:
        """Runs `sovang ARGS`, insists that it fails, and returns its stderr."""
        result = run(sovang_env(self.url, self.key), *args)
        assert result.returncode != 0, result.stdout + result.stderr
        assert "Traceback" not in result.stderr, result.stderr
        return result.stderr

    def archive(self, name: str) -> tuple[Path, int]:
        out = self.tmp / name
        said = self.sovang("audit", "checkpoint", "--out", str(out)).stdout
        size = int(said.split("điểm kiểm tra của ")[1].split(" ")[0])
        assert out.read_text(encoding="utf-8").split("\n")[1] == str(size)
        return out, size

    def sql(self, change: Callable[[Transaction], Any]) -> Any:
        services = Services(Config(database_url=self.url))
        try:
            with services.db.transaction(write=True) as tx:
                return change(tx)
        finally:
            services.close()

    def write_more(self, count: int) -> None:
        services = Services(Config(database_url=self.url))
        try:
            for i in range(count):
                services.ledger.register_unit(ADMIN, f"Xã Mới {i}", Level.COMMUNE, None, None)
            services.runner.catch_up()
        finally:
            services.close()

    def event(self, tx: Transaction, position: int) -> dict[str, Any]:
        row = tx.one(
            f"SELECT originator_id, originator_version, topic, state FROM {self.table} "
            f"WHERE {self.column} = :position",
            {"position": position},
        )
        assert row is not None, position
        return dict(row)

    def receipts(self, after: int, count: int) -> list[int]:
        """The positions of ``count`` gifts recorded after ``after``."""

        def find(tx: Transaction) -> list[int]:
            rows = tx.all(
                f"SELECT {self.column} AS position, state FROM {self.table} "
                f"WHERE {self.column} > :after ORDER BY {self.column} LIMIT 200",
                {"after": after},
            )
            return [int(row["position"]) for row in rows if b'"amount":' in bytes(row["state"])][
                :count
            ]

        found: list[int] = self.sql(find)
        assert len(found) == count
        return found


def demo(url: str, key: Path, tmp: Path) -> Store:
    """The store at ``url``, holding the demo, which the log verifies as it is."""
    store = Store(url, key, tmp)
    if url.startswith("sqlite"):
        store.table, store.column = "stored_events", "rowid"
    assert store.sovang("audit", "verify").stdout.startswith("đã kiểm chứng ")
    return store


def first_bad(stderr: str) -> int:
    assert "Sổ KHÔNG khớp" in stderr, stderr
    return int(stderr.split("vị trí hỏng đầu tiên: ")[1].split(")")[0])


# The changes ------------------------------------------------------------------------


def alter_state(store: Store, position: int) -> None:
    def alter(tx: Transaction) -> None:
        state = bytes(store.event(tx, position)["state"])
        forged = state.replace(b'"amount":', b'"amount": ', 1)
        assert forged != state
        tx.execute(
            f"UPDATE {store.table} SET state = :state WHERE {store.column} = :position",
            {"state": forged, "position": position},
        )

    store.sql(alter)


def delete(store: Store, position: int) -> None:
    store.sql(
        lambda tx: tx.execute(
            f"DELETE FROM {store.table} WHERE {store.column} = :position", {"position": position}
        )
    )


def swap_states(store: Store, first: int, second: int) -> None:
    def swap(tx: Transaction) -> None:
        a, b = bytes(store.event(tx, first)["state"]), bytes(store.event(tx, second)["state"])
        assert a != b
        for position, state in ((first, b), (second, a)):
            tx.execute(
                f"UPDATE {store.table} SET state = :state WHERE {store.column} = :position",
                {"state": state, "position": position},
            )

    store.sql(swap)


def rewrite_with_tree(store: Store, position: int) -> None:
    """Changes an event and every node of the log's tree above it, consistently: the
    stored tree then agrees with the changed store, so only a signed root can tell."""

    def rewrite(tx: Transaction) -> None:
        event = store.event(tx, position)
        forged = bytes(event["state"]).replace(b'":', b'": ', 1)
        assert forged != bytes(event["state"])
        tx.execute(
            f"UPDATE {store.table} SET state = :state WHERE {store.column} = :position",
            {"state": forged, "position": position},
        )
        level, index = 0, position - 1
        value = event_leaf(
            position, event["originator_id"], event["originator_version"], event["topic"], forged
        )
        while True:
            tx.execute(
                "UPDATE log_nodes SET hash = :hash WHERE level = :level AND idx = :idx",
                {"hash": value, "level": level, "idx": index},
            )
            sibling = tx.scalar(
                "SELECT hash FROM log_nodes WHERE level = :level AND idx = :idx",
                {"level": level, "idx": index ^ 1},
            )
            parent = tx.scalar(
                "SELECT hash FROM log_nodes WHERE level = :level AND idx = :idx",
                {"level": level + 1, "idx": index >> 1},
            )
            if sibling is None or parent is None:
                return
            left, right = (bytes(sibling), value) if index & 1 else (value, bytes(sibling))
            value = merkle.node_hash(left, right)
            level, index = level + 1, index >> 1

    store.sql(rewrite)


# PostgreSQL: every change ------------------------------------------------------------


@pytest.mark.postgres_only
def test_a_state_altered_in_place_is_found_at_its_position(
    postgres_demo: str, signing_key_path: Path, tmp_path: Path
) -> None:
    store = demo(postgres_demo, signing_key_path, tmp_path)
    archived, size = store.archive("checkpoint.txt")
    [position] = store.receipts(after=size // 2, count=1)
    alter_state(store, position)
    assert first_bad(store.refused("audit", "verify")) == position
    assert first_bad(store.refused("audit", "verify", "--checkpoint", str(archived))) == position


@pytest.mark.postgres_only
def test_a_deleted_event_is_found_at_its_position(
    postgres_demo: str, signing_key_path: Path, tmp_path: Path
) -> None:
    store = demo(postgres_demo, signing_key_path, tmp_path)
    archived, _ = store.archive("checkpoint.txt")
    [position] = store.receipts(after=100, count=1)
    delete(store, position)
    stderr = store.refused("audit", "verify", "--checkpoint", str(archived))
    assert first_bad(stderr) == position
    assert "không còn trong kho sự kiện" in stderr


@pytest.mark.postgres_only
def test_the_last_events_deleted_are_found_by_the_checkpoints(
    postgres_demo: str, signing_key_path: Path, tmp_path: Path
) -> None:
    store = demo(postgres_demo, signing_key_path, tmp_path)
    archived, size = store.archive("checkpoint.txt")
    store.sql(
        lambda tx: tx.execute(
            f"DELETE FROM {store.table} WHERE {store.column} >= :low", {"low": size - 1}
        )
    )
    stderr = store.refused("audit", "verify", "--checkpoint", str(archived))
    assert first_bad(stderr) == size - 1


@pytest.mark.postgres_only
def test_an_event_forged_into_a_skipped_position_is_found_there(
    postgres_demo: str, signing_key_path: Path, tmp_path: Path
) -> None:
    store = demo(postgres_demo, signing_key_path, tmp_path)
    skipped = int(
        store.sql(
            lambda tx: tx.scalar("SELECT nextval('sovang_events_notification_id_seq') AS skipped")
        )
    )
    store.write_more(3)
    archived, size = store.archive("checkpoint.txt")
    assert size == skipped + 3

    def gap_is_recorded(tx: Transaction) -> None:
        assert (
            tx.scalar(f"SELECT COUNT(*) FROM {store.table} WHERE {store.column} = {skipped}") == 0
        )
        leaf = tx.scalar(
            "SELECT hash FROM log_nodes WHERE level = 0 AND idx = :idx", {"idx": skipped - 1}
        )
        assert bytes(leaf) == gap_leaf(skipped)

    store.sql(gap_is_recorded)
    assert store.sovang("audit", "verify", "--checkpoint", str(archived)).stdout.startswith(
        "đã kiểm chứng "
    )

    def forge(tx: Transaction) -> None:
        model = store.event(tx, skipped - 1)
        tx.execute(
            f"INSERT INTO {store.table} (notification_id, originator_id, originator_version, "
            "topic, state) VALUES (:position, :originator, 1, :topic, :state)",
            {
                "position": skipped,
                "originator": uuid.uuid4(),
                "topic": model["topic"],
                "state": bytes(model["state"]),
            },
        )

    store.sql(forge)
    assert first_bad(store.refused("audit", "verify")) == skipped
    assert first_bad(store.refused("audit", "verify", "--checkpoint", str(archived))) == skipped


@pytest.mark.postgres_only
def test_two_events_whose_states_were_swapped_are_found_at_the_first(
    postgres_demo: str, signing_key_path: Path, tmp_path: Path
) -> None:
    store = demo(postgres_demo, signing_key_path, tmp_path)
    archived, _ = store.archive("checkpoint.txt")
    first, second = store.receipts(after=50, count=2)
    swap_states(store, first, second)
    assert first_bad(store.refused("audit", "verify", "--checkpoint", str(archived))) == first


@pytest.mark.postgres_only
def test_an_event_rewritten_with_the_tree_is_found_by_the_checkpoint_that_covers_it(
    postgres_demo: str, signing_key_path: Path, tmp_path: Path
) -> None:
    store = demo(postgres_demo, signing_key_path, tmp_path)
    older, older_size = store.archive("older.txt")
    store.write_more(4)
    newer, newer_size = store.archive("newer.txt")
    assert newer_size == older_size + 5  # the older checkpoint, then four units
    assert store.sovang("audit", "verify").stdout.startswith("đã kiểm chứng ")

    # A position between the two checkpoints, so that the older one still matches.
    position = older_size + 3
    rewrite_with_tree(store, position)

    def tree_agrees_with_the_changed_store(tx: Transaction) -> None:
        event = store.event(tx, position)
        leaf = event_leaf(
            position,
            event["originator_id"],
            event["originator_version"],
            event["topic"],
            bytes(event["state"]),
        )
        stored = tx.scalar(
            "SELECT hash FROM log_nodes WHERE level = 0 AND idx = :idx", {"idx": position - 1}
        )
        assert bytes(stored) == leaf

    store.sql(tree_agrees_with_the_changed_store)
    expected = f"chỗ bị sửa nằm giữa vị trí {older_size + 1} và {newer_size}"
    for args in (
        [],
        ["--checkpoint", str(newer)],
        ["--checkpoint", str(older), "--checkpoint", str(newer)],
    ):
        stderr = store.refused("audit", "verify", *args)
        assert "sổ đã bị viết lại" in stderr, stderr
        assert expected in stderr, stderr
        assert "vị trí hỏng đầu tiên" not in stderr, stderr


# SQLite: the simplest changes ---------------------------------------------------------


def test_on_sqlite_an_altered_and_a_deleted_event_are_found_at_their_positions(
    sqlite_demo: str, signing_key_path: Path, tmp_path: Path
) -> None:
    store = demo(sqlite_demo, signing_key_path, tmp_path)
    archived, size = store.archive("checkpoint.txt")
    altered, deleted = store.receipts(after=size // 3, count=2)
    delete(store, deleted)
    assert first_bad(store.refused("audit", "verify")) == deleted
    alter_state(store, altered)
    assert first_bad(store.refused("audit", "verify", "--checkpoint", str(archived))) == altered


# Events outside the walk of the log ---------------------------------------------------


def _fund_of(store: Store, position: int) -> tuple[Any, int]:
    """The aggregate of the receipt at ``position`` and its latest version, as stored."""

    def find(tx: Transaction) -> tuple[Any, int]:
        originator = store.event(tx, position)["originator_id"]
        last = tx.scalar(
            f"SELECT MAX(originator_version) AS v FROM {store.table} "
            "WHERE originator_id = :originator",
            {"originator": originator},
        )
        return originator, int(last)

    found: tuple[Any, int] = store.sql(find)
    return found


def insert_outside_the_walk(store: Store, position: int, at: int = -5) -> tuple[Any, int]:
    """Copies the receipt at ``position`` as its fund's next version, with notification id
    ``at``: outside the positions 1, 2, 3, ... that the log's tree covers."""
    originator, last = _fund_of(store, position)

    def insert(tx: Transaction) -> None:
        event = store.event(tx, position)
        tx.execute(
            f"INSERT INTO {store.table} ({store.column}, originator_id, originator_version, "
            "topic, state) VALUES (:at, :originator, :version, :topic, :state)",
            {
                "at": at,
                "originator": originator,
                "version": last + 1,
                "topic": event["topic"],
                "state": bytes(event["state"]),
            },
        )

    store.sql(insert)
    return originator, last + 1


def insert_by_renumbering(store: Store, position: int) -> None:
    """Moves every event from ``position`` on one place up and forges an event into the
    place made: a new aggregate holding a copy of the event before it."""

    def renumber(tx: Transaction) -> None:
        model = store.event(tx, position - 1)
        table, column = store.table, store.column
        tx.execute(
            f"UPDATE {table} SET {column} = -({column} + 1) WHERE {column} >= :position",
            {"position": position},
        )
        tx.execute(f"UPDATE {table} SET {column} = -{column} WHERE {column} < 0")
        originator: Any = uuid.uuid4()
        if store.table == "stored_events":
            originator = originator.hex
        tx.execute(
            f"INSERT INTO {table} ({column}, originator_id, originator_version, topic, state) "
            "VALUES (:position, :originator, 1, :topic, :state)",
            {
                "position": position,
                "originator": originator,
                "topic": model["topic"],
                "state": bytes(model["state"]),
            },
        )

    store.sql(renumber)


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_an_event_inserted_outside_the_walk_is_named_and_never_loaded(
    kind: str,
    request: pytest.FixtureRequest,
    signing_key_path: Path,
    tmp_path: Path,
) -> None:
    url = request.getfixturevalue("sqlite_demo" if kind == "sqlite" else "postgres_demo")
    store = demo(url, signing_key_path, tmp_path)
    archived, size = store.archive("checkpoint.txt")
    [position] = store.receipts(after=size // 2, count=1)
    fund_id, version = insert_outside_the_walk(store, position)

    for args in ([], ["--checkpoint", str(archived)]):
        stderr = store.refused("audit", "verify", *args)
        assert "Sổ KHÔNG khớp" in stderr, stderr
        assert "notification_id -5" in stderr, stderr
        assert f"phiên bản {version}" in stderr, stderr
        assert str(uuid.UUID(str(fund_id))) in stderr, stderr

    services = Services(Config(database_url=url))
    try:
        from service.adapters.log_recorders import EventOutsideLog

        with pytest.raises(EventOutsideLog, match="notification_id -5"):
            services.ledger.fund(uuid.UUID(str(fund_id)))
    finally:
        services.close()


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_an_event_inserted_mid_log_by_renumbering_is_found_at_its_position(
    kind: str,
    request: pytest.FixtureRequest,
    signing_key_path: Path,
    tmp_path: Path,
) -> None:
    url = request.getfixturevalue("sqlite_demo" if kind == "sqlite" else "postgres_demo")
    store = demo(url, signing_key_path, tmp_path)
    archived, size = store.archive("checkpoint.txt")
    position = size // 2
    insert_by_renumbering(store, position)
    for args in ([], ["--checkpoint", str(archived)]):
        stderr = store.refused("audit", "verify", *args)
        assert first_bad(stderr) == position
