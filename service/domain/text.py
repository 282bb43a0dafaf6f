"""Vietnamese text as the service stores it: NFC, trimmed, single-spaced."""

from __future__ import annotations

import unicodedata

from service.domain.errors import InvalidInput


def normalise(text: str) -> str:
    """The NFC form of ``text`` with runs of white space collapsed to one space."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def required_name(field: str, text: str, *, max_length: int = 200) -> str:
    """A normalised, non-empty name of bounded length."""
    name = normalise(text)
    if not name:
        raise InvalidInput(field, "A name is required.")
    if len(name) > max_length:
        raise InvalidInput(field, f"The name must be at most {max_length} characters long.")
    return name
