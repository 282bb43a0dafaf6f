"""The services of this process and the actor of this request, as a view or a page reads
them while it answers."""

from __future__ import annotations

from typing import cast

from flask import current_app, g

from service.bootstrap import Services
from service.domain.actors import Actor


def services() -> Services:
    return cast(Services, current_app.extensions["sovang"])


def actor() -> Actor:
    """Who makes this request: the API's bearer token, or the token of a page's session."""
    return cast(Actor, g.actor)
