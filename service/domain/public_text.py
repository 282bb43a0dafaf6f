"""What the public statement shows of a receipt's memo, and what its search may find.

A memo is written by the donor or by their bank (``... CT tu 0123456789 TRAN THI BINH
toi 0011001932418 ...``): it carries account numbers and the sender's name. Shown to
everyone, it would undo what the statement hides elsewhere, so:

- every run of six or more digits (an account or card number) keeps its last three
  digits only, the others written ``*``;
- a person's name in the memo is shortened as the donor column shortens it
  ("TRAN THI BINH" → "Trần T. B.");
- the memo of an anonymous gift is not shown at all: nothing tells which of its words
  name the donor, and their choice to stay anonymous holds in the memo as well.

The public search looks only at what is shown, so searching a full name never confirms
a donor shown shortened or not named.
"""

from __future__ import annotations

import functools
import re

from service.domain.text import fold, mask_digits, mask_name, normalise
from service.domain.vocabulary import DonorKind

#: A run of digits long enough to be an account, card or phone number.
_ACCOUNT_NUMBER = re.compile(r"\d{6,}")
#: Words and what lies between them.
_WORDS = re.compile(r"(\w+)")


def mask_account_numbers(text: str) -> str:
    """``text`` with every run of six or more digits masked but for its last three."""
    return _ACCOUNT_NUMBER.sub(lambda found: mask_digits(found.group(0)), text)


def shorten_name_in(text: str, name: str) -> str:
    """``text`` with each occurrence of the person's ``name`` (any case, with or without
    diacritics, whatever lies between its words) shortened as ``mask_name`` does."""
    wanted = _folded_words(name)
    if not wanted:
        return text
    # Each word of the text folds to a part of the whole text folded: a text without one
    # of the name's words cannot hold the name (most memos, read once).
    whole = fold(text)
    if any(word not in whole for word in wanted):
        return text
    parts = _WORDS.split(text)
    # Words are at the odd indexes of ``parts``; what separates them at the even ones.
    words = list(range(1, len(parts), 2))
    folded = tuple(fold(parts[i]) for i in words)
    shown = mask_name(name)
    found = 0
    while found + len(wanted) <= len(words):
        if folded[found : found + len(wanted)] == wanted:
            window = words[found : found + len(wanted)]
            parts[window[0]] = shown
            for i in window[1:]:
                parts[i] = ""
            for between in range(window[0] + 1, window[-1]):
                if between % 2 == 0:
                    parts[between] = ""
            found += len(wanted)
        else:
            found += 1
    return "".join(parts)


@functools.lru_cache(maxsize=4096)
def _folded_words(name: str) -> tuple[str, ...]:
    """The words of a name as ``fold`` gives them (a donor's name recurs: kept a while)."""
    return tuple(fold(word) for word in normalise(name).split(" ") if word)


def public_memo(memo: str | None, donor_name: str | None, donor_kind: str) -> str | None:
    """The memo as the public statement shows it (see the module's rules)."""
    if not memo or donor_kind == DonorKind.ANONYMOUS:
        return None
    if donor_name and donor_kind == DonorKind.INDIVIDUAL:
        memo = shorten_name_in(memo, donor_name)
    return mask_account_numbers(memo)


def public_donor(donor_name: str | None, donor_kind: str) -> str | None:
    """The donor as the public statement names them: a person shortened, an
    organisation in full, an anonymous donor not at all."""
    if not donor_name or donor_kind == DonorKind.ANONYMOUS:
        return None
    if donor_kind == DonorKind.INDIVIDUAL:
        return mask_name(donor_name)
    return donor_name


def public_search_text(
    donor_name: str | None,
    donor_kind: str,
    memo: str | None,
    references: tuple[str | None, ...],
) -> str:
    """What the public search of a receipt compares against: only what is shown."""
    shown = (
        public_donor(donor_name, donor_kind),
        public_memo(memo, donor_name, donor_kind),
        *references,
    )
    return fold(" ".join(part for part in shown if part))
