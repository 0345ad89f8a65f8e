"""Unit identity: when two written names are the same unit.

“UBND xã Hòa Bình” (new tone placement), “UBND xã Hoà Bình” (old placement), the same name typed
with two spaces, decomposed (NFD) by some editor, or in another case are one unit. ``unit_key`` is
the one comparison every reader uses; a file naming one unit twice under such variants is refused
as a near-duplicate rather than scored as two units.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# The five tone marks; the other diacritics (circumflex, breve, horn) belong to the vowel itself.
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
_WITHOUT_TONES = {ord(tone): None for tone in _TONES}


def unit_key(name: str) -> str:
    """A unit name reduced to what identifies it: NFC, inner spaces folded, case folded, and each
    word's tone mark moved to the end of the word (so “Hòa” and “Hoà” give one key).

    Word by word: decomposing (NFD) neither makes nor removes white space, and white space is never
    reordered with marks, so the words of the decomposed name are the decomposed words. A campaign's
    names share few distinct words (“UBND”, “xã”, “Hòa” …), each reduced once; ASCII words (numbers)
    only need their case folded."""
    return " ".join([word.lower() if word.isascii() else _word_key(word) for word in name.split()])


@lru_cache(maxsize=1 << 16)
def _word_key(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    tones = "".join(ch for ch in decomposed if ch in _TONES)
    return unicodedata.normalize("NFC", decomposed.translate(_WITHOUT_TONES) + tones).casefold()


def unit_clash(name: str, seen: dict[str, str]) -> str | None:
    """The name already ``seen`` (``{key: name as first written}``) that ``name`` is the same unit as,
    or ``None``; records ``name`` when it is new."""
    key = unit_key(name)
    if key in seen:
        return seen[key]
    seen[key] = name
    return None
