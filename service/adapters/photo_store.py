"""Where photos are kept: by content, each file named by the SHA-256 of its bytes, so the
same photo is kept once and a file that no longer hashes to its name has been replaced.

The store is the filesystem by default (``SOVANG_PHOTOS_PATH``). Another store fills the
same three methods: an S3-compatible one keeps each photo under the key
``photos/<digest>.jpg`` (``put_object`` with ``IfNoneMatch='*'``, ``get_object``,
``head_object``); docs/PHOTOS.md says how to plug it in."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Protocol


class PhotoStore(Protocol):
    def put(self, data: bytes) -> str:
        """Keeps ``data``; returns its SHA-256 (hex), which names it from then on."""
        ...

    def get(self, digest: str) -> bytes | None:
        """The bytes kept under ``digest`` as they are now (None when there are none)."""
        ...

    def has(self, digest: str) -> bool:
        """Whether something is kept under ``digest``."""
        ...


class FilesystemPhotoStore:
    """Photos under ``root``, in folders by the first two hex digits of their digest."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, digest: str) -> Path:
        return self.root / digest[:2] / f"{digest}.jpg"

    def put(self, data: bytes) -> str:
        digest = hashlib.sha256(data).hexdigest()
        target = self.path(digest)
        if target.exists():
            return digest
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as spooled:
            spooled.write(data)
            spooled.flush()
            os.fsync(spooled.fileno())
        os.replace(spooled.name, target)
        return digest

    def get(self, digest: str) -> bytes | None:
        try:
            return self.path(digest).read_bytes()
        except FileNotFoundError:
            return None

    def has(self, digest: str) -> bool:
        return self.path(digest).is_file()
