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
from legalrefs.tolerant import first_char_guard, squash, variant_pattern

# one sub-clause: (2), (b), (iii), (B), alphanumeric (5A)
_SUB = r"\s?\((?:\d{1,2}[A-Z]{0,2}|[a-z]{1,4}|[ivxIVX]{1,5}|[A-Z])\)"
# section number: 302, 302(b), 382-B, 337-A(i), 6(2)(b), 11-EE, 9C, 345(5A), "23(i)A" (clause letter after the
# sub-clause), "9(1) 3(c)" (the amended CNSA s.9(1) table, category 3(c)); Urdu digits allowed
_SEC = (r"\d{1,3}(?:\s?-\s?[A-Z]{1,2}(?![A-Za-z])|[A-Z](?![A-Za-z]))?"
        rf"(?:{_SUB}){{0,3}}(?:(?<=\))[A-Z](?![A-Za-z]))?(?:(?<=\(1\))\s{{0,2}}[1-9]\s?\([a-c]\))?")
# a range "395-396", "279 to 281": one reference per section in it
_RANGE = r"(?:(?<=\d)\s{0,2}(?:-|\u2013|to)\s{0,2}\d{1,3}(?![\d(A-Za-z]))?"
_ITEM = _SEC + _RANGE
_TRIGGER_WORD = r"(?i:u/ss?\.?|sections?|secs?\.?|ss\.|s\.|articles?|arts?\.)"
_LIST_SEP = r"(?:\s{0,2}(?:/|,|&|\band\b|\bor\b|\bread\s+with\b|\br/w\b)\s{0,2}|,\s{0,2}and\s)"
# "302(b) read with Section 149 PPC": after ONE section, a joined section may repeat the trigger word (a longer
# list joined so, "419, 420 and 109 read with section 5(2) of the PCA", names two acts: not joined)
_JOINED = rf"(?:{_LIST_SEP}{_TRIGGER_WORD}\s{{0,2}}{_ITEM})?"
_LIST = rf"(?P<list>{_ITEM}{_JOINED}(?:(?:{_LIST_SEP}){{1,2}}{_ITEM}){{0,14}})"
_LIST_BARE = rf"(?P<list>{_ITEM}(?:(?:{_LIST_SEP}){{1,2}}{_ITEM}){{0,14}})"  # no trigger word, no joined trigger
_TRIGGER = rf"(?P<trigger>{_TRIGGER_WORD}|دفعات|دفعہ)"
# a page break (form feed) with an optional running header/footer line may fall inside a reference;
# the form feed is required, so an ordinary short line is never skipped
_PAGE_BREAK = r"(?:[ \t]*\n(?:[^\n\f]{1,60}\n)?[ \t]*\f[ \t]*\n?(?:[^\n\f]{1,60}\n)?[ \t]*)?"
# "sub-section (2) of section 497", "sub-Article (2) of Article 48": the sub-form folds into the key
_SUBSECTION_OF = (r"(?:(?i:sub-?\s?(?:section|article|clause)|clause)\s{0,2}\((?P<pre>[0-9a-zA-Z]{1,4})\)\s{0,2}"
                  r"(?i:of)\s{1,3}(?:(?i:the)\s{1,3})?)?")
_LINK = rf"[\s,\-]{{0,3}}(?:(?i:of|under|in)\s+(?:(?i:the)\s+)?)?{_PAGE_BREAK}"
_ITEM_ONE = re.compile(_SEC + r"(?P<range>" + _RANGE + ")")
_SECTION_ALONE = re.compile(_SEC)
_MAX_RANGE = 20  # "302-324" is no range of 23 sections; longer spans are read as two sections
# an alias or back-reference in place of the act: "of the Act", "the Code", "the 2005 Act", "ibid", "thereof"
_ALIAS = (r"(?P<alias>(?P<ayear>(?:19|20)\d\d\s)?(?:Act|Code|Ordinance|Order)(?![A-Za-z])"
          r"|(?i:ibid)(?![A-Za-z])\.?|(?i:thereof)(?![A-Za-z])|\((?i:ibid)\))")
