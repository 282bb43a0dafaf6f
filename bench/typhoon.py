"""A typhoon appeal simulated on this machine: a million gifts over two weeks to the
relief funds of the central committee, a few provinces and thousands of communes.

The bulk arrives as it does in life, by bank transfer: each day's bank file of the
central and provincial accounts, and each week's of every commune's, imported through
the service's own import use case at full speed. Then the busiest minutes of the appeal
are replayed over HTTP through a real ``sovang serve`` (gunicorn on PostgreSQL) at the
curve's peak rate and at two and four times it, with public pages read beside them.
The projections catch up with the bulk from an empty read model (a rebuild of the whole
log); at the end: events stored, bytes on disk per event and ``sovang audit verify``.
Writes bench/results/typhoon.json.

  SOVANG_TYPHOON_RECEIPTS      gifts in all (default 1000000)
  SOVANG_TYPHOON_COMMUNES      communes, each with a relief fund (default 3000)
  SOVANG_TYPHOON_PEAK          the busiest rate in gifts/s (default 100)
  SOVANG_TYPHOON_PEAK_SECONDS  how long each HTTP replay offers its rate (default 60)
  SOVANG_TYPHOON_WORKERS       gunicorn workers of the served replay (default 4)
  SOVANG_TYPHOON_REBUILD       1 to time ``sovang projections rebuild`` at the end as well
"""

from __future__ import annotations

import json
import math
import os
import platform
import random
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg

from bench.arrivals import Arrivals, typhoon_arrivals
from bench.common import bank_printed, gift_body, scratch_database, served
from bench.history import sovang
from bench.replay import Target, replay
from service.adapters import tokens
from service.adapters.db import Database, StoreUrl
from service.application import Request, bank_import
from service.bootstrap import Services
from service.config import Config
from service.domain.actors import Actor
from service.domain.bank_lines import CreditLine
from service.domain.vocabulary import FundKind, Level, Role

RECEIPTS = int(os.environ.get("SOVANG_TYPHOON_RECEIPTS", "1000000"))
COMMUNES = int(os.environ.get("SOVANG_TYPHOON_COMMUNES", "3000"))
PEAK = float(os.environ.get("SOVANG_TYPHOON_PEAK", "100"))
PEAK_SECONDS = float(os.environ.get("SOVANG_TYPHOON_PEAK_SECONDS", "60"))
WORKERS = int(os.environ.get("SOVANG_TYPHOON_WORKERS", "4"))
#: The projections' catch-up after the bulk load starts from an empty read model, so it
#: is already a rebuild of the whole log; ``sovang projections rebuild`` repeats it.
REBUILD = os.environ.get("SOVANG_TYPHOON_REBUILD", "") == "1"
DAYS = 14
#: The window opens the day before landfall (typhoon Yagi: 7 September 2024).
START = datetime(2024, 9, 6)
COMMUNES_PER_PROVINCE = 1000
#: Where gifts go: the central committee's account, a province's, a commune's.
SHARES = (("central", 0.5), ("province", 0.3), ("commune", 0.2))
PROVINCES = ["Quảng Ninh", "Yên Bái", "Lào Cai", "Hải Phòng", "Thái Nguyên", "Cao Bằng"]
MULTIPLES = (1, 2, 4)
ADMIN = Request(Actor("typhoon", "Quản trị", Role.ADMIN))


@dataclass
class Account:
    """A relief fund, its unit, and a treasurer of the unit above it (or its own)."""

    fund_id: uuid.UUID
    unit_id: uuid.UUID
    treasurer: Actor


@dataclass
class Tree:
    central: Account
    provinces: list[Account] = field(default_factory=list)
    communes: list[Account] = field(default_factory=list)

    def receiving(self, share: str) -> list[Account]:
        return {"central": [self.central], "province": self.provinces}.get(share, self.communes)


def _account(svc: Services, name: str, level: Level, parent: Account | None) -> Account:
    ledger = svc.ledger
    unit = uuid.UUID(
        ledger.register_unit(ADMIN, name, level, parent.unit_id if parent else None, None).body[
            "id"
        ]
    )
    own = Actor(f"typhoon-{unit}", "Thủ quỹ", Role.TREASURER, unit)
    treasurer = parent.treasurer if parent and level is Level.COMMUNE else own
    fund = ledger.open_fund(Request(treasurer), unit, f"Quỹ Cứu trợ {name}", FundKind.RELIEF)
    return Account(uuid.UUID(fund.body["id"]), unit, treasurer)


def build_tree(svc: Services, communes: int) -> Tree:
    """The central committee, as many provinces as the communes need, their communes."""
    tree = Tree(_account(svc, "Ủy ban Trung ương MTTQ Việt Nam", Level.CENTRAL, None))
    provinces = max(1, math.ceil(communes / COMMUNES_PER_PROVINCE))
    for p in range(provinces):
        name = PROVINCES[p % len(PROVINCES)] + (f" {p // len(PROVINCES) + 1}" if p >= 6 else "")
        tree.provinces.append(
            _account(svc, f"Ủy ban MTTQ tỉnh {name}", Level.PROVINCE, tree.central)
        )
    for c in range(communes):
        province = tree.provinces[c % provinces]
        tree.communes.append(_account(svc, f"Ủy ban MTTQ xã số {c + 1}", Level.COMMUNE, province))
    return tree


