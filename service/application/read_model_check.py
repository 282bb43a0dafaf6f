"""``sovang projections check``: the read models recomputed from the log and compared.

The read models (fund balances, ledgers, reports...) are tables that anyone with the
database's password can change without touching the log: ``sovang audit verify`` does not
look at them. The check replays the log, up to the position the live read models have
reached, into shadow tables (a temporary SQLite store migrated like any other), then
compares every table with its shadow row by row, in key order, and names the first
difference: the table, the row's key, the column, the value served and the value the log
gives.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from service.adapters.db import Database, StoreUrl
from service.projections import all_projections
from service.projections.runner import ProjectionRunner

if TYPE_CHECKING:
    from service.application.process import Process

#: Rows read from each side at a time.
PAGE = 2000


class CheckStopped(Exception):
    """The check ran out of the time it was given."""


@dataclass(frozen=True)
class Difference:
    """The first row where a read model and its recomputation from the log disagree."""

    table: str
    key: dict[str, Any]
    column: str | None
    served: Any
    recomputed: Any

    def describe(self) -> str:
        key = ", ".join(f"{name} = {value}" for name, value in self.key.items())
        if self.column is None and self.served is None:
            return (
                f"bảng {self.table}: thiếu dòng ({key}) mà sổ sự kiện cho ra; "
                "dòng đã bị xóa khỏi bảng đọc"
            )
        if self.column is None:
            return (
                f"bảng {self.table}: có dòng ({key}) mà sổ sự kiện không cho ra; "
                "dòng đã được thêm vào bảng đọc"
            )
        return (
            f"bảng {self.table}, dòng ({key}), cột {self.column}: bảng đọc ghi "
            f"{self.served!r}, tính lại từ sổ sự kiện được {self.recomputed!r}"
        )


@dataclass
class CheckResult:
    position: int = 0
    tables: int = 0
    rows: int = 0
    difference: Difference | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.difference is None


class _UpTo:
    """The application's recorder, seen only up to ``position``: the shadow replays
    exactly what the live read models had applied."""

    def __init__(self, recorder: Any, position: int) -> None:
        self._recorder = recorder
        self._position = position

    def select_notifications(
        self,
        start: int | None,
        limit: int,
        stop: int | None = None,
        topics: Sequence[str] = (),
        *,
        inclusive_of_start: bool = True,
    ) -> Any:
        stop = self._position if stop is None else min(stop, self._position)
        if start is not None and start >= stop:
            return []
        return self._recorder.select_notifications(
            start, limit, stop, topics, inclusive_of_start=inclusive_of_start
        )

    def max_notification_id(self) -> int:
        return self._position


def check(
    services: Process,
    *,
    deadline: float | None = None,
    progress: Callable[[int], None] | None = None,
    workdir: Path | None = None,
) -> CheckResult:
    """Recomputes every read model from the log into shadow tables and compares them;
    raises CheckStopped past the monotonic ``deadline``."""
    from service.adapters.migrate import migrate

    services.runner.catch_up(deadline=deadline)
    positions = services.runner.positions()
    result = CheckResult(position=min(positions.values()))
    if len(set(positions.values())) > 1:
        result.notes.append(
            "các bảng đọc đang ở các vị trí khác nhau ("
            + ", ".join(f"{name} {at}" for name, at in sorted(positions.items()))
            + f"); chỉ so đến vị trí {result.position}"
        )
    with tempfile.TemporaryDirectory(prefix="sovang-check-", dir=workdir) as folder:
        url = StoreUrl.parse(f"sqlite:///{Path(folder) / 'shadow.db'}")
        migrate(url)
        shadow = Database(url, pool_size=1)
        try:
            runner = ProjectionRunner(
                _UpTo(services.ledger.recorder, result.position),  # type: ignore[arg-type]
                services.ledger.mapper,
                shadow,
                all_projections(),
                page_size=1000,
            )

            def replayed(position: int) -> None:
                if deadline is not None and time.monotonic() > deadline:
                    raise CheckStopped(position)
                if progress is not None:
                    progress(position)

            runner.catch_up(result.position, progress=replayed)
            for projection in all_projections():
                for table in projection.tables:
                    if deadline is not None and time.monotonic() > deadline:
                        raise CheckStopped(result.position)
                    result.tables += 1
                    compared, difference = _compare(services.db, shadow, table)
                    result.rows += compared
                    if difference is not None:
                        result.difference = difference
                        _moved(services, result)
                        return result
        finally:
            shadow.close()
    return result


def _moved(services: Process, result: CheckResult) -> None:
    reached = services.runner.position()
    if reached != result.position:
        result.notes.append(
            f"sổ đã ghi thêm trong lúc kiểm (các bảng đọc từ vị trí {result.position} "
            f"lên {reached}): hãy chạy lại để chắc sai khác không do ghi mới"
        )


def _key_columns(shadow: Database, table: str) -> tuple[list[str], list[str]]:
    """The table's columns and its primary key, as the migrations made them."""
    with shadow.transaction() as tx:
        info = tx.all(f"PRAGMA table_info({table})")
    columns = [row["name"] for row in info]
    key = [row["name"] for row in sorted(info, key=lambda row: row["pk"]) if row["pk"]]
    return columns, key or columns


