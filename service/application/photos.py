"""Photos of house stages and grant deliveries: kept by content before an event names
them, and checked against the log: every photo an event names must still be the file it
named.

A photo is uploaded first (``keep``) and named by its digest; the stage's (or the
delivery's) event then carries ``sha256:<digest>`` in its evidence, so the signed log
covers the photo.
``check`` is the part of ``sovang audit verify`` that reads the photos back."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from eventsourcing.utils import get_topic

from service.adapters import images
from service.adapters.photo_store import PhotoStore
from service.application.process import Process
from service.application.roles import CASE_WRITERS
from service.domain import photos
from service.domain.actors import Actor
from service.domain.errors import Forbidden
from service.domain.grants import LivelihoodGrant
from service.domain.houses import HouseProject
from service.domain.logfile import Verification
from service.domain.vocabulary import Stage
from service.domain.words import word

#: The stored events read at once when the photos are checked.
PAGE = 1000


@dataclass(frozen=True)
class KeptPhoto:
    digest: str
    reference: str
    width: int
    height: int


def keep(store: PhotoStore, actor: Actor, data: bytes) -> KeptPhoto:
    """Makes the uploaded photo fit to keep (images.prepare) and keeps it by content; only
    those who record house stages may upload."""
    if actor.role not in CASE_WRITERS:
        raise Forbidden(
            "Chỉ thủ quỹ hoặc quản trị được tải ảnh chứng cứ lên. "
            "Hãy nhờ thủ quỹ của đơn vị tải ảnh và ghi giai đoạn."
        )
    prepared = images.prepare(data)
    digest = store.put(prepared.data)
    return KeptPhoto(digest, photos.reference(digest), prepared.width, prepared.height)


def _what(event: Any) -> str:
    """What the event that names a photo records, in words."""
    if isinstance(event, HouseProject.StageReached):
        return f"giai đoạn “{word(Stage(event.stage))}” của nhà"
    return "lần trao hỗ trợ sinh kế"


def _named(services: Process) -> Iterator[tuple[int, str, str]]:
    """(position, what, digest) of every photo a stored event names (a house's stage, a
    grant's delivery), read from the event store itself (not a read model), in order."""
    ledger = services.ledger
    topics = [get_topic(HouseProject.StageReached), get_topic(LivelihoodGrant.EvidenceAdded)]
    position = 0
    while page := ledger.recorder.select_notifications(
        start=position, limit=PAGE, topics=topics, inclusive_of_start=False
    ):
        for notification in page:
            event: Any = ledger.mapper.to_domain_event(notification)
            for digest in photos.digests(event.evidence):
                yield notification.id, _what(event), digest
        position = page[-1].id


def check(services: Process, found: Verification) -> None:
    """Reads back every photo the log names, counts them in ``found.photos`` and fails
    ``found`` at the first one missing or no longer the file its event named."""
    for position, what, digest in _named(services):
        data = services.photos.get(digest)
        found.photos += 1
        if data is None:
            found.fail(
                f"ảnh {photos.reference(digest)} của {what} (vị trí {position}) "
                "không còn trong kho ảnh: hãy khôi phục kho ảnh từ bản sao lưu",
                position,
            )
        elif hashlib.sha256(data).hexdigest() != digest:
            found.fail(
                f"ảnh {photos.reference(digest)} của {what} (vị trí {position}) "
                "đã bị thay: tệp trong kho ảnh không còn khớp mã băm mà sổ đã ghi",
                position,
            )
