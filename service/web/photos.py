"""A photo as an HTTP answer, for the API and the pages alike: a JPEG named by its digest,
which never changes under that name."""

from __future__ import annotations

from flask import Response

from service.adapters import images
from service.domain import photos
from service.domain.errors import PhotoNotFound
from service.web.context import services


def photo_answer(digest: str, *, public: bool) -> Response:
    """The stored photo (for the board: where and when it was taken) or its public copy
    (neither); 404 when the store no longer holds a photo the log names."""
    data = services().photos.get(digest)
    if data is None:
        raise PhotoNotFound(
            "Sổ có ghi ảnh này nhưng kho ảnh không còn tệp của nó. Hãy báo quản trị viên "
            "chạy “sovang audit verify” và khôi phục kho ảnh từ bản sao lưu.",
            photo=photos.reference(digest),
        )
    answer = Response(images.public_copy(data) if public else data, mimetype="image/jpeg")
    answer.set_etag(digest)
    answer.headers["Content-Disposition"] = f'inline; filename="{digest[:16]}.jpg"'
    return answer
