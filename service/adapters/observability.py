"""What operators watch: one JSON log line per request and Prometheus metrics.

A request's log line names its request id, method, route (the pattern, never the
values in the path), status, latency and the token's id: never a body, a query or a
name, so no personal data reaches the logs. Metrics are shared by every gunicorn
worker through prometheus_client's multiprocess mode when PROMETHEUS_MULTIPROC_DIR
is set (``sovang serve`` sets it).
"""

from __future__ import annotations

import logging
import os
import sys

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, multiprocess
from prometheus_client.registry import REGISTRY
from pythonjsonlogger.json import JsonFormatter

REQUESTS = Counter(
    "sovang_http_requests_total", "HTTP requests answered", ["method", "route", "status"]
)
LATENCY = Histogram(
    "sovang_http_request_seconds",
    "Time to answer an HTTP request",
    ["method", "route"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
POOL = Gauge(
    "sovang_db_pool_connections",
    "Read-model connections of the workers' pools, by state",
    ["state"],
    multiprocess_mode="livesum",
)

request_log = logging.getLogger("sovang.requests")


def configure_logging(level: str = "INFO") -> None:
    """Every record as one JSON object on stderr, with its extra fields."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        JsonFormatter(
            "{asctime}{levelname}{name}{message}",
            style="{",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)


def registry() -> CollectorRegistry:
    """The registry to expose: every worker's figures in multiprocess mode."""
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        collected = CollectorRegistry()
        multiprocess.MultiProcessCollector(collected)  # type: ignore[no-untyped-call]
        return collected
    return REGISTRY


def worker_exited(pid: int) -> None:
    """Forgets a dead worker's live gauges (its counters stay in the totals)."""
    multiprocess.mark_process_dead(pid)  # type: ignore[no-untyped-call]


def observe(method: str, route: str, status: int, seconds: float, **fields: object) -> None:
    REQUESTS.labels(method, route, str(status)).inc()
    LATENCY.labels(method, route).observe(seconds)
    request_log.info(
        "request",
        extra={
            "method": method,
            "route": route,
            "status": status,
            "latency_ms": round(seconds * 1000, 2),
            **fields,
        },
    )


def pool_usage(size: int, available: int, waiting: int) -> None:
    POOL.labels("open").set(size)
    POOL.labels("idle").set(available)
    POOL.labels("waiting").set(waiting)
