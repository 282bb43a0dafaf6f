"""Server-rendered HTML in Vietnamese, small, working without JavaScript, readable on a
phone: the public pages (công khai), which anyone can read without an account, and the
inspector pages (thanh tra), behind a login with an API token."""

from __future__ import annotations

from flask import Flask

from service.api.errors import answer_as_pages
from service.pages import access, inspector, public


def init_app(app: Flask) -> None:
    app.register_blueprint(public.bp)
    access.init_app(app)
    app.register_blueprint(inspector.bp)
    answer_as_pages(app, public.bp.name, inspector.bp.name)
