"""The photos of house stages on the pages: the public house page with copies that carry
nothing the camera wrote, and the board's copies, with where and when each was taken."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from flask import Response, abort, render_template

from service.adapters import images
from service.domain import photos
from service.domain.errors import PhotoNotFound
from service.pages.access import bp as inspector
from service.pages.public import bp as public
from service.projections import houses as house_view
from service.projections import units as unit_view
from service.reads import fresh
from service.reads.photos import require_board_reach, require_public
from service.web.context import services
from service.web.photos import photo_answer


@dataclass(frozen=True)
class ShownPhoto:
    digest: str
    taken: images.Taken | None


def with_photos(stages: list[dict[str, Any]], *, board: bool) -> list[dict[str, Any]]:
    """Each stage with its photos apart from its other evidence; for the board, each photo
    with where and when it was taken."""
    store = services().photos
    shown = []
    for stage in stages:
        digests = photos.digests(stage["evidence"])
        named = {photos.reference(d) for d in digests}
        found = []
        for digest in digests:
            data = store.get(digest) if board else None
            found.append(ShownPhoto(digest, images.taken(data) if data else None))
        others = [item for item in stage["evidence"] if item not in named]
        shown.append({**stage, "photos": found, "other_evidence": others})
    return shown


@public.get("/nha/<uuid:project_id>")
def public_house(project_id: UUID) -> str:
    """A house's stages, each with the photos that show it."""
    with fresh({}) as (tx, _):
        project = house_view.get(tx, str(project_id))
        if project is None:
            abort(404)
        unit = unit_view.get(tx, project["unit_id"])
    return render_template(
        "house.html", house=project, unit=unit, stages=with_photos(project["stages"], board=False)
    )


@public.get("/anh/<digest>.jpg")
def public_photo(digest: str) -> Response:
    """A photo a recorded stage names, without where or when it was taken."""
    with fresh({}) as (tx, _):
        try:
            require_public(tx, digest)
        except PhotoNotFound:
            abort(404)
    return photo_answer(digest, public=True)


@inspector.get("/anh/<digest>.jpg")
def board_photo(digest: str) -> Response:
    """The photo as it was kept, with where and when it was taken."""
    with fresh({}) as (tx, _):
        require_board_reach(tx, digest)
    return photo_answer(digest, public=False)
