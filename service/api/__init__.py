"""The HTTP API: one blueprint per resource under /api/v1, errors as problem+json."""

from __future__ import annotations

import time

from flask import Flask, Response, g, request

from service.adapters.observability import observe
from service.api import (
    approvals,
    audit,
    bank_imports,
    books,
    campaigns,
    caretakers,
    committee_report,
    controls,
    disclosure,
    distributions,
    donors,
    emulation,
    exchange,
    follow_through,
    funds,
    giving,
    grants,
    health,
    households,
    houses,
    log,
    norms,
    openapi,
    people,
    photos,
    pledges,
    postings,
    poverty,
    public,
    public_statement,
    questions,
    selections,
    supervision,
    thanks,
    units,
)

PREFIX = "/api/v1"


def init_app(app: Flask) -> None:
    app.register_blueprint(health.bp)
    app.register_blueprint(openapi.bp)
    app.register_blueprint(units.bp, url_prefix=PREFIX)
    app.register_blueprint(funds.bp, url_prefix=PREFIX)
    app.register_blueprint(exchange.bp, url_prefix=PREFIX)
    app.register_blueprint(approvals.bp, url_prefix=PREFIX)
    app.register_blueprint(controls.bp, url_prefix=PREFIX)
    app.register_blueprint(pledges.bp, url_prefix=PREFIX)
    app.register_blueprint(bank_imports.bp, url_prefix=PREFIX)
    app.register_blueprint(public_statement.bp, url_prefix=PREFIX)
    app.register_blueprint(donors.bp, url_prefix=PREFIX)
    app.register_blueprint(books.bp, url_prefix=PREFIX)
    app.register_blueprint(postings.bp, url_prefix=PREFIX)
    app.register_blueprint(audit.bp, url_prefix=PREFIX)
    app.register_blueprint(log.bp, url_prefix=PREFIX)
    app.register_blueprint(public.bp, url_prefix=PREFIX)
    app.register_blueprint(disclosure.bp, url_prefix=PREFIX)
    app.register_blueprint(supervision.bp, url_prefix=PREFIX)
    app.register_blueprint(questions.bp, url_prefix=PREFIX)
    app.register_blueprint(follow_through.bp, url_prefix=PREFIX)
    app.register_blueprint(thanks.bp, url_prefix=PREFIX)
    app.register_blueprint(households.bp, url_prefix=PREFIX)
    app.register_blueprint(houses.bp, url_prefix=PREFIX)
    app.register_blueprint(photos.bp, url_prefix=PREFIX)
    app.register_blueprint(grants.bp, url_prefix=PREFIX)
    app.register_blueprint(people.bp, url_prefix=PREFIX)
    app.register_blueprint(giving.bp, url_prefix=PREFIX)
    app.register_blueprint(campaigns.bp, url_prefix=PREFIX)
    app.register_blueprint(caretakers.bp, url_prefix=PREFIX)
    app.register_blueprint(distributions.bp, url_prefix=PREFIX)
    app.register_blueprint(norms.bp, url_prefix=PREFIX)
    app.register_blueprint(selections.bp, url_prefix=PREFIX)
    app.register_blueprint(emulation.bp, url_prefix=PREFIX)
    app.register_blueprint(committee_report.bp, url_prefix=PREFIX)
    app.register_blueprint(poverty.bp, url_prefix=PREFIX)

    @app.before_request
    def start_clock() -> None:
        g.started = time.perf_counter()

    @app.after_request
    def echo_request_id_and_observe(response: Response) -> Response:
        if g.get("request_id"):
            response.headers["X-Request-Id"] = g.request_id
        actor = g.get("actor")
        observe(
            request.method,
            request.url_rule.rule if request.url_rule else "(no route)",
            response.status_code,
            time.perf_counter() - g.get("started", time.perf_counter()),
            request_id=g.get("request_id"),
            actor_id=actor.id if actor else None,
        )
        return response
