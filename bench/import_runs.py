"""The three runs of a statement import that a treasurer makes, timed one after the
other on one generated bank file into one fresh fund: a dry run, the real run, and a
re-import of the same file (every line already recorded). The projections catch up
before each run, so each time is the import's own. Each run's CPU time in this process
(the import's Python, not the server's) is printed beside its wall time, which on a
shared machine depends on the other work more than on the import.

    SOVANG_BENCH_IMPORT_N=20000 .venv/bin/python -m bench.import_runs
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from bench.bank_import import _fund, write_bank_file
from bench.common import scratch_database
from service.application import import_jobs as imports
from service.bootstrap import Services
from service.config import Config


def main() -> None:
    n = int(os.environ.get("SOVANG_BENCH_IMPORT_N", "20000"))
    with tempfile.TemporaryDirectory() as tmp, scratch_database() as url:
        path = write_bank_file(Path(tmp), n)
        svc = Services(Config(database_url=url, pool_size=2))
        try:
            fund, treasurer = _fund(svc, "runs")
            for name, dry_run in (("dry run", True), ("real run", False), ("re-import", False)):
                prepared = imports.prepare(path, path.name, imports.layout_of("sovang"))
                svc.runner.catch_up()
                started, cpu = time.perf_counter(), time.process_time()
                report = imports.run(svc, treasurer, fund, prepared, dry_run=dry_run)
                seconds = time.perf_counter() - started
                cpu = time.process_time() - cpu
                print(
                    f"{name}: {n:,} rows in {seconds:.2f} s, {n / seconds:,.0f} rows/s, "
                    f"{cpu:.2f} s of this process's CPU "
                    f"(recorded {report.recorded:,}, already recorded {report.duplicates:,})",
                    flush=True,
                )
        finally:
            svc.close()


if __name__ == "__main__":
    main()
