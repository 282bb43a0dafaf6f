"""Page cursors: opaque to a client, the key after which the next page starts."""

from __future__ import annotations

import base64


def encode_cursor(after: int | str) -> str:
    return base64.urlsafe_b64encode(str(after).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> str:
    """The key a cursor names; raises ValueError (binascii.Error, UnicodeDecodeError) when
    the text is no cursor this service made."""
    return base64.urlsafe_b64decode(cursor.encode() + b"==").decode()
