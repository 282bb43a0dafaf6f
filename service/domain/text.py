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


def mask_name(name: str) -> str:
    """A person's name as shown to readers without the right to see it: the family name
    in full and the other names as initials ("Nguyễn Văn An" → "Nguyễn V. A.")."""
    family, *others = normalise(name).split(" ")
    return " ".join([family, *(f"{other[0]}." for other in others)])