_ALIAS_LINK = r"[\s,]{0,3}(?:(?i:of|under)\s+)?(?:(?i:the)\s+)?(?:(?i:said)\s+)?"
# an act named but not in the data ("the Limitation Act, 1908"): "the Act" after it is not one of ours
_OTHER_ACT = re.compile(r"(?<![A-Za-z])(?P<name>(?:[A-Z][A-Za-z'\-]+\s+){1,6}(?:Act|Ordinance|Order|Code|Rules))"
                        r"(?![A-Za-z])(?:,?\s{0,2}(?P<year>(?:18|19|20)\d\d))?")
_NOT_NAME_WORDS = {"the", "this", "that", "said", "such", "an", "a", "every", "any", "which", "under", "of"}
# foreign statutes quoted in a Pakistani judgment are not Pakistani sections
_FOREIGN_BEFORE = re.compile(r"(?i)\b(?:indian|india's|american|u\.\s?s\.|united\s+states|bangladesh|english|"
                             r"british)\s+(?:[A-Za-z.]+\s+){0,2}$")
_FOREIGN_AFTER = re.compile(r"^[\s,]{0,3}(?:(?:18|19|20)\d\d[\s,]{0,3})?(?i:of|in)\s+(?:the\s+)?"
                            r"(?i:india|united\s+states|u\.s\.a?|usa|america|bangladesh|england)\b")
# Pakistan's Code of Criminal Procedure is of 1898; "Cr.P.C. 1973" is India's
_FOREIGN_YEAR = {"CrPC": re.compile(r"^[\s,]{0,3}1973\b")}
_ALIAS_WINDOW = 3000  # characters back to the act an alias ("the Act", "the Code") refers to
_IBID_WINDOW = 300  # ... and for "ibid"/"thereof", which point at an act named just before


@dataclass(frozen=True, slots=True)
class StatutePatterns:
    with_trigger: re.Pattern[str]
    bare: re.Pattern[str]
    act_first: re.Pattern[str]
    alias: re.Pattern[str]
    act_only: re.Pattern[str]
    acts: dict[str, Statute]  # squashed variant -> statute


def _act_pattern(variants: list[str], group: str = "act") -> str:
    """Act names: pure upper-case abbreviations are matched as printed, longer names case-insensitively."""
    ordered = sorted(set(variants), key=lambda v: (-len(squash(v)), v))
    parts = []
    for v in ordered:
        pat = variant_pattern(v)
        parts.append(pat if _rigid(v) else f"(?i:{pat})")
    return f"(?P<{group}>" + "|".join(parts) + r")(?![A-Za-z])"


def _rigid(variant: str) -> bool:
    return variant.replace(".", "").replace(" ", "").isupper() and len(variant) <= 8


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
                      rf"(?<!Rule )(?<!rule )(?<!Order )(?<!Para )(?<!para ){_LIST_BARE}{_LINK}{act}")
    # "the Pakistan Penal Code, Section 71": a full name, a comma, then the section (not followed by another act)
    long_names = [v for s in data.statutes for v in s.variants if not _rigid(v)]
    guard = first_char_guard(long_names, ignore_case=True)
    act_first = re.compile(rf"{guard}(?<![A-Za-z]){_act_pattern(long_names)}(?:,?\s{{0,2}}(?:18|19|20)\d\d)?"
                           rf"(?:\s{{0,2}}\([^()\n]{{1,40}}\))?,\s{{0,2}}{_TRIGGER}[\s\-]{{0,2}}{_LIST}"
                           rf"(?!{_LINK}{_act_pattern(variants, 'next')})")
    alias = re.compile(rf"(?=[sSaAuUcC])(?<![A-Za-z]){_SUBSECTION_OF}{_TRIGGER}[\s\-]{{0,2}}{_LIST}"
                       rf"{_ALIAS_LINK}{_ALIAS}")
    acts = {squash(v): s for s in data.statutes for v in (*s.variants, *s.urdu_variants)}
    act_only = re.compile(rf"{first_char_guard(variants, ignore_case=True)}(?<![A-Za-z]){act}")
    return StatutePatterns(with_trigger, bare, act_first, alias, act_only, acts)


