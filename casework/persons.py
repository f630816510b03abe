"""Persons across cases: CNIC checks and matching by CNIC or by name plus father's name.

Matching is for *suggestions* a prosecutor confirms or rejects; nothing is merged automatically.

- CNIC (Computerised National Identity Card number, 13 digits written 12345-1234567-1): the same
  CNIC is the same person; two different CNICs are two people. ``normalise_cnic`` accepts Urdu and
  Arabic-Indic digits and missing dashes, and refuses anything else.
- Names: each name part gets a key. Roman-Urdu spellings go through the variants file
  (``data/name_variants.toml``: Muhammad/Mohd/Md, Khan/Khaan, ...) and then a *sound skeleton*
  (consonant classes, vowels and doubling dropped, so Mohammad/Muhammed/Muhammad agree); Urdu-script
  names get the same skeleton from their letters (محمد -> m h m d), so "Muhammad Asif" and "محمد آصف"
  compare equal. Two persons are suggested as one when both the name and the father's name agree.

``match(a, b)`` gives a score in [0, 1] with reasons; ``find_matches`` ranks candidates.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from rapidfuzz.distance import JaroWinkler, Levenshtein

from casework.errors import CaseRuleError
from i18n import N_
from ingest.names import own_name

NAME_THRESHOLD = 0.88      # mean part similarity for "same name"
PART_THRESHOLD = 0.80      # every part of the shorter name must be at least this close
SUGGEST_THRESHOLD = 0.88   # overall score from which a pair is suggested

_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
_CNIC = re.compile(r"^(\d{5})-?(\d{7})-?(\d)$")
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
_SPLIT = re.compile(r"[\s.,;:/\\()\[\]'\"`’‘-]+")
# honorifics; relation words (s/o, ولد, alias...) end the person's own name (ingest.names.own_name)
_DROP_WORDS = frozenset({"mr", "mrs", "ms", "miss", "mst", "mosammat", "mussammat", "dr"})
_ROMAN_DIGRAPHS = (("kh", "X"), ("gh", "G"), ("sh", "S"), ("ch", "C"), ("zh", "z"), ("th", "t"), ("dh", "d"),
                   ("bh", "b"), ("ph", "f"), ("jh", "j"), ("rh", "r"), ("ck", "k"))
_ROMAN_LETTERS = str.maketrans({"q": "k", "v": "w", "c": "k", "x": "X"})
_URDU_LETTERS = {
    **dict.fromkeys("اآأإٱءعٰ", ""), "ب": "b", "پ": "p", **dict.fromkeys("تطٹ", "t"), **dict.fromkeys("ثسص", "s"),
    "ج": "j", "چ": "C", **dict.fromkeys("حہۂةه", "h"), "ھ": "", "خ": "X", **dict.fromkeys("دڈ", "d"),
    **dict.fromkeys("ذزضظژ", "z"), **dict.fromkeys("رڑ", "r"), "ش": "S", "غ": "G", "ف": "f",
    **dict.fromkeys("قکك", "k"), "گ": "g", "ل": "l", "م": "m", **dict.fromkeys("نں", "n"),
    **dict.fromkeys("وؤ", "w"), **dict.fromkeys("یيےئى", "y"),
}
_VOWELS = frozenset("aeiou")


class PersonRefused(CaseRuleError):
    """A person's details as entered cannot be saved (bad CNIC, CNIC of someone else, no name)."""


# --- CNIC ------------------------------------------------------------------------------------------------
def normalise_cnic(text: str) -> str:
    """``"1710112345671"``, ``"۱۷۱۰۱-۱۲۳۴۵۶۷-۱"`` -> ``"17101-1234567-1"``; "" stays "".

    Raises ``PersonRefused`` (code ``bad_cnic``) for anything that is not 13 digits in the 5-7-1 shape.
    """
    cleaned = re.sub(r"\s+", "", text.translate(_DIGITS)).replace("–", "-").replace("—", "-")
    if not cleaned:
        return ""
    found = _CNIC.match(cleaned)
    if not found or found.group(1) == "00000":
        raise PersonRefused("bad_cnic", N_("The CNIC “%(cnic)s” must be 13 digits, like 17101-1234567-1."),
                            field="cnic", cnic=text.strip()[:40])
    return "-".join(found.groups())


# --- name keys -------------------------------------------------------------------------------------------
@cache
def _variants() -> Mapping[str, str]:
    """Every known spelling (Roman lower-case or Urdu) -> canonical Roman form."""
    text = resources.files("casework").joinpath("data", "name_variants.toml").read_text(encoding="utf-8")
    table: dict[str, str] = {}
    for canonical, spec in tomllib.loads(text).items():
        for spelling in [canonical, *spec.get("variants", []), *spec.get("urdu", [])]:
            table[_fold(spelling)] = canonical
    return table


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)
                   or _ARABIC.match(c))
    return re.sub("[\u064b-\u0652\u0670\u0640]", "", text)  # Arabic diacritics and tatweel


