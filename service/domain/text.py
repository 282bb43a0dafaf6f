"""Vietnamese text as the service stores it: NFC, trimmed, single-spaced, without
invisible characters (zero-width spaces and joiners, bidirectional controls); identity
numbers in ASCII digits."""

from __future__ import annotations

import functools
import unicodedata

from service.domain.errors import InvalidInput


def visible(text: str) -> str:
    """``text`` without the invisible format characters (Unicode category Cf): zero-width
    spaces and joiners, the byte-order mark, soft hyphens and the bidirectional controls
    (U+200E/F, U+202A-E, U+2066-9, U+061C). They change no letter a reader sees, so two
    names that differ only by them are the same name."""
    if text.isascii():
        return text
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


#: Texts remembered by ``normalise`` and ``fold``: an import reads each memo, name and word
#: several times (the line's identity, the sender, the masking, the donor), within a
#: thousand lines of each other.
_REMEMBERED = 8192


@functools.lru_cache(maxsize=_REMEMBERED)
def normalise(text: str) -> str:
    """The NFC form of ``text`` without invisible characters, with runs of white space
    collapsed to one space."""
    if text.isascii():
        # ASCII is NFC and holds no format character: most of a bank file's text.
        return " ".join(text.split())
    return " ".join(unicodedata.normalize("NFC", visible(text)).split())


def ascii_digits(text: str) -> str:
    """``text`` with every decimal digit, whatever its script (full-width "０", Arabic-Indic
    "٠", Devanagari "०"...), as its ASCII digit, after NFKC; other characters kept."""
    folded = unicodedata.normalize("NFKC", visible(text))
    if folded.isascii():
        return folded
    return "".join(
        str(unicodedata.decimal(ch)) if unicodedata.decimal(ch, None) is not None else ch
        for ch in folded
    )


def required_name(field: str, text: str, *, max_length: int = 200) -> str:
    """A normalised, non-empty name of bounded length."""
    name = normalise(text)
    if not name:
        raise InvalidInput(field, "Cần có tên. Hãy nhập tên.")
    if len(name) > max_length:
        raise InvalidInput(field, f"Tên dài tối đa {max_length} ký tự. Hãy viết ngắn lại.")
    return name


def required_text(field: str, text: str, *, max_length: int) -> str:
    """Normalised, non-empty prose of bounded length: each line as ``normalise`` makes it,
    paragraphs kept, with at most one blank line between them."""
    lines = [normalise(line) for line in unicodedata.normalize("NFC", visible(text)).splitlines()]
    kept: list[str] = []
    for line in lines:
        if line or (kept and kept[-1]):
            kept.append(line)
    prose = "\n".join(kept).strip()
    if not prose:
        raise InvalidInput(field, "Cần nhập nội dung này.")
    if len(prose) > max_length:
        raise InvalidInput(field, f"Nội dung dài tối đa {max_length} ký tự. Hãy viết ngắn lại.")
    return prose


@functools.lru_cache(maxsize=4096)
def mask_name(name: str) -> str:
    """A person's name as shown to readers without the right to see it: the family name
    in full and the other names as initials ("Nguyễn Văn An" → "Nguyễn V. A.")."""
    family, *others = normalise(name).split(" ")
    return " ".join([family, *(f"{other[0]}." for other in others)])


def mask_digits(digits: str, shown: int = 3) -> str:
    """An ID or phone number with all but its last ``shown`` digits hidden."""
    return "*" * max(len(digits) - shown, 0) + digits[-shown:]


def _without_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


#: Each precomposed Latin letter (all of Vietnamese's among them) as its bare letter, so
#: that most text is folded by one ``str.translate`` rather than character by character.
_BARE_LETTERS = {
    code: _without_marks(chr(code))
    for block in (range(0xC0, 0x250), range(0x1E00, 0x1F00))
    for code in block
    if _without_marks(chr(code)) != chr(code)
} | {ord("đ"): "d", ord("Đ"): "D"}


@functools.lru_cache(maxsize=_REMEMBERED)
def fold(text: str) -> str:
    """Text as searches compare it: without diacritics (đ as d), lower case and
    single-spaced, so "NGUYEN VAN AN" finds "Nguyễn Văn An"."""
    bare = text.translate(_BARE_LETTERS)
    if not bare.isascii():
        bare = _without_marks(bare)
    return " ".join(bare.casefold().split())
