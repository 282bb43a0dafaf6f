"""A photo of a house stage as a caller may read it: the board's copy (where and when it
was taken) for those who reach a house it shows, the public copy once a stage names it."""

from __future__ import annotations

from service.adapters.db import Transaction
from service.application.roles import CASE_WRITERS
from service.domain import photos
from service.domain.errors import Forbidden, PhotoNotFound
from service.projections import grants as grant_view
from service.projections import houses as house_view
from service.reads import require_reach
from service.web.context import actor


def _missing(digest: str) -> PhotoNotFound:
    return PhotoNotFound(
        "Không có ảnh nào với mã này, hoặc chưa giai đoạn nào ghi ảnh này làm chứng cứ. "
        "Hãy kiểm tra lại mã ảnh.",
        photo=photos.reference(digest),
    )


def require_board_reach(tx: Transaction, digest: str) -> None:
    """Refuses unless the caller reaches a house whose stage, or a grant whose delivery,
    names the photo; a photo nothing names yet is shown only to those who upload photos
    (to check it before use)."""
    if not photos.is_digest(digest):
        raise _missing(digest)
    cases = [*house_view.naming_photo(tx, digest), *grant_view.naming_photo(tx, digest)]
    if not cases:
        if actor().role in CASE_WRITERS:
            return
        raise _missing(digest)
    refused: Forbidden | None = None
    for case in cases:
        try:
            require_reach(tx, case["unit_id"])
            return
        except Forbidden as error:
            refused = error
    assert refused is not None
    raise refused


def require_public(tx: Transaction, digest: str) -> None:
    """Refuses a photo that no recorded stage names: only evidence is published."""
    if not photos.is_digest(digest) or not house_view.naming_photo(tx, digest):
        raise _missing(digest)