def normalise_section(raw: str, statute: Statute | None = None) -> str:
    """``302 (b)`` -> ``302(b)``; ``382 - b``/``382B`` -> ``382-B``; ``9(1) 3(c)`` -> ``9(1)(3)(c)``;
    ``23(i)A`` -> ``23(i)(a)``; ``345(5a)`` -> ``345(5A)``; for sections whose letter is a clause
    (CNSA s.9, ``letter_clauses`` in statutes.json) ``9-C``/``9C`` -> ``9(c)``. Urdu digits -> ASCII."""
    s = ascii_digits(re.sub(r"\s+", "", raw))
    s = re.sub(r"(?<=\))(\d)(?=\()", r"(\1)", s)
    s = re.sub(r"(?<=\))([A-Za-z])$", lambda g: f"({g.group(1).lower()})", s)
    m = re.match(r"(\d+)-?([A-Za-z]{1,2})?((?:\([^)]*\))*)$", s)
    if not m:
        return s
    num, letter, subs = m.groups()
    subs = re.sub(r"\(([^)]*)\)", lambda g: "(" + (g.group(1).upper() if re.fullmatch(r"\d+[A-Za-z]+", g.group(1))
                                                  else g.group(1).lower()) + ")", subs)
    if letter and len(letter) == 1 and statute is not None and num in statute.letter_clauses:
        return f"{num}({letter.lower()}){subs}"
    letter_part = f"-{letter.upper()}" if letter else ""
    return f"{num}{letter_part}{subs}"


def is_section(section: str) -> bool:
    """``section`` (normalised: ``302(b)``, ``382-B``, ``9(c)``) is one the section grammar reads: a number,
    an optional letter, at most three sub-clauses (``302(b)(c)(d)(e)`` and ``302(zzzzz)`` are not)."""
    return _SECTION_ALONE.fullmatch(section) is not None


def broader_keys(key: str) -> tuple[str, ...]:
    """``PPC 302(b)(i)`` -> (``PPC 302(b)(i)``, ``PPC 302(b)``, ``PPC 302``)."""
    keys = [key]
    while keys[-1].endswith(")") and "(" in keys[-1]:
        keys.append(keys[-1][: keys[-1].rindex("(")])
    return tuple(keys)


