"""Photos as evidence: a stage's evidence names a stored photo by its content, as
``sha256:`` and the 64 hex digits of the SHA-256 of the stored file. The reference is in
the stage's event, so the signed log covers the photo: a file replaced afterwards no longer
has the digest its event names."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from service.domain.errors import InvalidInput
from service.domain.text import required_name

PREFIX = "sha256:"
#: How many evidence references (photos or papers) one stage or delivery holds.
MAX_EVIDENCE = 50
_REFERENCE = re.compile(r"sha256:([0-9a-f]{64})")
_DIGEST = re.compile(r"[0-9a-f]{64}")


def reference(digest: str) -> str:
    """The evidence reference of the photo whose stored file has this SHA-256."""
    return PREFIX + digest


def is_digest(text: str) -> bool:
    """Whether ``text`` is a SHA-256 in lower-case hex, as photos are named."""
    return _DIGEST.fullmatch(text) is not None


def normalised(item: str) -> str:
    """A photo's reference written the one way it is kept (``sha256:`` and lower-case hex),
    however it was typed; other evidence as it was given."""
    match = _REFERENCE.fullmatch(item.strip().lower())
    return reference(match.group(1)) if match else item


def digests(evidence: Iterable[str]) -> list[str]:
    """The photos a stage's evidence names, in order, each once; other evidence (a paper's
    number, an older free reference) is not a photo."""
    found: list[str] = []
    for item in evidence:
        match = _REFERENCE.fullmatch(item.strip().lower())
        if match and match.group(1) not in found:
            found.append(match.group(1))
    return found


def evidence(field: str, given: Sequence[str], *, required: bool = False) -> list[str]:
    """The evidence of a stage or a delivery as it is recorded: at most ``MAX_EVIDENCE``
    names of papers or photos, each photo's reference written the one way it is kept."""
    if len(given) > MAX_EVIDENCE:
        raise InvalidInput(field, f"Chỉ được ghi tối đa {MAX_EVIDENCE} mục.")
    if required and not given:
        raise InvalidInput(
            field, "Hãy ghi ít nhất một chứng cứ: mã ảnh đã tải lên hoặc số giấy tờ."
        )
    return [normalised(required_name(field, text, max_length=200)) for text in given]
