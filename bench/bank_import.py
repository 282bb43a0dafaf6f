"""A generated bank file (sao kê ngân hàng) of realistic Vietnamese transfers, imported
through the service and copied raw into a bare table, for ``make bench``."""

from __future__ import annotations

import random
import time
import tracemalloc
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import psycopg

from bench.common import bank_printed
from service.application import Request
from service.application import import_jobs as imports
from service.bootstrap import Services
from service.config import Config
from service.domain.actors import Actor
from service.domain.vocabulary import FundKind, Level, Role

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Ngọc", "Thanh", "Hữu", "Quang", "Thu", "Xuân"]
GIVEN = ["An", "Bình", "Cường", "Dung", "Giang", "Hà", "Hải", "Hùng", "Lan", "Linh", "Nam"]
COMPANIES = [
    "CONG TY TNHH THUONG MAI HONG PHAT",
    "CONG TY CP XI MANG SONG LAM",
    "TRUONG THPT PHAN DINH PHUNG",
]
WISHES = [
    "ung ho dong bao bi bao lu",
    "ung ho mien Bac khac phuc hau qua bao Yagi",
    "chung tay vi nguoi ngheo",
    "UH BAO LU",
    "gia dinh ung ho dong bao vung lu",
]
HEADER = "Ngày,Mã giao dịch,Số tiền,Nội dung,Người chuyển"


def write_bank_file(directory: Path, n: int, seed: int = 2024) -> Path:
    """A CSV bank file of ``n`` credits over ten days, memos in the banks' styles."""
    rng = random.Random(seed)
    path = directory / f"sao-ke-{uuid.uuid4().hex[:8]}.csv"
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER + "\n")
        for i in range(n):
            day = date(2024, 9, 10) + timedelta(days=i * 10 // n)
            if rng.random() < 0.03:
                name = rng.choice(COMPANIES)
            else:
                name = bank_printed(
                    f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
                )
            wish = rng.choice(WISHES)
            style = rng.random()
            trace, account = rng.randint(100000, 999999), rng.randint(10**9, 10**10 - 1)
            if style < 0.4:
                memo = f"{trace}.{day:%d%m%y}.{rng.randint(0, 235959):06d}.{name} {wish}"
            elif style < 0.7:
                memo = (
                    f"MBVCB.{account}.{name} {wish}.CT tu {account} {name} toi 0011001932418 "
                    "MAT TRAN TO QUOC VN - BAN CUU TRO TW"
                )
            else:
                memo = f"{name} {wish} - Ma GD ACSP/ {trace}"
            amount = rng.choice([50, 100, 200, 200, 500, 500, 1000, 2000, 5000]) * 1000
            out.write(f'{day:%d/%m/%Y},FT{i:012d},"{amount:,}",{memo},{name}\n')
    return path


def copy_rows(url: str, path: Path) -> float:
    """Rows/s of a raw COPY of the bank file into a bare table."""
    with psycopg.connect(url) as conn:
        conn.execute(
            "CREATE TABLE raw_statement (occurred_on text, reference text, amount text, "
            "memo text, counterparty text)"
        )
        conn.commit()
        started = time.perf_counter()
        rows = 0
        with conn.cursor() as cursor, path.open("rb") as source:
            with cursor.copy(
                "COPY raw_statement FROM STDIN WITH (FORMAT csv, HEADER true)"
            ) as copy:
                while chunk := source.read(1 << 16):
                    copy.write(chunk)
            conn.commit()
            rows = int(conn.execute("SELECT count(*) FROM raw_statement").fetchone()[0])  # type: ignore[index]
        return rows / (time.perf_counter() - started)


def _fund(svc: Services, name: str) -> tuple[uuid.UUID, Request]:
    admin = Request(Actor("bench", "bench", Role.ADMIN))
    ledger = svc.ledger
    unit = uuid.UUID(
        ledger.register_unit(admin, f"Xã {name}", Level.COMMUNE, None, None).body["id"]
    )
    treasurer = Request(Actor(f"bench-{name}", "Thủ quỹ", Role.TREASURER, unit))
    fund = ledger.open_fund(treasurer, unit, "Quỹ Cứu trợ", FundKind.RELIEF).body["id"]
    return uuid.UUID(fund), treasurer


def _import(
    svc: Services, path: Path, name: str, fund: tuple[uuid.UUID, Request] | None = None
) -> int:
    into, treasurer = fund or _fund(svc, name)
    prepared = imports.prepare(path, path.name, imports.layout_of("sovang"))
    report = imports.run(svc, treasurer, into, prepared, dry_run=False)
    return report.recorded


def _timed(svc: Services, path: Path, fund: tuple[uuid.UUID, Request], *, dry_run: bool) -> float:
    """Seconds of one import of the file into the fund, the projections caught up first
    (each run's time is its own)."""
    svc.runner.catch_up()
    into, treasurer = fund
    prepared = imports.prepare(path, path.name, imports.layout_of("sovang"))
    started = time.perf_counter()
    imports.run(svc, treasurer, into, prepared, dry_run=dry_run)
    return time.perf_counter() - started


def _log_head(url: str) -> int:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT max(notification_id) FROM sovang_events").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def import_rows(url: str, path: Path, n: int) -> dict[str, Any]:
    """The three runs a treasurer makes of the bank file into a fresh fund, timed: the dry
    run, the import (rows/s) and a re-import of the same file (every line already
    recorded; the events it writes are counted, none is the goal). Then the peak Python
    memory of imports of a tenth and of the whole of it."""
    svc = Services(Config(database_url=url, pool_size=2))
    try:
        fund = _fund(svc, "timed")
        dry = _timed(svc, path, fund, dry_run=True)
        seconds = _timed(svc, path, fund, dry_run=False)
        head = _log_head(url)
        again = _timed(svc, path, fund, dry_run=False)
        written_again = _log_head(url) - head
        svc.runner.catch_up()
        peaks: dict[int, float] = {}
        tenth = path.with_name(path.stem + "-tenth.csv")
        with path.open(encoding="utf-8") as whole, tenth.open("w", encoding="utf-8") as part:
            for index, line in enumerate(whole):
                if index > n // 10:
                    break
                part.write(line)
        try:
            for rows, source in ((n // 10, tenth), (n, path)):
                tracemalloc.start()
                recorded = _import(svc, source, f"memory-{rows}")
                peaks[rows] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
                tracemalloc.stop()
                assert recorded == rows, recorded
        finally:
            tenth.unlink()
        return {
            "rows_per_s": n / seconds,
            "seconds": seconds,
            "dry_run_seconds": dry,
            "reimport_seconds": again,
            "written_again": written_again,
            "peak_mib": peaks,
        }
    finally:
        svc.close()
