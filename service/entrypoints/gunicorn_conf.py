"""gunicorn's settings for Sổ Vàng. `sovang serve` runs with them; a deployment may run
gunicorn itself with the same file:

    gunicorn -c python:service.entrypoints.gunicorn_conf 'service.entrypoints.wsgi:create_app()'

Settings come from the environment: SOVANG_BIND, SOVANG_WORKERS, SOVANG_THREADS.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from typing import Any

bind = os.environ.get("SOVANG_BIND", "127.0.0.1:8000")
#: Processes answering requests: two per core is a sane start on a small server.
workers = int(os.environ.get("SOVANG_WORKERS", str(2 * (os.cpu_count() or 1))))
worker_class = "gthread"
#: Requests each process answers at once; they mostly wait on the database.
threads = int(os.environ.get("SOVANG_THREADS", "4"))
timeout = 30
graceful_timeout = 10
#: Each request is logged as JSON by the application (request id, route, status,
#: latency, token id), not by gunicorn.
accesslog = None
preload_app = False
#: Several servers may run on one host (blue-green upgrades, tests).
control_socket_disable = True


def on_starting(server: Any) -> None:
    """Before any worker: the store must have every migration of this release, or the
    server does not start; every worker's metrics go to one directory, gathered by the
    worker that answers /metrics; it must be named before the metrics library loads."""
    from service.adapters import schema
    from service.adapters.db import StoreUrl
    from service.config import Config

    try:
        schema.check_store(StoreUrl.parse(Config.from_env().database_url))
    except (schema.StoreNotMigrated, schema.MigrationsMissing, schema.StoreUnreachable) as error:
        print(error, file=sys.stderr)
        raise SystemExit(1) from None
    if "PROMETHEUS_MULTIPROC_DIR" not in os.environ:
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="sovang-metrics-")
        os.environ["SOVANG_METRICS_DIR_MADE"] = "1"
    from service.adapters.observability import configure_logging

    configure_logging()


def post_worker_init(worker: Any) -> None:
    from service.adapters.observability import configure_logging

    configure_logging()


def child_exit(server: Any, worker: Any) -> None:
    from service.adapters.observability import worker_exited

    worker_exited(worker.pid)


def on_exit(server: Any) -> None:
    if os.environ.pop("SOVANG_METRICS_DIR_MADE", None):
        shutil.rmtree(os.environ["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)
