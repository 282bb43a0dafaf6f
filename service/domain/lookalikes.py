"""Names compared as a reader sees them: by their confusable skeleton (Unicode TR39), so
that "Nguyễn Văn Аn" with a Cyrillic "А" is the same name as with a Latin "A".

The confusable pairs are Unicode's own (confusables.txt, as the ``confusable_homoglyphs``
package ships it). TR39 maps each confusable character to a prototype; two characters
are confusable when they map to the same one, so the pairs group characters into classes,
and a character's skeleton here is the smallest code point of its class. Mappings to
several characters ("m" to "rn") are left out: they would make distinct Vietnamese
letters alike ("ơ" to "o'", "đ" to "d̵"), and no single-letter substitution needs them.

Diacritics stay: names are decomposed (NFKD) and each combining mark is a character of
its own, so "Lê" and "Le", or "Bình" and "Binh", keep distinct skeletons, while "ô" typed
with a look-alike mark is caught. Invisible characters are dropped first.
"""

from __future__ import annotations

import unicodedata
from functools import cache

from confusable_homoglyphs.confusables import confusables_data

from service.domain.text import normalise

#: Marks the data keeps around right-to-left characters; they belong to no character.
_DIRECTION_MARKS = str.maketrans("", "", "\u200e\u200f")


@cache
def _prototypes() -> dict[str, str]:
    """Each confusable character's class representative (its smallest code point)."""
    parent: dict[str, str] = {}

    def root(ch: str) -> str:
        while parent.setdefault(ch, ch) != ch:
            parent[ch] = parent[parent[ch]]
            ch = parent[ch]
        return ch

    for source, homoglyphs in confusables_data.items():
        first = source.translate(_DIRECTION_MARKS)
        if len(first) != 1:
            continue
        for homoglyph in homoglyphs:
            second = str(homoglyph["c"]).translate(_DIRECTION_MARKS)
            if len(second) != 1:
                continue
            a, b = root(first), root(second)
            if a != b:
                parent[max(a, b)] = min(a, b)
    return {ch: root(ch) for ch in list(parent) if root(ch) != ch}


def skeleton(name: str) -> str:
    """``name`` as look-alike names share it: invisible characters dropped, decomposed
    (NFKD, so full-width letters are plain ones), punctuation as spaces, case folded, each
    character replaced by its class's."""
    prototypes = _prototypes()
    decomposed = unicodedata.normalize("NFKD", normalise(name))
    kept = "".join(ch if ch.isalnum() or unicodedata.combining(ch) else " " for ch in decomposed)
    # Letters of other scripts are mapped before case is folded, since a capital and its
    # small letter can look like different Latin letters (Cyrillic "В" like "B", "в" like
    # "ʙ"); Latin ones after, so that "LINH" and "Linh" stay one name ("I" looks like "l").
    foreign = "".join(ch if _latin(ch) else prototypes.get(ch, ch) for ch in kept)
    folded = unicodedata.normalize("NFKD", foreign.casefold())
    mapped = "".join(prototypes.get(ch, ch) for ch in folded)
    return " ".join(mapped.split())


def _latin(ch: str) -> bool:
    return (
        ch.isascii()
        or unicodedata.combining(ch) != 0
        or unicodedata.name(ch, "").startswith("LATIN")
    )


def latin_twins(name: str) -> str:
    """``name`` with each letter of another script (Cyrillic "а", Greek "ο") that looks
    like a Latin letter replaced by that letter, and everything else kept: how a name is
    compared with the indexes made before skeletons, which folded diacritics away."""
    prototypes = _prototypes()
    twins = []
    for ch in unicodedata.normalize("NFKD", normalise(name)):
        prototype = prototypes.get(ch)
        if (
            prototype is not None
            and prototype.isascii()
            and prototype.isalpha()
            and not unicodedata.name(ch, "").startswith("LATIN")
        ):
            twins.append(prototype)
        else:
            twins.append(ch)
    return unicodedata.normalize("NFC", "".join(twins))