def name_parts(name: str) -> list[str]:
    """Folded parts of the person's own name, without honorifics: "Mst. Zainab Bibi" -> zainab, bibi;
    what follows a relation word in either script is someone else's name or an address, and is left out
    ("Gul Zaman s/o Sher Khan", "گل زمان ولد شیر خان" -> gul, zaman / گل, زمان; the relation words are
    the name keys' own, ``ingest/data/transliteration.json``)."""
    parts = [p for p in _SPLIT.split(_fold(own_name(name))) if p and p not in _DROP_WORDS]
    # "بی بی" is written as two words
    joined: list[str] = []
    for part in parts:
        if joined and joined[-1] == "بی" and part == "بی":
            joined[-1] = "بی بی"
        else:
            joined.append(part)
    return joined


def _collapse(letters: str) -> str:
    out: list[str] = []
    for ch in letters:
        if not out or out[-1] != ch:
            out.append(ch)
    return "".join(out)


def _skeleton_of_classes(classes: str) -> str:
    """Drop medial w/y (vowels in Urdu spelling), a final h, and doubled letters."""
    kept = [c for i, c in enumerate(classes) if c not in "wy" or i == 0]
    text = _collapse("".join(kept))
    if len(text) > 1 and text.endswith("h"):
        text = text[:-1]
    return text


def roman_skeleton(part: str) -> str:
    """Consonant skeleton of a Roman-Urdu name part ("mohammad" -> "mhmd", "khaan" -> "Xn")."""
    word = re.sub(r"[^a-z]", "", part.lower())
    for digraph, code in _ROMAN_DIGRAPHS:
        word = word.replace(digraph, code)
    word = word.translate(_ROMAN_LETTERS)
    classes = "".join(c for i, c in enumerate(word) if c not in _VOWELS)
    return _skeleton_of_classes(classes)


def urdu_skeleton(part: str) -> str:
    """Consonant skeleton of an Urdu-script name part ("محمد" -> "mhmd", "آصف" -> "sf")."""
    return _skeleton_of_classes("".join(_URDU_LETTERS.get(ch, "") for ch in part if ch != " "))


def _vowel_class(run: str) -> str:
    if "i" in run or run == "ee":
        return "i"  # i, ee, ai, ei: Wasim/Waseem, Hussain/Husain
    if run[0] in "ou":
        return "u"  # o, u, ou: Muhammad/Mohammad
    return "a"      # a, e, aa: Rahman/Rehman, Ahmad/Ahmed


def roman_vowel_key(part: str) -> str:
    """A Roman-only key that keeps vowel classes: Asif/Aasif agree, Asif/Arif and Hassan/Hussain do not."""
    word = re.sub(r"[^a-z]", "", part.lower())
    for digraph, code in _ROMAN_DIGRAPHS:
        word = word.replace(digraph, code)
    word = re.sub("[aeiou]+", lambda m: _vowel_class(m.group(0)), word.translate(_ROMAN_LETTERS))
    return _collapse(word)


_ARTICLE_AFTER_ABD = re.compile(r"^bd[lrnszSdt](?=.)")


def _article(skeleton: str) -> str:
    """Abdur/Abdul/عبدال... -> "bd": the Arabic article after Abd is written many ways."""
    return _ARTICLE_AFTER_ABD.sub("bd", skeleton)


@dataclass(frozen=True)
class NameKey:
    """Keys of one name: per part the sound skeleton, plus a vowel-aware key for Roman parts."""

    skeletons: tuple[str, ...]
    roman: tuple[str | None, ...]

    @property
    def joined(self) -> str:
        return _collapse("".join(self.skeletons))

    @property
    def block(self) -> str:
        """The most distinctive part's skeleton (longest), for narrowing candidates in SQL."""
        return max(self.skeletons, key=len) if self.skeletons else ""


@lru_cache(maxsize=65536)
def name_key(name: str) -> NameKey:
    """The keys of ``name`` (cached: the same names recur across thousands of comparisons)."""
    skeletons: list[str] = []
    roman: list[str | None] = []
    variants = _variants()
    for part in name_parts(name):
        canonical = variants.get(part, part)
        if _ARABIC.search(canonical):
            skeletons.append(_article(urdu_skeleton(canonical)))
            roman.append(None)
        else:
            skeletons.append(_article(roman_skeleton(canonical)))
            roman.append(roman_vowel_key(canonical))
    return NameKey(tuple(s for s in skeletons if s), tuple(r for s, r in zip(skeletons, roman, strict=True) if s))


