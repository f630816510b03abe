"""Page furniture: running headers, footers and page numbers removed before extraction, pages joined.

A judgment's text layer repeats a header on every page (``Crl. Appeal No. 654/2023``, ``Jail Petition
No.559/2017``) next to a page number (``- 2 -``, ``-: 2 :-``, ``Page 2 of 13``, ``2``). Read as text they
split references across pages (``section 382-B`` / header / ``Cr.P.C.``) and turn page numbers into
sections (``9`` at a page foot + ``Anti-Terrorism Act`` in the next page's title became ``ATA 9``).

``clean(text)`` returns the text with those lines removed (each removed block becomes one newline) and
a map from every character of the cleaned text back to the source, so references found in the cleaned
text keep spans into the source (``Reference.raw`` may then contain the furniture it spans).
Furniture: a line that is only a page number; a form feed; and a short line printed at least twice,
each time within two lines of a page boundary (a form feed or a page-number line).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

_PAGE_NO = re.compile(r"^[ \t]*(?:-[ \t]*:?[ \t]*\d{1,3}[ \t]*:?[ \t]*-"
                      r"|(?i:page)[ \t]+\d{1,3}(?:[ \t]+(?i:of)[ \t]+\d{1,3})?)[ \t]*$")
# a bare "7" or "[7]" is a page number only beside a form feed (elsewhere it may be a citation's page
# printed on its own line: "2010 SCMR" / "846")
_BARE_PAGE_NO = re.compile(r"^[ \t]*(?:\d{1,3}|\[\d{1,3}\])[ \t]*$")
_NEAR = 2  # lines from a page boundary a running header/footer may sit
_MAX_HEADER = 80


PAGE_JOINT = "\n\f\n"  # between pages of one document: a page break, as in text-layer extraction


def joined_pages(texts: Sequence[str]) -> tuple[str, list[int]]:
    """The pages as one text (``PAGE_JOINT`` between them, so ``clean`` sees the page boundaries) and the
    offset where each page starts."""
    starts: list[int] = []
    pos = 0
    for text in texts:
        starts.append(pos)
        pos += len(text) + len(PAGE_JOINT)
    return PAGE_JOINT.join(texts), starts


@dataclass(frozen=True, slots=True)
class CleanText:
    """``text`` without page furniture; ``origin[i]`` is the source offset of ``text[i]`` (one extra
    entry at the end maps ``len(text)`` to the source end)."""

    text: str
    origin: tuple[int, ...]

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        return self.origin[start], self.origin[end - 1] + 1 if end > start else self.origin[start]


def _furniture(lines: list[str]) -> set[int]:
    feeds = {i for i, line in enumerate(lines) if "\f" in line}
    boundary = feeds | {i for i, line in enumerate(lines) if _PAGE_NO.match(line.strip("\f\n"))}
    boundary |= {i for i, line in enumerate(lines) if _BARE_PAGE_NO.match(line.strip("\f\n"))
                 and any(abs(i - f) <= _NEAR for f in feeds)}
    if not boundary:
        return set()
    near = {j for i in boundary for j in range(i - _NEAR, i + _NEAR + 1) if 0 <= j < len(lines)}
    stripped = [" ".join(line.replace("\f", " ").split()) for line in lines]
    counts = Counter(s for i, s in enumerate(stripped) if i in near and 4 <= len(s) <= _MAX_HEADER)
    repeated = {s for s, n in counts.items() if n >= 2}
    return boundary | {i for i in near if stripped[i] in repeated}


def _gaps(lines: list[str], drop: set[int]) -> set[int]:
    """Dropped lines plus the blank lines around them: together they become one gap."""
    gaps = set(drop)
    for i in sorted(drop):
        for step in (-1, 1):
            j = i + step
            while 0 <= j < len(lines) and j not in gaps and not lines[j].strip(" \t\r\n\f"):
                gaps.add(j)
                j += step
    return gaps


def _close_gap(pieces: list[str], origin: list[int], gap_start: int, feed: int | None) -> None:
    """A gap becomes ``\\f\\n`` when it held a page break (so the text reads ``line\\n\\f\\nline`` as a
    text layer prints a page break), else one newline (a blank line)."""
    if feed is not None:
        pieces.append("\f\n")
        origin.extend((feed, feed))
    else:
        pieces.append("\n")
        origin.append(gap_start)


def clean(text: str) -> CleanText | None:
    """The text without page furniture, or None when it has none (the caller then uses ``text``)."""
    if "\f" not in text and "\n" not in text:
        return None
    lines = text.splitlines(keepends=True)
    drop = _furniture(lines)
    if not drop:
        return None
    gaps = _gaps(lines, drop)
    pieces: list[str] = []
    origin: list[int] = []
    pos = 0
    feed: int | None = None  # source offset of the first form feed in the current gap
    gap_start = 0
    in_gap = False
    for i, line in enumerate(lines):
        if i in gaps:
            if not in_gap:
                in_gap, feed, gap_start = True, None, pos
            if "\f" in line and feed is None:
                feed = pos + line.index("\f")
            pos += len(line)
            continue
        if in_gap:
            _close_gap(pieces, origin, gap_start, feed)
            in_gap = False
        pieces.append(line)
        origin.extend(range(pos, pos + len(line)))
        pos += len(line)
    if in_gap:
        _close_gap(pieces, origin, gap_start, feed)
    origin.append(len(text))
    return CleanText("".join(pieces), tuple(origin))
