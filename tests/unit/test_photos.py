"""A photo from a phone is kept upright, small enough and by its content; the board's copy
keeps where and when it was taken, the public copy keeps nothing the camera wrote."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from PIL import Image

from service.adapters import images
from service.adapters.photo_store import FilesystemPhotoStore
from service.domain import photos
from service.domain.errors import InvalidInput
from tests.photos import SERIAL, TAKEN_AT, phone_photo


def test_a_phone_photo_is_turned_upright_made_smaller_and_keeps_only_place_and_time() -> None:
    kept = images.prepare(phone_photo())
    image = Image.open(io.BytesIO(kept.data))
    assert image.format == "JPEG"
    assert (image.width, image.height) == (kept.width, kept.height) == (1067, 1600)
    taken = images.taken(kept.data)
    assert taken.at == TAKEN_AT
    assert taken.latitude == pytest.approx(16.75)
    assert taken.longitude == pytest.approx(107.19)
    assert SERIAL.encode() not in kept.data


def test_the_public_copy_has_no_place_no_time_and_the_same_picture() -> None:
    kept = images.prepare(phone_photo()).data
    public = images.public_copy(kept)
    assert images.taken(public) == images.Taken(None, None, None)
    assert not Image.open(io.BytesIO(public)).getexif()
    assert Image.open(io.BytesIO(public)).size == Image.open(io.BytesIO(kept)).size


@pytest.mark.parametrize(
    "sent",
    [b"", b"not a photo", b"GIF89a" + bytes(100), phone_photo(40, 40)[:200]],
    ids=["empty", "text", "gif", "cut short"],
)
def test_what_is_not_a_readable_photo_is_refused_on_the_photo_field(sent: bytes) -> None:
    with pytest.raises(InvalidInput) as refused:
        images.prepare(sent)
    assert refused.value.field == "photo"
    assert "Hãy" in str(refused.value)


def test_a_photo_bomb_is_refused_before_it_is_decoded() -> None:
    out = io.BytesIO()
    Image.new("1", (9000, 9000)).save(out, "PNG")
    with pytest.raises(InvalidInput, match="quá lớn"):
        images.prepare(out.getvalue())


def test_photos_are_kept_by_their_content_once(tmp_path: Path) -> None:
    store = FilesystemPhotoStore(tmp_path)
    data = images.prepare(phone_photo()).data
    digest = store.put(data)
    assert digest == hashlib.sha256(data).hexdigest() == store.put(data)
    assert store.get(digest) == data
    assert store.has(digest)
    assert store.get("0" * 64) is None
    assert len(list(tmp_path.rglob("*.jpg"))) == 1


def test_a_stage_names_its_photos_by_reference_among_other_evidence() -> None:
    digest = "ab" * 32
    evidence = ["Biên bản số 12", photos.reference(digest), f"  SHA256:{digest.upper()} "]
    assert photos.digests(evidence) == [digest]
    assert photos.digests(["sha256:xyz", "IMG-0001"]) == []
