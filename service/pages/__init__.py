"""Server-rendered HTML in Vietnamese, small, working without JavaScript, readable on a
phone: the public pages (công khai), which anyone can read without an account, and the
inspector pages (thanh tra) and the treasurers' pages (thủ quỹ), behind a login."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from flask import Flask

from service.pages import (
    access,
    accounts,
    giving,
    inspector,
    offline,
    public,
    questions,
    slips,
    treasurer,
)
from service.pages import committee as committee  # its pages join the public ones
from service.pages import follow_through as follow_through  # its pages join the inspector's
from service.pages import photos as photos  # its routes join the public and inspector pages
from service.pages import questions_board as questions_board  # its pages join the inspector's
from service.pages import thanks as thanks  # its pages join the inspector's
from service.web.errors import answer_as_pages
from service.web.guards import STYLE_HASHES

TEMPLATES = Path(__file__).resolve().parent / "templates"


def style_hashes() -> list[str]:
    """The SHA-256 of each inline style sheet of the pages' templates, as the
    Content-Security-Policy names them (so no 'unsafe-inline' is needed)."""
    found: set[str] = set()
    for template in sorted(TEMPLATES.rglob("*.html")):
        for sheet in re.findall(r"<style>(.*?)</style>", template.read_text("utf-8"), re.S):
            found.add(base64.b64encode(hashlib.sha256(sheet.encode()).digest()).decode())
    return sorted(found)


def init_app(app: Flask) -> None:
    app.config[STYLE_HASHES] = style_hashes()
    app.register_blueprint(public.bp)
    app.register_blueprint(questions.bp)
    app.register_blueprint(giving.bp)
    access.init_app(app)
    app.register_blueprint(inspector.bp)
    app.register_blueprint(offline.bp)
    app.register_blueprint(slips.bp)
    app.register_blueprint(accounts.bp)
    app.register_blueprint(treasurer.bp)
    answer_as_pages(
        app,
        public.bp.name,
        inspector.bp.name,
        slips.bp.name,
        questions.bp.name,
        accounts.bp.name,
        treasurer.bp.name,
        giving.bp.name,
    )
