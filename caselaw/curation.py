"""What a librarian types, read through legalrefs: citations, case numbers, statute sections of a
headnote, tags, keywords. Each parser returns keys (the internal form) or raises ``CurationError``
with a message a librarian understands (marked for translation, ``%(name)s`` placeholders).

Free text (summary, headnote question and holding, practice notes) is kept as typed, line breaks and
Urdu included; ``\\r\\n`` becomes ``\\n``, the ends are trimmed and invisible characters (bidi
overrides, zero-width spaces, control characters; ``i18n.invisible``) are removed, as from tags, sections
and collection names. Collection names (and the tags of one judgment) are unique compared by
``collection_key``: NFKC, ``casefold()``, combining marks removed.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from caselaw.record import JudgmentResult
from i18n import N_
from i18n.invisible import strip_invisible
from legalrefs import RefKind, find_references, normalise

MAX_TEXT = 20_000
MAX_NOTE = 4_000  # a note is a short lesson for colleagues; longer text belongs in a headnote
MAX_COLLECTION_NAME = 200
MAX_COLLECTION_DESCRIPTION = 2_000
MAX_TAG = 60
MAX_TAGS = 30
_SPLIT = re.compile(r"[;\n]|,(?=\s*[^\s\d])")  # commas separate items, but not "PLD 2010 SC 1, 5"


class CurationError(ValueError):
    """A value a librarian typed cannot be used. ``message`` (with ``params``) is shown to them, through
    :meth:`shown`: a ``label`` parameter names the field and is itself a message to translate."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params

    def shown(self, translate: Callable[..., str]) -> str:
        """The message in the reader's language: ``translate`` is ``flask_babel.gettext`` (message, then
        its parameters by name); the field's ``label`` is translated too ("تاریخِ فیصلہ ..." in Urdu,
        not "Decision date ...")."""
        params = {name: translate(value) if name == "label" and isinstance(value, str) else value
                  for name, value in self.params.items()}
        return translate(self.message, **params)


def clean_text(value: str | None, limit: int = MAX_TEXT, label: str = N_("The text")) -> str:
    """Free text as typed: Windows line breaks normalised, invisible characters removed, ends trimmed,
    length checked."""
    text = strip_invisible((value or "").replace("\r\n", "\n").replace("\r", "\n"), multiline=True).strip()
    if len(text) > limit:
        raise CurationError(N_("%(label)s is longer than %(limit)s characters."), label=label, limit=limit)
    return text


def _items(value: str) -> list[str]:
    return [part.strip() for part in _SPLIT.split(strip_invisible(value or "", multiline=True)) if part.strip()]


def parse_citations(value: str) -> list[str]:
    """``2022 SCMR 1641; PLD 2020 SC 61`` -> ``["SCMR 2022 1641", "PLD 2020 SC 61"]``. Every item must
    be a law-report citation (legalrefs); the first is the main report."""
    keys: list[str] = []
    for item in _items(value):
        found = [k for k in normalise(item) if k and _is_citation(k)]
        if not found:
            raise CurationError(N_("“%(item)s” is not a law-report citation CMMS can read (for example "
                                   "2010 SCMR 1791 or PLD 1998 SC 1445)."), item=item)
        keys.extend(k for k in found if k not in keys)
    return keys


def _is_citation(key: str) -> bool:
    from legalrefs.display import display_citation

    return any(r.kind is RefKind.CITATION for r in find_references(display_citation(key)))


def parse_case_numbers(value: str) -> list[str]:
    """``Crl.A. No. 95 of 2019, C.A.10-L-2017`` -> keys in the Court's form; unreadable items are an error."""
    keys: list[str] = []
    for item in _items(value):
        refs = find_references(item, [RefKind.CASE_NUMBER]) or find_references(item.upper(), [RefKind.CASE_NUMBER])
        if not refs:
            raise CurationError(N_("“%(item)s” is not a case number CMMS can read (for example "
                                   "Crl.A. No. 95 of 2019 or C.P.L.A.548-P-2013)."), item=item)
        keys.extend(r.key for r in refs if r.key not in keys)
    return keys


