"""Invisible characters removed from what users type into shared text (practice notes, tags, collection
names and descriptions, headnotes).

Why: these characters show nothing, yet change what a reader sees or what a search matches. A bidi
override (U+202E) makes "Bail refused" display backwards in another district's list; a zero-width space
(U+200B) or a byte-order mark (U+FEFF) pasted from a word processor makes "bail" and "b\u200bail" two
different tags and hides a word from search; control characters (C0, DEL, C1) break exports and the
printed file. They are removed on input, so what is stored is what everyone sees.

What stays: ZWNJ (U+200C) and ZWJ (U+200D) choose the joined or separate letter forms of Urdu letters
(a compound whose parts must not join, a letter shown in its joining form): removing them changes how a
word is written. Line breaks and
tabs stay in multi-line fields (``multiline=True``); in one-line fields (names, tags) they are removed too.

Shape: ``strip_invisible(text, multiline=False) -> str``; never raises; ``None`` is not accepted.
"""

from __future__ import annotations

import re

# The characters, as data: (first, last) code point ranges, each with the reason it goes.
INVISIBLE_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x0000, 0x001F, "C0 control characters (\\n and \\t kept in multi-line fields)"),
    (0x007F, 0x009F, "DEL and the C1 control characters"),
    (0x200B, 0x200B, "zero-width space"),
    (0x202A, 0x202E, "bidi embeddings and overrides (LRE, RLE, PDF, LRO, RLO)"),
    (0x2066, 0x2069, "bidi isolates (LRI, RLI, FSI, PDI)"),
    (0xFEFF, 0xFEFF, "byte-order mark / zero-width no-break space"),
)
KEPT_IN_MULTILINE = frozenset("\n\t")


def _pattern(keep: frozenset[str]) -> re.Pattern[str]:
    parts = "".join(f"\\U{first:08x}-\\U{last:08x}" for first, last, _ in INVISIBLE_RANGES)
    if not keep:
        return re.compile(f"[{parts}]")
    kept = "".join(f"\\U{ord(c):08x}" for c in sorted(keep))
    return re.compile(f"(?![{kept}])[{parts}]")


_ONE_LINE = _pattern(frozenset())
_MULTILINE = _pattern(KEPT_IN_MULTILINE)


def strip_invisible(text: str, multiline: bool = False) -> str:
    """``text`` without the characters of :data:`INVISIBLE_RANGES`; ``multiline`` keeps ``\\n`` and
    ``\\t``. ZWNJ and ZWJ (Urdu letter forms) are always kept. A ``\\r`` is removed: callers normalise
    ``\\r\\n`` to ``\\n`` first."""
    return (_MULTILINE if multiline else _ONE_LINE).sub("", text)
