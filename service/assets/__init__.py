"""Files the service ships beside its code: the fonts its printed documents are set in."""

from pathlib import Path

FONTS = Path(__file__).resolve().parent / "fonts"