def parse_sections(value: str) -> list[str]:
    """``302(b) PPC, s.497 Cr.P.C.`` -> ``["PPC 302(b)", "CrPC 497"]``."""
    keys: list[str] = []
    for item in _items(value):
        found = [r.key for r in find_references(item, [RefKind.STATUTE])]
        if not found:
            found = [k for k in normalise(item) if k.split()[0] in _acts()]
        if not found:
            raise CurationError(N_("“%(item)s” is not a statute section CMMS can read (for example "
                                   "302(b) PPC or 497(2) Cr.P.C.)."), item=item)
        keys.extend(k for k in found if k not in keys)
    return keys


@dataclass(frozen=True, slots=True)
class TypedReference:
    """One reference in what a user typed: its kind, the text it was read from, its key."""

    kind: RefKind
    raw: str
    key: str


# what joins the items of a typed list, trimmed off an item legalrefs' finder left unread
_JOINERS = re.compile(r"^(?:[\s,;&/]|\b(?:and|or|with|read\s+with|r/w)\b)+|(?:[\s,;&/]|\b(?:and|or)\b)+$", re.I)
# words of an unread item tried away before its act ("murder under ppc 302")
_MAX_LEADING_WORDS = 6


def read_typed(text: str) -> list[TypedReference]:
    """Every reference in a short typed text, in text order: ``2022 SCMR 1641 and PPC 302(b)`` ->
    citation ``SCMR 2022 1641``, statute ``PPC 302(b)``. legalrefs' finder reads the printed forms; an
    item it leaves unread goes through ``parse_sections``, which also reads the act first, as clerks
    write it (``PPC 302(b)``, ``PPC 302(b), 324``). Unreadable items are left out (no error)."""
    refs = find_references(text) or find_references(text.upper())
    # a section right after an act's name is that act's ("PPC 302(b) and 497(2) Cr.P.C."), whatever
    # act the printed-text finder gave the list: read again below
    act_ends = {m.end() for m in _acts_named().finditer(text)}
    refs = [r for r in refs if not (r.kind is RefKind.STATUTE
                                    and any(text[e:r.start].isspace() for e in act_ends if e < r.start))]
    found = [(r.start, TypedReference(r.kind, r.raw, r.key)) for r in refs]
    covered = [(r.start, r.end) for r in refs]
    pos = 0
    for start, end in [*sorted(covered), (len(text), len(text))]:
        found.extend(_unread_sections(text, pos, start))
        pos = max(pos, end)
    return [ref for _, ref in sorted(found, key=lambda x: x[0])]


def _unread_sections(text: str, start: int, end: int) -> list[tuple[int, TypedReference]]:
    """Statute sections in ``text[start:end]`` (a stretch legalrefs' finder left unread), item by item;
    each act named starts an item of its own (``CrPC 497(2) and PPC 302(b)`` is two)."""
    acts = _acts_named()
    out: list[tuple[int, TypedReference]] = []
    cuts = sorted({start, end, *(start + m.start() for m in _SPLIT.finditer(text[start:end])),
                   *(start + m.start() for m in acts.finditer(text[start:end]))})
    for lo, hi in itertools.pairwise(cuts):
        item = _JOINERS.sub("", text[lo:hi])
        if not any(ch.isdigit() for ch in item):
            continue
        at = lo + text[lo:hi].find(item)
        # words before the act are dropped one by one: "murder under ppc 302" is read as "ppc 302"
        for word in [m.start() for m in re.finditer(r"\S+", item)][:_MAX_LEADING_WORDS]:
            try:
                keys = parse_sections(item[word:])
            except CurationError:
                continue
            out.extend((at + word, TypedReference(RefKind.STATUTE, item[word:], key)) for key in keys)
            break
    return out


