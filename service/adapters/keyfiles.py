"""Secret key files kept outside the database: made once, readable by their owner only,
never overwritten."""

from __future__ import annotations

import base64
import binascii
import os
import secrets
from pathlib import Path


class KeyFileUnavailable(Exception):
    """A key file is missing or holds no key."""


def write_random(path: Path, size: int = 32) -> None:
    """Writes ``size`` random bytes, base64-encoded, to a new file; never overwrites one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(base64.b64encode(secrets.token_bytes(size)).decode() + "\n")


def read_random(path: Path, command: str) -> bytes:
    """The bytes a key file holds; ``command`` is how an operator makes the file."""
    try:
        text = path.read_text(encoding="ascii").strip()
        return base64.b64decode(text, validate=True)
    except (OSError, UnicodeDecodeError, binascii.Error) as error:
        raise KeyFileUnavailable(
            f"Không đọc được khóa từ {path} ({error}); người vận hành tạo khóa bằng `{command}`."
        ) from None
