"""Turn printed variants from the data files into tolerant regex fragments.

A variant such as ``S.C.M.R.`` or ``P Cr. L J`` is split into its letter/digit tokens; between tokens
we accept any short run of dots and spaces, so one listed variant covers ``SCMR``-style spacing and
punctuation damage (``S. C. M. R.``, ``S.C.M.R``) without listing each shape.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_TOKEN = re.compile(r"[^\W_]+|[()&'\-/]", re.UNICODE)
# between tokens that were separated in print: dots/spaces (bounded, so no backtracking blow-up)
_GAP = r"[.\s\u06d4]{0,3}"
# between tokens that were glued in print (e.g. "Cr" and "." in "Cr.P.C"): nothing or a dot/space
_TIGHT = r"\.?\s?"


def squash(text: str) -> str:
    """Lookup form of a printed variant: tokens only, lower-cased (``S. C. M. R.`` -> ``scmr``)."""
    return "".join(_TOKEN.findall(text)).lower()


def variant_pattern(variant: str) -> str:
    """Regex for one printed variant, tolerant of spacing and dots between its tokens."""
    parts: list[str] = []
    pos = 0
    for match in _TOKEN.finditer(variant):
        if parts:
            gap = variant[pos:match.start()]
            if not gap:
                parts.append(_TIGHT)
            elif gap.strip(". \u06d4") == "":
                parts.append(_GAP)
            else:
                parts.append(re.escape(gap))
        parts.append(re.escape(match.group()))
        pos = match.end()
    if variant.endswith("."):
        parts.append(r"\.?")
    return "".join(parts)


def alternation(variants: Iterable[str]) -> str:
    """Non-capturing alternation of variants, longest first so the fullest reading wins."""
    unique = sorted(set(variants), key=lambda v: (-len(squash(v)), v))
    return "(?:" + "|".join(variant_pattern(v) for v in unique) + ")"
