"""Photos of house stages: uploaded from the phone (made upright, smaller, and kept by
content), then named in a stage's evidence; the board's copy read back with where and
when it was taken."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, request

from service.api.operation import operation
from service.api.schemas import PhotoOut
from service.application import photos
from service.reads import fresh
from service.reads.photos import require_board_reach
from service.web.context import actor, services
from service.web.errors import BadRequest
from service.web.photos import photo_answer

bp = Blueprint("photos", __name__)
#: Photos never change under their name: a browser may keep one for a year.
KEPT_FOR = 365 * 24 * 3600


@bp.post("/photos")
@operation(
    "Upload a photo of a house stage",
    tag="houses",
    response=PhotoOut,
    status=201,
    upload="photo",
    errors=(400, 401, 403, 413, 422),
)
def upload_photo() -> tuple[dict[str, Any], int]:
    """Keeps the JPEG, PNG or WebP sent as the multipart field ``photo``: turned upright,
    at most 1600 pixels a side, with only where and when it was taken. Answers its
    ``reference``, to name in a stage's ``evidence``; the same photo sent twice is kept
    once, under the same reference."""
    svc = services()
    request.max_content_length = svc.config.max_photo_bytes
    sent = request.files.get("photo")
    if sent is None:
        raise BadRequest(
            "Hãy gửi ảnh trong trường “photo” của biểu mẫu multipart/form-data.",
            {"photo": ["Cần một ảnh JPEG, PNG hoặc WebP."]},
        )
    kept = photos.keep(svc.photos, actor(), sent.read())
    return {
        "digest": kept.digest,
        "reference": kept.reference,
        "width": kept.width,
        "height": kept.height,
    }, 201


@bp.get("/photos/<digest>")
@operation("Read a photo of a house stage", tag="houses", errors=(401, 403, 404, 503))
def get_photo(digest: str) -> Response:
    """The stored photo (JPEG), with where and when it was taken, for those who reach a
    house whose stage names it; the public pages show a copy without either."""
    with fresh({}) as (tx, _):
        require_board_reach(tx, digest)
    return photo_answer(digest, public=False)
