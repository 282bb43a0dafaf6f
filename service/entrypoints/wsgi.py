"""The web application as gunicorn and ``sovang serve`` run it: Flask meets the API, the
pages and the services here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from service.bootstrap import Services
from service.config import Config

if TYPE_CHECKING:
    from flask import Flask


def create_app(config: Config | None = None) -> Flask:
    """Builds the web application; nothing connects to a store until a request needs it."""
    from flask import Flask

    from service import api, pages, web
    from service.entrypoints.proxies import TrustedProxies
    from service.web.public_gate import PublicGate

    config = config or Config.from_env()
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = config.max_body_bytes
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.extensions["sovang"] = Services(config)
    gated = PublicGate(app.wsgi_app, config)
    app.wsgi_app = TrustedProxies(gated, config.trusted_proxies)  # type: ignore[method-assign]
    web.init_app(app)
    api.init_app(app)
    pages.init_app(app)
    return app
