"""The HTTP API: one blueprint per resource under /api/v1, errors as problem+json."""

from __future__ import annotations

from flask import Flask, Response, g

from service.api import (
    approvals,
    audit,
    donors,
    errors,
    funds,
    health,
    imports,
    log,
    openapi,
    pledges,
    public,
    statement,
    supervision,
    units,
)

PREFIX = "/api/v1"


def init_app(app: Flask) -> None:
    errors.init_app(app)
    app.register_blueprint(health.bp)
    app.register_blueprint(openapi.bp)
    app.register_blueprint(units.bp, url_prefix=PREFIX)
    app.register_blueprint(funds.bp, url_prefix=PREFIX)
    app.register_blueprint(approvals.bp, url_prefix=PREFIX)
    app.register_blueprint(pledges.bp, url_prefix=PREFIX)
    app.register_blueprint(imports.bp, url_prefix=PREFIX)
    app.register_blueprint(statement.bp, url_prefix=PREFIX)
    app.register_blueprint(donors.bp, url_prefix=PREFIX)
    app.register_blueprint(audit.bp, url_prefix=PREFIX)
    app.register_blueprint(log.bp, url_prefix=PREFIX)
    app.register_blueprint(public.bp, url_prefix=PREFIX)
    app.register_blueprint(supervision.bp, url_prefix=PREFIX)

    @app.after_request
    def echo_request_id(response: Response) -> Response:
        if g.get("request_id"):
            response.headers["X-Request-Id"] = g.request_id
        return response