def _part_similarity(a: NameKey, i: int, b: NameKey, j: int) -> float:
    skeleton = JaroWinkler.normalized_similarity(a.skeletons[i], b.skeletons[j])
    ra, rb = a.roman[i], b.roman[j]
    if ra is not None and rb is not None:  # both Roman: the vowels tell Asif from Arif
        return min(skeleton, JaroWinkler.normalized_similarity(ra, rb))
    return skeleton


def name_similarity(a: str | NameKey, b: str | NameKey) -> float:
    """Similarity of two names in [0, 1]: parts aligned best-first (order-free), or, when the names
    are split differently ("Abdur Rehman" / "عبدالرحمن"), the joined skeletons."""
    ka = a if isinstance(a, NameKey) else name_key(a)
    kb = b if isinstance(b, NameKey) else name_key(b)
    if not ka.skeletons or not kb.skeletons:
        return 0.0
    short, long_ = (ka, kb) if len(ka.skeletons) <= len(kb.skeletons) else (kb, ka)
    best = [max(_part_similarity(short, i, long_, j) for j in range(len(long_.skeletons)))
            for i in range(len(short.skeletons))]
    coverage = len(short.skeletons) / len(long_.skeletons)
    by_parts = 0.0 if min(best) < PART_THRESHOLD else (sum(best) / len(best)) * (0.9 + 0.1 * coverage)
    if len(ka.skeletons) == len(kb.skeletons) or min(len(ka.joined), len(kb.joined)) < 4:
        return by_parts
    return max(by_parts, Levenshtein.normalized_similarity(ka.joined, kb.joined))


# --- persons ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PersonRecord:
    """What matching reads of a person (``id`` None for one being entered)."""

    id: int | None
    name: str
    father_name: str = ""
    cnic: str = ""


@dataclass(frozen=True)
class Match:
    candidate_id: int
    score: float
    reasons: tuple[str, ...]


def match(a: PersonRecord, b: PersonRecord) -> Match | None:
    """The evidence that ``a`` and ``b`` are one person, or None.

    Same CNIC -> score 1. Different CNICs -> None. Otherwise the name and the father's name must both
    agree (a name alone is never enough: "Muhammad Khan" is thousands of people).
    """
    assert b.id is not None
    if a.cnic and b.cnic:
        return Match(b.id, 1.0, (N_("same CNIC"),)) if a.cnic == b.cnic else None
    if not a.father_name.strip() or not b.father_name.strip():
        return None
    name = name_similarity(a.name, b.name)
    father = name_similarity(a.father_name, b.father_name)
    if name < NAME_THRESHOLD or father < NAME_THRESHOLD:
        return None
    score = round(min(name, father), 3)
    return Match(b.id, score, (N_("name and father's name agree"),)) if score >= SUGGEST_THRESHOLD else None


def find_matches(person: PersonRecord, candidates: Iterable[PersonRecord], limit: int = 10) -> list[Match]:
    """Candidates that may be ``person``, best first (the person itself excluded)."""
    found = [m for c in candidates if c.id is not None and c.id != person.id and (m := match(person, c))]
    return sorted(found, key=lambda m: (-m.score, m.candidate_id))[:limit]


def check_cnic_owner(person: PersonRecord, owner: PersonRecord | None) -> None:
    """Refuse a CNIC that already belongs to a person with a different name (``cnic_name_conflict``).

    A spelling variant of the same name (Mohammad/Muhammad, Roman/Urdu) is not a conflict. The message
    does not name the holder: persons are province-wide, and the holder may be on a case the clerk may
    not read (another district, a sealed case).
    """
    if owner is None or not person.cnic or owner.id == person.id:
        return
    if name_similarity(person.name, owner.name) < NAME_THRESHOLD:
        raise PersonRefused(
            "cnic_name_conflict",
            N_("CNIC %(cnic)s is already recorded for someone other than %(name)s. Check the number, or enter "
               "the name as it was recorded."), field="cnic", cnic=person.cnic, name=person.name)


def check_person(person: PersonRecord) -> PersonRecord:
    """The record with its CNIC normalised and its names trimmed; ``PersonRefused`` for no name."""
    name = " ".join(person.name.split())[:200]
    if not name_parts(name):
        raise PersonRefused("no_name", N_("Enter the person's name."), field="name")
    return PersonRecord(person.id, name, " ".join(person.father_name.split())[:200], normalise_cnic(person.cnic))