def _acts_named() -> re.Pattern[str]:
    """legalrefs' pattern of an act's name as printed (``PPC``, ``Cr.P.C.``, ``Pakistan Penal Code``)."""
    from legalrefs.data import load_data
    from legalrefs.statutes import build_patterns

    return build_patterns(load_data()).act_only


def parse_section(value: str) -> str:
    """One statute section (the first of ``value``): ``302(b) PPC`` -> ``PPC 302(b)``. Raises
    ``CurationError`` when ``value`` names none (also when nothing visible is left of it)."""
    keys = parse_sections(value)
    if not keys:
        raise CurationError(N_("“%(item)s” is not a statute section CMMS can read (for example "
                               "302(b) PPC or 497(2) Cr.P.C.)."), item=value.strip()[:200])
    return keys[0]


def _acts() -> set[str]:
    from legalrefs.data import load_data

    return {s.key for s in load_data().statutes}


def parse_tags(value: str, limit: int = MAX_TAGS) -> list[str]:
    tags: list[str] = []
    for item in _items(value):
        tag = " ".join(item.split()).lower()
        if len(tag) > MAX_TAG:  # shown as typed (case and all), so the librarian finds it in the field
            raise CurationError(N_("The tag “%(tag)s” is longer than %(limit)s characters."),
                                tag=item if len(item) <= 200 else item[:200] + "…", limit=MAX_TAG)
        if all(collection_key(tag) != collection_key(other) for other in tags):
            tags.append(tag)
    if len(tags) > limit:
        raise CurationError(N_("At most %(limit)s tags or keywords."), limit=limit)
    return tags


