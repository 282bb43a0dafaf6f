"""Liveness, readiness and metrics, for load balancers and monitoring."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flask import Blueprint, Response
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from service.adapters import schema
from service.adapters.db import StoreUnavailable
from service.adapters.observability import pool_usage, registry
from service.api.operation import operation
from service.projections.runner import ProjectionsLagging
from service.version import VERSION
from service.web.context import services

bp = Blueprint("health", __name__)


@bp.get("/healthz")
@operation("Liveness", tag="health", public=True)
def healthz() -> dict[str, Any]:
    """The process is up, and its release; it says nothing of the store."""
    return {"status": "ok", "version": VERSION}


@bp.get("/readyz")
@operation("Readiness", tag="health", public=True, errors=(503,))
def readyz() -> Any:
    """The store answers, has every migration of this release, and no projection lags
    the log by more than SOVANG_READY_MAX_LAG events; the projections' positions and lag."""
    try:
        schema.require_migrated(services().db)
        runner = services().runner
        head, positions = runner.head(), runner.positions()
    except (schema.StoreNotMigrated, schema.MigrationsMissing):
        raise
    except Exception as error:  # any failure to reach the store means not ready
        raise StoreUnavailable(str(error)) from error
    lag = {name: head - position for name, position in positions.items()}
    limit = services().config.ready_max_lag
    if max(lag.values(), default=0) > limit:
        raise ProjectionsLagging(lag, limit)
    return {"status": "ready", "head": head, "positions": positions, "lag": lag}


class ProjectionCollector(Collector):
    """Read at scrape time from the store, so every worker reports the same figures."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        runner = services().runner
        head = runner.head()
        yield GaugeMetricFamily(
            "sovang_log_head_position", "Position of the newest event", value=head
        )
        lag = GaugeMetricFamily(
            "sovang_projection_lag_events",
            "Events the projection has yet to apply",
            labels=["projection"],
        )
        for name, position in runner.positions().items():
            lag.add_metric([name], head - position)
        yield lag
        if services().on_standby:
            try:
                with services().public_db.transaction() as tx:
                    replayed = runner.position_in(tx)
            except StoreUnavailable:
                return  # no figure rather than a failed scrape; its absence is the alert
            yield GaugeMetricFamily(
                "sovang_standby_lag_events",
                "Events the hot standby's read models have yet to replay",
                value=head - replayed,
            )


@bp.get("/metrics")
@operation("Prometheus metrics", tag="health", public=True)
def metrics() -> Response:
    """Requests by route and status, their latency, the read-model pools, the log's head
    (its rate is the events written), each projection's lag and the hot standby's, in the
    Prometheus text format."""
    stats = services().db.pool_stats()
    if stats is not None:
        pool_usage(*stats)
    projections = CollectorRegistry()
    projections.register(ProjectionCollector())
    return Response(
        generate_latest(registry()) + generate_latest(projections),
        mimetype="text/plain; version=0.0.4",
    )
