"""``ibid`` and ``supra``: short forms resolved to an earlier full citation in the same text.

* ``ibid`` -> the nearest preceding full citation.
* ``X (supra)`` / ``X's case supra`` -> the earlier full citation whose case name (the text just before
  it) contains the words printed before ``supra``; resolved only when exactly one distinct key fits.
Unresolvable short forms are dropped: a wrong link is worse than none.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from types import MappingProxyType

from legalrefs.model import Reference, RefKind

_SHORT = re.compile(r"(?<![A-Za-z])(?P<form>[Ii]bid|IBID|[Ss]upra|SUPRA)(?![A-Za-z])\.?\)?")
_NAME_WORD = re.compile(r"[A-Z][A-Za-z\-]+")
_SKIP_WORDS = {"The", "In", "Case", "Cases", "See", "Also", "Vs", "Versus", "State", "And", "Others",
               "Another", "Mst", "Muhammad", "Mr", "Ibid", "Supra", "Government", "Federation"}
_NAME_BEFORE = 90   # chars before "supra" scanned for the case name
_TITLE_BEFORE = 160  # chars before a full citation taken as its case title
_ADJACENT = 6        # "2019 SCMR 1300 (supra)": the full citation is right there, nothing to add


def _name_words(text: str) -> list[str]:
    """Distinctive capitalised words of the case name printed just before ``supra``."""
    tail = re.split(r"[.;:\n]\s|\)\s", text)[-1]
    tail = re.sub(r"'s\b|’s\b|\b[Cc]ase\b|[(\s]+$", "", tail)
    # the trailing run of capitalised words ("... as held in Qaiser Khan") is the case name
    run = re.search(r"(?:[A-Z][A-Za-z\-]+\.?\s+(?:(?:v|vs|Vs|V)\.?\s+)?)*[A-Z][A-Za-z\-]+$", tail)
    if run is None:
        return []
    words = [w for w in _NAME_WORD.findall(run.group()) if w not in _SKIP_WORDS]
    return words[-3:]


def _resolve_supra(text: str, start: int, earlier: Sequence[Reference]) -> Reference | None:
    words = _name_words(text[max(0, start - _NAME_BEFORE): start])
    if not words:
        return None
    hits: dict[str, Reference] = {}
    previous_end = 0
    for ref in earlier:
        # the case title sits between the previous citation and this one
        title = text[max(previous_end, ref.start - _TITLE_BEFORE): ref.start]
        previous_end = ref.end
        title_words = set(_NAME_WORD.findall(title))
        if all(w in title_words for w in words):
            hits.setdefault(ref.key, ref)
    return next(iter(hits.values())) if len(hits) == 1 else None


def find_short_forms(text: str, citations: Sequence[Reference]) -> Iterator[Reference]:
    """Short forms that resolve to one of ``citations`` (full citations of the same text, sorted)."""
    for m in _SHORT.finditer(text):
        earlier = [c for c in citations if c.end <= m.start()]
        form = m.group("form").lower()
        if not earlier or (form == "supra" and m.start() - earlier[-1].end <= _ADJACENT):
            continue
        target = earlier[-1] if form == "ibid" else _resolve_supra(text, m.start(), earlier)
        if target is None:
            continue
        attrs = MappingProxyType({**target.attrs, "short_form": form, "antecedent_start": str(target.start)})
        yield Reference(RefKind.CITATION, m.start(), m.end(), m.group(), target.key, (target.key,), attrs)
