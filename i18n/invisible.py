"""Invisible characters removed from what users type into shared text (practice notes, tags, collection
names and descriptions, headnotes).

Why: these characters show nothing, yet change what a reader sees or what a search matches. A bidi
override (U+202E) makes "Bail refused" display backwards in another district's list; a zero-width space
(U+200B), a word joiner (U+2060), a soft hyphen (U+00AD), a left-to-right mark (U+200E) or a tag
character (U+E0041) pasted from a word processor or a web page makes "bail" and "b\u2060ail" two
different tags that look the same and hides a word from search; control characters (C0, DEL, C1) break
exports and the printed file. They are removed on input, so what is stored is what everyone sees.

The rule, not a list: every Unicode *format* character (general category Cf) and every *control*
character (Cc) goes, whatever Unicode version added it, so a new invisible mark is not missed. Kept:

- ZWNJ (U+200C) and ZWJ (U+200D): they choose the joined or separate letter forms of Urdu letters (a
  compound whose parts must not join, a letter shown in its joining form): removing them changes how a
  word is written.
- The Arabic signs that are drawn (U+0600-U+0605 number and year signs, U+06DD end of ayah, U+08E2
  disputed end of ayah): category Cf, yet visible, and part of a quoted reference.
- In multi-line fields (``multiline=True``): ``\\n`` and ``\\t``. The Unicode line and paragraph
  separators (U+2028, U+2029) become ``\\n`` there; in one-line fields (names, tags) they become a
  space, and so do ``\\t``, ``\\n`` and the other whitespace controls: "Bail in<TAB>narcotics" stays
  three words (callers collapse runs of spaces).

Shape: ``strip_invisible(text, multiline=False) -> str``; never raises; ``None`` is not accepted.
"""

from __future__ import annotations

import unicodedata

REMOVED_CATEGORIES = frozenset({"Cf", "Cc"})
# Format characters kept, each with the reason it stays.
KEPT_FORMAT: dict[str, str] = {
    "\u200c": "zero-width non-joiner: Urdu letter forms",
    "\u200d": "zero-width joiner: Urdu letter forms",
    **{chr(c): "Arabic number sign (drawn)" for c in range(0x0600, 0x0606)},
    "\u06dd": "Arabic end of ayah (drawn)",
    "\u08e2": "Arabic disputed end of ayah (drawn)",
}
KEPT_IN_MULTILINE = frozenset("\n\t")
LINE_SEPARATORS = frozenset("\u2028\u2029")


def _replacement(char: str, multiline: bool) -> str | None:
    """What ``char`` becomes; None keeps it as it is."""
    if char in LINE_SEPARATORS:
        return "\n" if multiline else " "
    if not multiline and char.isspace() and unicodedata.category(char) == "Cc":
        return " "
    if char in KEPT_FORMAT or (multiline and char in KEPT_IN_MULTILINE):
        return None
    return "" if unicodedata.category(char) in REMOVED_CATEGORIES else None


def strip_invisible(text: str, multiline: bool = False) -> str:
    """``text`` without format (Cf) and control (Cc) characters, except those of :data:`KEPT_FORMAT`;
    ``multiline`` keeps ``\\n`` and ``\\t``; in one-line text they (and U+2028/U+2029) become a space. In
    multi-line text a ``\\r`` is removed: callers normalise ``\\r\\n`` to ``\\n`` first."""
    out: list[str] = []
    for char in text:
        replaced = _replacement(char, multiline)
        out.append(char if replaced is None else replaced)
    return "".join(out)
