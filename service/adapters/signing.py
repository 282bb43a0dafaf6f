"""The log's signing key: a file outside the database, readable by the service alone."""

from __future__ import annotations

import os
from pathlib import Path

from service.domain.notes import NoteError, Signer

#: The log's name in its checkpoints (their origin line) unless the operator names it.
DEFAULT_ORIGIN = "sovang.vn/log"


class SigningKeyUnavailable(Exception):
    """The service has no usable signing key, so it cannot sign checkpoints."""


def load(path: Path) -> Signer:
    try:
        text = path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as error:
        raise SigningKeyUnavailable(
            f"Không đọc được khóa ký nhật ký từ {path} ({error}); "
            "người vận hành tạo khóa bằng `sovang audit keygen`."
        ) from None
    try:
        return Signer.parse(text)
    except NoteError as error:
        raise SigningKeyUnavailable(f"Tệp {path} không chứa khóa ký: {error}") from None


def write(path: Path, signer: Signer) -> None:
    """Writes a new key file, readable by its owner only; never overwrites one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(f"{signer}\n")
