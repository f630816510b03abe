"""Statute section/article references: ``u/s 302/324/34 PPC``, ``section 302(b) PPC``,
``Sections 302, 324 & 34 of the Pakistan Penal Code``, ``497(2) Cr.P.C.``, ``Article 185(3) of the
Constitution``, ``دفعہ 302 ت پ``.

One Reference per section. A single section spans the whole phrase; in a list each section spans its
own number (so a highlighter marks "302", "324", "34" separately). Key: ``<act key> <section>`` with
the section as printed but normalised (``302(b)``, ``382-B``, ``10-A``); ``keys`` adds the section
without its sub-clauses (``PPC 302(b)`` -> ``PPC 302``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from legalrefs.data import LegalData, Statute
from legalrefs.model import Reference, RefKind
from legalrefs.ocrfix import ascii_digits
from legalrefs.tolerant import squash, variant_pattern

# section number: 302, 302(b), 382-B, 337-A(i), 6(2)(b), 11-EE, 302-B; Urdu digits allowed
_SEC = (r"\d{1,3}(?:\s?-\s?[A-Z]{1,2}(?![A-Za-z])|[A-Z](?![A-Za-z]))?"
        r"(?:\s?\((?:\d{1,2}|[a-z]{1,4}|[ivxIVX]{1,5}|[A-Z])\)){0,3}")
_LIST_SEP = r"(?:\s{0,2}(?:/|,|&|\band\b|\bor\b|\bread\s+with\b|\br/w\b)\s{0,2})"
_LIST = rf"(?P<list>{_SEC}(?:(?:{_LIST_SEP}|,\s{{0,2}}and\s){{1,2}}{_SEC}){{0,14}})"
_TRIGGER = (r"(?P<trigger>(?i:u/ss?\.?|sections?|secs?\.?|ss\.|s\.|"
            r"articles?|arts?\.)|دفعات|دفعہ)")
# a page break (form feed) with an optional running header/footer line may fall inside a reference;
# the form feed is required, so an ordinary short line is never skipped
_PAGE_BREAK = r"(?:[ \t]*\n(?:[^\n\f]{1,60}\n)?[ \t]*\f[ \t]*\n?(?:[^\n\f]{1,60}\n)?[ \t]*)?"
# "sub-section (2) of section 497" names sub-section 497(2)
_SUBSECTION_OF = (r"(?:(?i:sub-?\s?section|clause)\s{0,2}\((?P<pre>[0-9a-z]{1,4})\)\s{0,2}(?i:of)\s{1,3}"
                  r"(?:(?i:the)\s{1,3})?)?")
_LINK = rf"[\s,]{{0,3}}(?:(?i:of|under)\s+(?:(?i:the)\s+)?)?{_PAGE_BREAK}"
_SEC_ONE = re.compile(_SEC)


@dataclass(frozen=True, slots=True)
class StatutePatterns:
    with_trigger: re.Pattern[str]
    bare: re.Pattern[str]
    acts: dict[str, Statute]  # squashed variant -> statute


def _act_pattern(variants: list[str]) -> str:
    """Act names: pure upper-case abbreviations are matched as printed, longer names case-insensitively."""
    ordered = sorted(set(variants), key=lambda v: (-len(squash(v)), v))
    parts = []
    for v in ordered:
        pat = variant_pattern(v)
        rigid = v.replace(".", "").replace(" ", "").isupper() and len(v) <= 8
        parts.append(pat if rigid else f"(?i:{pat})")
    return "(?P<act>" + "|".join(parts) + r")(?![A-Za-z])"


@lru_cache(maxsize=4)
def build_patterns(data: LegalData) -> StatutePatterns:
    variants = [v for s in data.statutes for v in (*s.variants, *s.urdu_variants)]
    act = _act_pattern(variants)
    # (?=...) one-character guards: the lookbehind would otherwise run at every position of the text
    with_trigger = re.compile(rf"(?=[sSaAuUcCد])(?<![A-Za-z]){_SUBSECTION_OF}{_TRIGGER}"
                              rf"[\s\-]{{0,2}}{_LIST}{_LINK}{act}")
    # bare numbers need an abbreviation right after them ("497(2) Cr.P.C.", "9(c) of CNSA")
    # ...but not rule/order/paragraph numbers: "Order VII, Rule 11, C.P.C." is no section 11
    bare = re.compile(rf"(?=[0-9\u0660-\u0669\u06f0-\u06f9])(?<![\w./\-])"
                      rf"(?<!Rule )(?<!rule )(?<!Order )(?<!Para )(?<!para ){_LIST}{_LINK}{act}")
    acts = {squash(v): s for s in data.statutes for v in (*s.variants, *s.urdu_variants)}
    return StatutePatterns(with_trigger, bare, acts)


def normalise_section(raw: str) -> str:
    """``302 (b)`` -> ``302(b)``; ``382 - b``/``382B`` -> ``382-B``; Urdu digits -> ASCII."""
    s = ascii_digits(re.sub(r"\s+", "", raw))
    m = re.match(r"(\d+)-?([A-Za-z]{1,2})?((?:\([^)]*\))*)$", s)
    if not m:
        return s
    num, letter, subs = m.groups()
    letter_part = f"-{letter.upper()}" if letter else ""
    return f"{num}{letter_part}{subs.lower()}"


def broader_keys(key: str) -> tuple[str, ...]:
    """``PPC 302(b)(i)`` -> (``PPC 302(b)(i)``, ``PPC 302(b)``, ``PPC 302``)."""
    keys = [key]
    while keys[-1].endswith(")") and "(" in keys[-1]:
        keys.append(keys[-1][: keys[-1].rindex("(")])
    return tuple(keys)


def _refs(m: re.Match[str], statute: Statute) -> Iterator[Reference]:
    numbers = list(_SEC_ONE.finditer(m.group("list")))
    offset = m.start("list")
    single = len(numbers) == 1
    pre = m.groupdict().get("pre")
    for n in numbers:
        section = normalise_section(n.group())
        if pre and single and "(" not in section:
            section = f"{section}({pre.lower()})"
        key = f"{statute.key} {section}"
        start, end = (m.start(), m.end()) if single else (offset + n.start(), offset + n.end())
        attrs = {"statute": statute.key, "section": section.split("(")[0],
                 "subsection": section[len(section.split("(")[0]):], "unit": statute.unit}
        yield Reference(RefKind.STATUTE, start, end, m.string[start:end], key, broader_keys(key), attrs)


def find_statutes(data: LegalData, text: str) -> list[Reference]:
    patterns = build_patterns(data)
    found: list[Reference] = []
    for pattern in (patterns.with_trigger, patterns.bare):
        for m in pattern.finditer(text):
            statute = patterns.acts.get(squash(m.group("act")))
            if statute is None:
                continue
            found.extend(_refs(m, statute))
    return found