def bank_line(rng: random.Random, number: int, arrival: datetime) -> CreditLine:
    """A credit as a bank prints it: the donor's name without diacritics, a memo."""
    gift = gift_body(rng, arrival.date())
    name = bank_printed(gift["donor"]["name"])
    return CreditLine(
        row_no=number,
        occurred_on=arrival.date(),
        amount=gift["amount"],
        reference=f"FT{number:012d}",
        memo=f"{name} {gift['note']}",
        counterparty=name,
        time=f"{arrival:%H:%M:%S}",
    )


@dataclass
class BankFile:
    account: Account
    lines: list[CreditLine]


def bank_files(arrivals: Arrivals, tree: Tree, rng: random.Random) -> Iterator[BankFile]:
    """The day's bank file of each central and provincial account, and at the end of each
    week the week's bank file of every commune that received something."""
    number, weekly = 0, dict[uuid.UUID, BankFile]()
    per_day = 24 * 60
    for day in range(math.ceil(len(arrivals.counts) / per_day)):
        daily: dict[uuid.UUID, BankFile] = {}
        for minute in range(day * per_day, min((day + 1) * per_day, len(arrivals.counts))):
            for _ in range(arrivals.counts[minute]):
                number += 1
                at = arrivals.start + timedelta(minutes=minute, seconds=rng.randrange(60))
                share = rng.choices([s for s, _ in SHARES], [w for _, w in SHARES])[0]
                account = rng.choice(tree.receiving(share))
                bucket = weekly if share == "commune" else daily
                bucket.setdefault(account.fund_id, BankFile(account, [])).lines.append(
                    bank_line(rng, number, at)
                )
        yield from daily.values()
        if day % 7 == 6 or (day + 1) * per_day >= len(arrivals.counts):
            yield from weekly.values()
            weekly = {}


def bulk_load(svc: Services, arrivals: Arrivals, tree: Tree) -> dict[str, Any]:
    """Imports every bank file through the import use case; rows/s and events/s."""
    head = svc.ledger.recorder.max_notification_id() or 0
    started, rows, imports = time.perf_counter(), 0, 0
    for bank_file in bank_files(arrivals, tree, random.Random(2024)):
        treasurer = Request(bank_file.account.treasurer)
        fund = svc.ledger.importable_fund(treasurer, bank_file.account.fund_id)
        report = bank_import.import_bank_file(svc.ledger, treasurer, fund, bank_file.lines, {})
        rows += report.recorded
        imports += 1
        if imports % 200 == 0 or len(bank_file.lines) > 5000:
            elapsed = time.perf_counter() - started
            print(f"  imported {rows:,} rows in {imports:,} bank files, {rows / elapsed:,.0f}/s")
    seconds = time.perf_counter() - started
    events = (svc.ledger.recorder.max_notification_id() or 0) - head
    return {
        "rows": rows,
        "statements": imports,
        "seconds": round(seconds, 1),
        "rows_per_s": round(rows / seconds, 1),
        "events": events,
        "events_per_s": round(events / seconds, 1),
    }


def catch_up(svc: Services) -> dict[str, Any]:
    """Every projection consuming the log from where it stands to its head."""
    before, started = svc.runner.position(), time.perf_counter()
    reached = svc.runner.catch_up()
    seconds = time.perf_counter() - started
    return {
        "events": reached - before,
        "seconds": round(seconds, 1),
        "events_per_s": round((reached - before) / seconds, 1) if seconds else 0.0,
    }


def peak_replays(url: str, tmp: Path, tree: Tree, day: date) -> list[dict[str, Any]]:
    """The busiest minutes over HTTP at the peak rate and at multiples of it."""
    db = Database(StoreUrl.parse(url))
    token_of = {
        account.treasurer.unit_id: tokens.create(
            db, name="Thủ quỹ", role=Role.TREASURER, unit_id=account.treasurer.unit_id
        )[1]
        for account in [tree.central, *tree.provinces]
    }
    db.close()
    rng = random.Random(5)
    weighted = [
        account
        for share, weight in SHARES
        for account in rng.choices(tree.receiving(share), k=round(weight * 100))
    ]
    targets = [Target(str(a.fund_id), token_of[a.treasurer.unit_id]) for a in weighted]
    period = f"from={START:%Y-%m-%d}&to={START + timedelta(days=DAYS):%Y-%m-%d}"
    central = f"/api/v1/public/funds/{tree.central.fund_id}/statement"
    reads = {
        "commune disclosure": lambda r: (
            f"/api/v1/public/units/{r.choice(tree.communes).unit_id}/disclosure?{period}"
        ),
        "province disclosure": lambda r: (
            f"/api/v1/public/units/{r.choice(tree.provinces).unit_id}/disclosure?{period}"
        ),
        "central statement, first page": lambda r: f"{central}?limit=50",
        "central statement, a donor's name": lambda r: f"{central}?q=NGUYEN%20VAN%20AN&limit=50",
    }
    found = []
    with served(url, workers=WORKERS, threads=4, tmp=tmp) as port:
        for multiple in MULTIPLES:
            rate = PEAK * multiple
            print(f"  replaying the peak at {rate:.0f} receipts/s for {PEAK_SECONDS:.0f} s")
            figures = replay(port, targets, day, rate, PEAK_SECONDS, reads, seed=multiple)
            found.append(
                {"multiple": multiple, "load_1min": os.getloadavg()[0], **figures.summary()}
            )
            print(f"    {json.dumps(found[-1], ensure_ascii=False)}")
    return found


