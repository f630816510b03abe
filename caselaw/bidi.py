"""Citations, statute sections and case numbers inside typed text, kept left-to-right on an Urdu page.

An Urdu headnote that says ``... 2010 SCMR 1791 ...`` is shown right-to-left; the browser's bidi
algorithm then treats the year as a number after Urdu letters and shows ``SCMR 1791 2010``. Each
reference must be isolated as one left-to-right unit (``<bdi dir="ltr">`` in HTML, its own run in the
citation graph's SVG labels). ``segments`` cuts a text into plain runs and reference runs, found by
legalrefs; it never changes the text (joining the runs gives it back).

A reference spanning a line break is left as plain text, so the line break is kept where it was typed.
Leading or trailing Urdu words that legalrefs counts as part of a reference (``دفعہ 302(b) PPC``: "section")
stay outside the isolated run, in the sentence's own direction.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from legalrefs import RefKind, find_references

ISOLATED_KINDS = (RefKind.CITATION, RefKind.STATUTE, RefKind.CASE_NUMBER)
_STRONG_LTR_OR_DIGIT = {"L", "EN", "AN"}
LRI, FSI, PDI = "\u2066", "\u2068", "\u2069"


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of ``text``; ``is_ref``: a citation, section or case number to keep left-to-right."""

    text: str
    is_ref: bool = False


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """``start``/``end`` moved inwards past spaces, punctuation and right-to-left words, so the span
    begins and ends on a Latin letter or a digit (or is empty)."""
    while start < end and unicodedata.bidirectional(text[start]) not in _STRONG_LTR_OR_DIGIT:
        start += 1
    while end > start and unicodedata.bidirectional(text[end - 1]) not in _STRONG_LTR_OR_DIGIT \
            and text[end - 1] != ")":
        end -= 1
    return start, end


def ref_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each reference in ``text`` to keep left-to-right, sorted, not overlapping,
    none holding a line break."""
    spans: list[tuple[int, int]] = []
    for ref in sorted(find_references(text, ISOLATED_KINDS, furniture=False), key=lambda r: (r.start, -r.end)):
        start, end = _trimmed(text, ref.start, ref.end)
        if start >= end or "\n" in text[start:end] or "\r" in text[start:end]:
            continue
        if spans and start < spans[-1][1]:  # overlaps the previous one (another kind): join them
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
            continue
        spans.append((start, end))
    return spans


def segments(text: str) -> list[Segment]:
    """``text`` cut into plain and reference runs, in order; ``"".join`` of their texts is ``text``.
    A text without references is one plain run (none when ``text`` is empty)."""
    out: list[Segment] = []
    at = 0
    for start, end in ref_spans(text):
        if start > at:
            out.append(Segment(text[at:start]))
        out.append(Segment(text[start:end], True))
        at = end
    if at < len(text):
        out.append(Segment(text[at:]))
    return out


def isolated_text(text: str) -> str:
    """``text`` with each reference inside Unicode left-to-right isolate marks (LRI U+2066 ... PDI
    U+2069), for places that hold plain text only: a page's ``<title>``, a ``title`` attribute, an SVG
    label."""
    return "".join(f"{LRI}{s.text}{PDI}" if s.is_ref else s.text for s in segments(text))


def isolated_title(text: str) -> str:
    """A whole title (a document's, a case's) for a place that holds plain text and nothing around it to
    carry ``dir`` or ``<bdi>``, such as an ``<option>``: inside FIRST STRONG ISOLATE (U+2068) ... PDI, so
    it reads in its own direction (an English file name left-to-right on an Urdu page, an Urdu title
    right-to-left on an English one, its trailing ``)`` or ``.pdf`` staying at its end), each reference
    in it isolated left-to-right (``isolated_text``). Not LRI for the whole: an Urdu title would then be
    laid out left-to-right, its words in reverse order. Empty text stays empty."""
    return f"{FSI}{isolated_text(text)}{PDI}" if text else ""


__all__ = ["FSI", "ISOLATED_KINDS", "LRI", "PDI", "Segment", "isolated_text", "isolated_title", "ref_spans",
           "segments"]