def _compare(live: Database, shadow: Database, table: str) -> tuple[int, Difference | None]:
    columns, key = _key_columns(shadow, table)
    served = _rows(live, table, key)
    recomputed = _rows(shadow, table, key)
    count = 0
    left, right = next(served, None), next(recomputed, None)
    while left is not None or right is not None:
        if right is None or (left is not None and left[0] < right[0]):
            assert left is not None
            return count, Difference(table, _named(key, left[1]), None, left[1], None)
        if left is None or right[0] < left[0]:
            return count, Difference(table, _named(key, right[1]), None, None, right[1])
        for column in columns:
            if column not in left[1]:
                continue
            a, b = _normal(left[1][column]), _normal(right[1].get(column))
            if a != b:
                return count, Difference(table, _named(key, left[1]), column, a, b)
        count += 1
        left, right = next(served, None), next(recomputed, None)
    return count, None


def _named(key: list[str], row: dict[str, Any]) -> dict[str, Any]:
    return {column: _normal(row.get(column)) for column in key}


def _rows(db: Database, table: str, key: list[str]) -> Iterator[tuple[tuple[str, ...], Any]]:
    """The rows of ``table`` in the order of their key as text (byte order on both
    stores), a page at a time; each with its key as that text."""
    collate = ' COLLATE "C"' if db.dialect == "postgresql" else ""
    texts = [f"CAST({column} AS TEXT){collate}" for column in key]
    selected = ", ".join(f"{text} AS sovang_key_{i}" for i, text in enumerate(texts))
    order = ", ".join(texts)
    after: tuple[str, ...] | None = None
    while True:
        where = ""
        params: dict[str, Any] = {}
        if after is not None:
            where = (
                f" WHERE ({order}) > (" + ", ".join(f":after_{i}" for i in range(len(key))) + ")"
            )
            params = {f"after_{i}": value for i, value in enumerate(after)}
        with db.transaction() as tx:
            page = tx.all(
                f"SELECT {selected}, * FROM {table}{where} ORDER BY {order} LIMIT {PAGE}",
                params,
            )
        for row in page:
            text_key = tuple(str(row.pop(f"sovang_key_{i}")) for i in range(len(key)))
            yield _text_key(text_key), row
            after = text_key
        if len(page) < PAGE:
            return


def _text_key(key: tuple[str, ...]) -> tuple[str, ...]:
    """A key as both stores spell it: PostgreSQL's booleans as SQLite's."""
    return tuple({"true": "1", "false": "0"}.get(part, part) for part in key)


def _normal(value: Any) -> Any:
    """A value as both stores give it back: bytes, integers, UTC times, parsed JSON."""
    if isinstance(value, memoryview | bytearray):
        return bytes(value)
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and value[10] in "T ":
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        if moment.tzinfo is not None:
            return moment.astimezone(UTC).isoformat()
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.dumps(json.loads(value), sort_keys=True, ensure_ascii=False)
        except ValueError:
            return value
    return value
