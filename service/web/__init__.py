"""What the API and the pages both need of HTTP: the one mapping of errors to answers
(errors.py), the guards every request passes (guards.py, and public_gate.py in front of
the whole application), the request's services and signed-in actor (context.py), page
cursors (cursors.py) and the Vietnamese words shown for the closed vocabularies
(labels.py). The API and the pages import this package; it imports neither."""

from __future__ import annotations

from flask import Flask

from service.web import errors, guards


def init_app(app: Flask) -> None:
    """Maps every error to its answer and puts the guards around every request."""
    errors.init_app(app)
    guards.init_app(app)