def parse_date(value: str | None, label: str) -> date | None:
    text = (value or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CurationError(N_("%(label)s must be a date like 2019-03-31."), label=label) from None


@dataclass(frozen=True)
class RecordEdit:
    """The record fields of a judgment as a librarian set them (keys for citations and numbers)."""

    citations: list[str] = field(default_factory=list)
    case_numbers: list[str] = field(default_factory=list)
    court: str = ""
    decided_on: date | None = None
    parties: str = ""
    judge: str = ""
    bench: list[str] = field(default_factory=list)
    result: str = ""
    appealed_from_court: str = ""
    appealed_from_case: str = ""
    appealed_from_date: date | None = None
    summary: str = ""

    def values(self) -> dict[str, object]:
        """Column name -> value, as stored on ``CaseLaw``."""
        return {
            "citation": self.citations[0] if self.citations else "",
            "parallel_citations": self.citations[1:],
            "case_number": self.case_numbers[0] if self.case_numbers else "",
            "case_numbers": self.case_numbers, "court": self.court, "decided_on": self.decided_on,
            "parties": self.parties, "judge": self.judge, "bench": self.bench, "result": self.result,
            "appealed_from_court": self.appealed_from_court, "appealed_from_case": self.appealed_from_case,
            "appealed_from_date": self.appealed_from_date, "summary": self.summary,
        }


_LIMITS = {"court": 200, "parties": 500, "judge": 300, "appealed_from_court": 200, "appealed_from_case": 200}
_LABELS = {"court": N_("Court"), "parties": N_("Parties"), "judge": N_("Author judge"),
           "appealed_from_court": N_("Court appealed from"), "appealed_from_case": N_("Case appealed from")}


def parse_record(form: Mapping[str, str]) -> RecordEdit:
    """The record edit form -> ``RecordEdit``. Raises ``CurationError`` for the first bad field."""
    short = {name: clean_text(form.get(name), limit, _LABELS[name]) for name, limit in _LIMITS.items()}
    result = (form.get("result") or "").strip()
    if result and result not in {r.value for r in JudgmentResult}:
        raise CurationError(N_("Choose the result from the list."))
    bench = [" ".join(line.split()) for line in (form.get("bench") or "").splitlines() if line.strip()]
    return RecordEdit(
        citations=parse_citations(form.get("citations", "")),
        case_numbers=parse_case_numbers(form.get("case_numbers", "")),
        decided_on=parse_date(form.get("decided_on"), N_("Decision date")),
        bench=bench[:15], result=result,
        appealed_from_date=parse_date(form.get("appealed_from_date"), N_("Date of the judgment appealed from")),
        summary=clean_text(form.get("summary"), MAX_TEXT, N_("The summary")),
        **short,
    )


@dataclass(frozen=True)
class HeadnoteEdit:
    language: str
    question: str
    held: str
    sections: list[str]
    keywords: list[str]

    @property
    def empty(self) -> bool:
        return not (self.question or self.held or self.sections or self.keywords)


LANGUAGES = ("en", "ur")


def parse_headnote(form: Mapping[str, str], language: str) -> HeadnoteEdit:
    """One language's headnote fields (``{language}-question`` etc.) from the curation form."""
    if language not in LANGUAGES:
        raise CurationError(N_("Headnotes are written in English or Urdu."))
    return HeadnoteEdit(
        language=language,
        question=clean_text(form.get(f"{language}-question"), MAX_TEXT, N_("The question of law")),
        held=clean_text(form.get(f"{language}-held"), MAX_TEXT, N_("What was held")),
        sections=parse_sections(form.get(f"{language}-sections", "")),
        keywords=parse_tags(form.get(f"{language}-keywords", "")),
    )


def parse_note(value: str | None) -> str:
    """A practice note as typed (``clean_text``), at most ``MAX_NOTE`` characters. Raises
    ``CurationError`` for an empty note and for a longer one (saying how long it is)."""
    text = clean_text(value, limit=10**9)
    if not text:
        raise CurationError(N_("Write the note first."))
    if len(text) > MAX_NOTE:
        raise CurationError(N_("The note has %(length)s characters; a note may have at most %(limit)s. "
                               "Shorten it or split it into two notes."), length=len(text), limit=MAX_NOTE)
    return text


@dataclass(frozen=True)
class CollectionEdit:
    name: str
    description: str

    @property
    def key(self) -> str:
        """What two names are compared by: "Bail in narcotics" and "bail in NARCOTICS" are one name."""
        return collection_key(self.name)


def collection_key(name: str) -> str:
    """What names (and tags) are compared by: NFKC (fullwidth "Ｂail" is "Bail"), ``casefold()`` ("BAİL"
    is "bai̇l"), combining marks removed ("bai̇l" is "bail"; Urdu vowel marks too), spaces collapsed.
    Only for comparing: the name is stored as typed."""
    folded = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", name).casefold())
    bare = "".join(c for c in folded if unicodedata.category(c) not in _MARKS)
    return " ".join(unicodedata.normalize("NFC", bare).split())


_MARKS = frozenset({"Mn", "Me"})


def parse_collection(name: str | None, description: str | None, existing: Iterable[str] = ()) -> CollectionEdit:
    """A new collection's name (one line, spaces collapsed, invisible characters removed) and description.
    Raises ``CurationError`` for a missing or too long name, a too long description, or a name that
    ``existing`` already holds compared by :func:`collection_key` (the error names the existing collection)."""
    clean = " ".join(strip_invisible(name or "").split())
    if not clean or len(clean) > MAX_COLLECTION_NAME:
        raise CurationError(N_("Give the collection a name of at most %(limit)s characters."),
                            limit=MAX_COLLECTION_NAME)
    edit = CollectionEdit(clean, clean_text(description, MAX_COLLECTION_DESCRIPTION, N_("The description")))
    same = next((other for other in existing if collection_key(other) == edit.key), None)
    if same is not None:
        raise CurationError(N_("A collection named “%(name)s” already exists: add the judgments to it, or "
                               "choose another name."), name=same)
    return edit
