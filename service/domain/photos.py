"""Photos as evidence: a stage's evidence names a stored photo by its content, as
``sha256:`` and the 64 hex digits of the SHA-256 of the stored file. The reference is in
the stage's event, so the signed log covers the photo: a file replaced afterwards no longer
has the digest its event names."""

from __future__ import annotations

import re
from collections.abc import Iterable

PREFIX = "sha256:"
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
