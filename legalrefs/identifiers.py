"""Identifiers printed in case papers: court case numbers, CNIC and Pakistani phone numbers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from legalrefs.data import LegalData
from legalrefs.model import Reference, RefKind
from legalrefs.tolerant import alternation, first_char_guard, squash

# "No.", "Nos.", "Number" between the case type and its number are optional in print
_NUM = (r"\s{0,2}(?:(?i:nos?|number)\s{0,2}\.?\s{0,2}:?\s{0,2})?(?P<num>[0-9]{1,6})"
        r"(?:\s{0,2}-\s{0,2}(?P<reg>[A-Z]{1,2})(?![A-Za-z]))?"
        r"\s{0,2}(?:(?i:of)|/|-)\s{0,2}(?P<year>(?:19|20)[0-9]{2})(?![0-9])")
_CNIC = re.compile(r"(?=[0-9])(?<![0-9\-])(?P<a>[0-9]{5})-(?P<b>[0-9]{7})-(?P<c>[0-9])(?![0-9\-])")
_MOBILE = re.compile(r"(?=[+0])(?<![0-9+\-])(?:(?:\+|00)92[\s\-]?|0)(?P<op>3[0-9]{2})[\s\-]?"
                     r"(?P<sub>[0-9]{7})(?![0-9\-])")
# landlines need a separator after the area code, so bare digit runs (amounts, case numbers) never match
_LANDLINE = re.compile(r"(?=[+(0])(?<![0-9+\-])(?:(?:\+|00)92[\s\-]?\(?0?|\(?0)"
                       r"(?P<area>[1-24-9][0-9]{1,3})\)?[\s\-](?P<sub>[0-9]{5,8})(?![0-9\-])")


_TOKENS = re.compile(r"[^\W_]+")


def _shape(text: str) -> tuple[str, ...]:
    """Letter/digit tokens as printed, case kept: ``C.R.P.`` -> (C, R, P), ``Cr.P.`` -> (Cr, P)."""
    return tuple(_TOKENS.findall(text))


@lru_cache(maxsize=4)
def _case_number_pattern(data: LegalData) -> tuple[re.Pattern[str], dict[str, list[tuple[str, str]]]]:
    types = [v for t in data.case_types for v in t.variants]
    guard = first_char_guard(types, ignore_case=True)
    pattern = re.compile(rf"(?<![A-Za-z.]){guard}(?i:(?P<type>{alternation(types)}))\.?{_NUM}")
    lookup: dict[str, list[tuple[str, str]]] = {}
    for t in data.case_types:
        for v in t.variants:
            lookup.setdefault(squash(v), []).append((v, t.key))
    return pattern, lookup


def _case_type(printed: str, candidates: list[tuple[str, str]]) -> str:
    """The case type of a printed variant. Variants that squash alike are told apart by their printed
    tokens: ``C.R.P.`` (the Supreme Court's Civil Review Petition, as in its case list) is three capitals,
    ``Cr.P.`` (criminal petition) two tokens; same tokens with case first, then without case, then
    all-capitals against all-capitals (``CRP`` -> C.R.P), else the first."""
    shape = _shape(printed)
    capitals = "".join(shape).isupper()
    for same in (lambda v: _shape(v) == shape,
                 lambda v: tuple(x.lower() for x in _shape(v)) == tuple(x.lower() for x in shape),
                 lambda v: "".join(_shape(v)).isupper() == capitals):
        for variant, key in candidates:
            if same(variant):
                return key
    return candidates[0][1]


def find_case_numbers(data: LegalData, text: str) -> Iterator[Reference]:
    """``Crl.P.L.A.1055-2025``, ``Civil Appeal No.1086 of 2009``; key in the Court's own form
    (``Crl.P.L.A.1055-2025``, ``C.P.L.A.548-P-2013``) so it joins the Court's metadata."""
    pattern, types = _case_number_pattern(data)
    for m in pattern.finditer(text):
        candidates = types.get(squash(m.group("type")))
        if not candidates:
            continue
        kind = _case_type(m.group("type"), candidates)
        reg = f"-{m.group('reg')}" if m.group("reg") else ""
        key = f"{kind}.{m.group('num')}{reg}-{m.group('year')}"
        attrs = {"case_type": kind, "number": m.group("num"), "year": m.group("year")}
        if reg:
            attrs["registry"] = m.group("reg")
        yield Reference(RefKind.CASE_NUMBER, m.start(), m.end(), m.group(), key, (key,), attrs)


def find_cnics(text: str) -> Iterator[Reference]:
    for m in _CNIC.finditer(text):
        key = m.group()
        yield Reference(RefKind.CNIC, m.start(), m.end(), key, key, (key,),
                        {"locality": m.group("a"), "family": m.group("b"), "check": m.group("c")})


def find_phones(text: str) -> Iterator[Reference]:
    """Mobile (``0300-1234567``) and landline (``+92 91 1234567``, ``091-2211334``); key in E.164."""
    taken: list[tuple[int, int]] = []
    for m in _MOBILE.finditer(text):
        key = f"+92{m.group('op')}{m.group('sub')}"
        taken.append((m.start(), m.end()))
        yield Reference(RefKind.PHONE, m.start(), m.end(), m.group(), key, (key,), {"type": "mobile"})
    for m in _LANDLINE.finditer(text):
        digits = m.group("area") + m.group("sub")
        if len(digits) not in (9, 10) or any(s < m.end() and m.start() < e for s, e in taken):
            continue
        key = f"+92{digits}"
        yield Reference(RefKind.PHONE, m.start(), m.end(), m.group(), key, (key,),
                        {"type": "landline", "area_code": m.group("area")})