def _numbers(list_text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, section as printed) of each section in a list, ranges expanded (each section of a
    range spans the whole range; the printed form of a range member is its bare number)."""
    for n in _ITEM_ONE.finditer(list_text):
        rng = n.group("range")
        if not rng:
            yield n.start(), n.end(), n.group()
            continue
        first = n.group()[: len(n.group()) - len(rng)]
        last = re.search(r"\d+$", rng)
        lo, hi = int(re.match(r"\d+", ascii_digits(first)).group()), int(last.group()) if last else 0  # type: ignore[union-attr]
        if first.strip().isdigit() and 0 < hi - lo <= _MAX_RANGE:
            for k in range(lo, hi + 1):
                yield n.start(), n.end(), str(k)
        else:  # "302-324": two sections, not twenty-three
            yield n.start(), n.start() + len(first), first
            yield n.end() - len(last.group()) if last else n.end(), n.end(), last.group() if last else ""


def _refs(m: re.Match[str], statute: Statute, how: str = "") -> Iterator[Reference]:
    numbers = [n for n in _numbers(m.group("list")) if n[2]]
    offset = m.start("list")
    single = len(numbers) == 1
    pre = m.groupdict().get("pre")
    for n_start, n_end, printed in numbers:
        section = normalise_section(printed, statute)
        if pre and single and "(" not in section:
            section = f"{section}({pre.lower() if not pre.isdigit() else pre})"
        key = f"{statute.key} {section}"
        start, end = (m.start(), m.end()) if single else (offset + n_start, offset + n_end)
        attrs = {"statute": statute.key, "section": section.split("(")[0],
                 "subsection": section[len(section.split("(")[0]):], "unit": statute.unit}
        if how:
            attrs["resolved_from"] = how
        if len([x for x in numbers if (x[0], x[1]) == (n_start, n_end)]) > 1:
            attrs["range"] = m.string[offset + n_start: offset + n_end]
        yield Reference(RefKind.STATUTE, start, end, m.string[start:end], key, broader_keys(key), attrs)


@dataclass(frozen=True, slots=True)
class _Mention:
    """An act named in the text: ``statute`` None for an act that is not in the data."""

    start: int
    end: int
    printed: str
    statute: Statute | None
    year: str
    foreign: bool


def _is_foreign(text: str, start: int, end: int, statute: Statute | None) -> bool:
    before = text[max(0, start - 40): start]
    after = text[end: end + 40]
    if _FOREIGN_BEFORE.search(before) or _FOREIGN_AFTER.match(after):
        return True
    year_rule = _FOREIGN_YEAR.get(statute.key) if statute is not None else None
    return bool(year_rule and year_rule.match(after))


def _mentions(patterns: StatutePatterns, text: str) -> list[_Mention]:
    """Every act named in ``text`` (ours and others), in order."""
    found: list[_Mention] = []
    for m in patterns.act_only.finditer(text):
        statute = patterns.acts.get(squash(m.group("act")))
        year = re.match(r"[\s,]{0,3}((?:18|19|20)\d\d)", text[m.end(): m.end() + 8])
        found.append(_Mention(m.start(), m.end(), m.group(), statute, year.group(1) if year else "",
                              _is_foreign(text, m.start(), m.end(), statute)))
    for m in _OTHER_ACT.finditer(text):
        words = m.group("name").split()
        while words and words[0].lower() in _NOT_NAME_WORDS:
            words = words[1:]
        if len(words) < 2 or any(f.start < m.end() and m.start() < f.end for f in found):
            continue
        found.append(_Mention(m.start(), m.end(), m.group("name"), None, m.group("year") or "",
                              _is_foreign(text, m.start(), m.end(), None)))
    return sorted(found, key=lambda x: x.start)


def _resolve_alias(m: re.Match[str], mentions: list[_Mention]) -> _Mention | None:
    """The act an alias stands for: the last act named before it whose printed name has the alias word
    ("the Code" -> the last "... Code ..."; "the 2005 Act" -> the last act of 2005); "ibid"/"thereof" ->
    the last act named at all. None if that act is not one of ours, is foreign, or is too far back."""
    alias = m.group("alias")
    word = re.sub(r"[^A-Za-z]", "", alias).lower()
    year = (m.group("ayear") or "").strip()
    for mention in reversed([x for x in mentions if x.end <= m.start()]):
        if m.start() - mention.end > _ALIAS_WINDOW:
            return None
        if word in ("ibid", "thereof"):
            return mention if m.start() - mention.end <= _IBID_WINDOW else None
        name = mention.statute.name if mention.statute is not None else mention.printed
        if not re.search(rf"(?i)\b{word}\b", mention.printed):
            continue
        if year and year not in (mention.year, *re.findall(r"(?:18|19|20)\d\d", name)):
            continue
        return mention
    return None


def find_statutes(data: LegalData, text: str) -> list[Reference]:
    patterns = build_patterns(data)
    found: list[Reference] = []
    matches = [m for pattern in (patterns.with_trigger, patterns.bare, patterns.act_first)
               for m in pattern.finditer(text)]
    aliases = list(patterns.alias.finditer(text))
    mentions = _mentions(patterns, text) if matches or aliases else []
    foreign = [x for x in mentions if x.foreign]
    for m in matches:
        statute = patterns.acts.get(squash(m.group("act")))
        if statute is None or any(f.start < m.end("act") and m.start("act") < f.end for f in foreign):
            continue
        found.extend(_refs(m, statute))
    for m in aliases:
        target = _resolve_alias(m, mentions)
        if target is None or target.statute is None or target.foreign:
            continue
        found.extend(_refs(m, target.statute, how=m.group("alias")))
    return found
