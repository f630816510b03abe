"""``ibid`` and ``supra``: short forms resolved to an earlier full citation in the same text.

Pakistani judgments use both words after a case name ("Jamal-ud-Din (ibid)", "Muhammad Zahid
(supra)") meaning "the case cited earlier", and after a provision ("section 15 ibid", "Clause 6 supra")
meaning "the statute named earlier". So:
* a short form after a provision word (section, clause, article, rule ...) is not a citation: skipped;
* after a case name -> the earlier full citation whose case title (the text between it and the
  previous citation) contains the name's distinctive words; resolved only if exactly one key fits;
* a bare ``Ibid.`` opening a line or footnote -> the nearest preceding full citation.
Unresolvable short forms are dropped: a wrong link is worse than none.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence
from types import MappingProxyType

from legalrefs.model import Reference, RefKind

_SHORT = re.compile(r"(?<![A-Za-z])(?P<form>[Ii]bid|IBID|[Ss]upra|SUPRA)(?![A-Za-z])\.?\)?")
_NAME_WORD = re.compile(r"[A-Z][A-Za-z\-]+")
_SKIP_WORDS = {"The", "In", "Case", "Cases", "See", "Also", "Vs", "Versus", "State", "And", "Others",
               "Another", "Mst", "Muhammad", "Mr", "Ibid", "Supra", "Government", "Federation"}
# "section 15 ibid", "Clause 6 (supra)", "sub-section (2) supra": a provision, not a case
_PROVISION = re.compile(r"(?i)\b(?:sections?|secs?|clauses?|sub-?clauses?|articles?|arts?|rules?|"
                        r"sub-?sections?|paras?|paragraphs?|orders?|items?|regulations?|schedule|act|"
                        r"ordinance|code)\.?\s*[0-9A-Za-z()\-]*\s*[(,]?\s*$")
# a footnote opening with "Ibid.": the previous line ended a sentence, this one holds at most a number
_LINE_START = re.compile(r"(?:^|[.;:)\]”\"0-9][ \t]*\n)[ \t0-9.()\-]*$")
_NAME_BEFORE = 90   # chars before "supra" scanned for the case name
_TITLE_BEFORE = 160  # chars before a full citation taken as its case title
_ADJACENT = 6        # "2019 SCMR 1300 (supra)": the full citation is right there, nothing to add


def _name_words(text: str) -> list[str]:
    """Distinctive capitalised words of the case name printed just before ``supra``."""
    tail = re.split(r"[.;:\n]\s|\)\s", text)[-1]
    tail = re.sub(r"'s\b|’s\b|\b[Cc]ase\b", "", tail).rstrip(" \t\n(")
    # the trailing run of capitalised words ("... as held in Qaiser Khan") is the case name
    run = re.search(r"(?:[A-Z][A-Za-z\-]+\.?\s+(?:(?:v|vs|Vs|V)\.?\s+)?)*[A-Z][A-Za-z\-]+$", tail)
    if run is None:
        return []
    words = [w.lower() for w in _NAME_WORD.findall(run.group()) if w not in _SKIP_WORDS]
    return words[-3:]


_SENTENCE_END = re.compile(r"([A-Za-z/]*)[.;:]\s+(?=[A-Z(\"“])")
# the end of an earlier list item: "(462 US 919 [77 L Ed. 2d 317], Abdullah Khan v. ..." or "[...], which"
_ITEM_END = re.compile(r"[)\]]\s*(?:,|\band\b|&)\s*|\]\s+")
# words that end in a dot inside case titles ("Govt. of NWFP v. Abdullah Khan", "Mst. Razia")
_ABBREVIATIONS = {"v", "vs", "mst", "govt", "mr", "mrs", "dr", "ltd", "co", "no", "nos", "st", "messrs",
                  "m/s", "pvt", "corp", "bros", "sh", "ch", "engr", "col", "maj", "gen", "capt", "lt",
                  "prof", "etc", "thr", "addl", "asstt", "dy", "jr", "sr", "inc", "govts"}


def _title_zone(window: str) -> str:
    """The case title printed before a citation: the window after its last sentence break.

    A citation's own title is what the name in "X (supra)" refers to; discussion earlier in the
    sentence before it (e.g. a foreign case named without a citation) must not count.
    """
    start = 0
    for m in _SENTENCE_END.finditer(window):
        word = m.group(1).lower()
        if word not in _ABBREVIATIONS and len(word) != 1:
            start = m.end()
    for m in _ITEM_END.finditer(window, start):
        start = m.end()
    return window[start:]


def _titles(text: str, citations: Sequence[Reference]) -> list[frozenset[str]]:
    """Capitalised words of each citation's case title (the text between it and the previous citation)."""
    titles = []
    previous_end = 0
    for ref in citations:
        title = _title_zone(text[max(previous_end, ref.start - _TITLE_BEFORE): ref.start])
        titles.append(frozenset(w.lower() for w in _NAME_WORD.findall(title)))
        previous_end = ref.end
    return titles


def _resolve_supra(text: str, start: int, earlier: Sequence[Reference],
                   titles: Sequence[frozenset[str]]) -> Reference | None:
    words = _name_words(text[max(0, start - _NAME_BEFORE): start])
    if not words:
        return None
    hits: dict[str, Reference] = {}
    for ref, title_words in zip(earlier, titles, strict=False):
        if all(w in title_words for w in words):
            hits.setdefault(ref.key, ref)
    return next(iter(hits.values())) if len(hits) == 1 else None


def find_short_forms(text: str, citations: Sequence[Reference]) -> Iterator[Reference]:
    """Short forms that resolve to one of ``citations`` (full citations of the same text, sorted)."""
    ends = [c.end for c in citations]
    titles = _titles(text, citations)
    for m in _SHORT.finditer(text):
        earlier = citations[: bisect.bisect_right(ends, m.start())]
        form = m.group("form").lower()
        if not earlier or (form == "supra" and m.start() - earlier[-1].end <= _ADJACENT):
            continue
        before = text[max(0, m.start() - _NAME_BEFORE): m.start()]
        if _PROVISION.search(before):
            continue
        target: Reference | None = None
        if _name_words(before):
            target = _resolve_supra(text, m.start(), earlier, titles)
        elif m.group("form") == "Ibid" and _LINE_START.search(before):
            target = earlier[-1]
        if target is None:
            continue
        attrs = MappingProxyType({**target.attrs, "short_form": form, "antecedent_start": str(target.start)})
        yield Reference(RefKind.CITATION, m.start(), m.end(), m.group(), target.key, (target.key,), attrs)