def storage(url: str) -> dict[str, Any]:
    """Bytes on disk (tables, indexes, TOAST) of the stored events, the snapshots and
    every read-model table, and per stored event."""
    with psycopg.connect(url) as conn:
        events = int(conn.execute("SELECT count(*) FROM sovang_events").fetchone()[0])  # type: ignore[index]
        sizes = {
            str(name): int(size)
            for name, size in conn.execute(
                "SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY 2 DESC"
            ).fetchall()
        }
    stored = sizes.get("sovang_events", 0)
    snapshots = sizes.get("sovang_snapshots", 0)
    everything = sum(sizes.values())
    return {
        "events": events,
        "bytes": {
            "events": stored,
            "snapshots": snapshots,
            "read_models": everything - stored - snapshots,
            "total": everything,
        },
        "bytes_per_event": {
            "events": round(stored / events),
            "snapshots": round(snapshots / events),
            "read_models": round((everything - stored - snapshots) / events),
            "total": round(everything / events),
        },
        "tables": sizes,
    }


def main() -> None:
    loads = {"start": os.getloadavg()}
    replayed = round(PEAK * PEAK_SECONDS * sum(MULTIPLES))
    bulk = max(0, RECEIPTS - replayed)
    arrivals = typhoon_arrivals(bulk, DAYS, PEAK * bulk / 1_000_000, START)
    busiest_day = arrivals.day_of(arrivals.busiest_minute())
    print(
        f"typhoon: {arrivals.total:,} gifts over {DAYS} days, busiest minute "
        f"{arrivals.peak_per_second():.1f}/s on {busiest_day}, {COMMUNES:,} communes"
    )
    results: dict[str, Any] = {
        "machine": platform.node(),
        "cpus": os.cpu_count(),
        "receipts": RECEIPTS,
        "imported": bulk,
        "offered_over_http": replayed,
        "communes": COMMUNES,
        "days": DAYS,
        "curve": {
            "per_day": arrivals.per_day(),
            "busiest_minute_per_s": round(arrivals.peak_per_second(), 1),
            "busiest_hour": max(
                sum(arrivals.counts[h * 60 : (h + 1) * 60]) for h in range(DAYS * 24)
            ),
        },
    }
    with tempfile.TemporaryDirectory() as directory, scratch_database() as url:
        tmp = Path(directory)
        svc = Services(Config(database_url=url, pool_size=2))
        try:
            started = time.perf_counter()
            tree = build_tree(svc, COMMUNES)
            results["tree"] = {
                "provinces": len(tree.provinces),
                "communes": len(tree.communes),
                "seconds": round(time.perf_counter() - started, 1),
            }
            print(f"  tree built: {results['tree']}")
            results["bulk_load"] = bulk_load(svc, arrivals, tree)
            print(f"  bulk load: {results['bulk_load']}")
            loads["bulk_load"] = os.getloadavg()
            results["projections_catch_up"] = catch_up(svc)
            print(f"  projections caught up: {results['projections_catch_up']}")
        finally:
            svc.close()
        results["peak"] = peak_replays(url, tmp, tree, busiest_day)
        loads["peak"] = os.getloadavg()
        results["storage"] = storage(url)
        print(f"  storage: {results['storage']['bytes_per_event']} bytes per event")
        verify = sovang(url, tmp, "audit", "verify")
        results["verify"] = {"seconds": round(verify.seconds, 1), "peak_mb": verify.peak_mb}
        print(f"  verify: {results['verify']}")
        if REBUILD:
            rebuild = sovang(url, tmp, "projections", "rebuild")
            results["rebuild"] = {
                "seconds": round(rebuild.seconds, 1),
                "peak_mb": rebuild.peak_mb,
            }
            print(f"  rebuild: {results['rebuild']}")
        loads["end"] = os.getloadavg()
    results["load_average"] = {k: [round(x, 2) for x in v] for k, v in loads.items()}
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    (out / "typhoon.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(json.dumps({k: v for k, v in results.items() if k != "storage"}, ensure_ascii=False))


if __name__ == "__main__":
    main()
