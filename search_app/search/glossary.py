"""Search across languages: Urdu and English legal terms linked by a glossary kept as data
(``data/glossary.toml``), so ``قتل`` also finds English pages about murder (and pages indexed under
PPC 302) and ``murder`` also finds Urdu pages with ``قتل``.

``expand(node, glossary)`` replaces each plain word, run of plain words or phrase that is a glossary
term by a ``Glossed`` node holding the term as typed and its alternatives (the entry's other terms as
words or phrases, its statutes as references). The query builder names each alternative's clause,
Elasticsearch reports which named clauses a page matched, and ``explain`` turns those names into
"matched قتل as murder / PPC 302" for each result.

Errors: ``GlossaryError`` when the data file is inconsistent (a term in two entries, an unknown
statute key, an entry without terms in both languages), raised when the glossary loads.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from legalrefs import normalise as normalise_reference
from search_app.search.ast import (
    Alternative,
    And,
    Glossed,
    Node,
    Not,
    Or,
    Phrase,
    Reference,
    Word,
)

DATA_FILE = Path(__file__).resolve().parent / "data" / "glossary.toml"
MAX_TERM_WORDS = 5
NAME_PREFIX = "glossary"

# Letter forms that Urdu typing, Arabic keyboards and OCR mix: matched as one (the index's
# arabic_normalization/persian_normalization filters do the same for the text).
# Heh: Urdu has ہ (goal) and ھ (do-chashmi, aspiration); Arabic keyboards type ه for both.
_LETTERS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "ہ": "ه", "ھ": "ه", "ۀ": "ه", "ة": "ه", "ـ": None,
                          "\u200c": None, "\u200d": None})
_DIACRITICS = re.compile("[\u064b-\u065f\u0670\u06d6-\u06ed]")


class GlossaryError(ValueError):
    """``data/glossary.toml`` is inconsistent (the message names the entry and the term)."""


def term_key(text: str) -> str:
    """A term or typed phrase as compared: Urdu letter forms unified (ي/ی, ك/ک, the three hehs),
    diacritics and joiners dropped, Latin case folded, spaces collapsed."""
    text = unicodedata.normalize("NFC", text).translate(_LETTERS)
    text = _DIACRITICS.sub("", text).casefold()
    return " ".join(text.split())


@dataclass(frozen=True)
class Entry:
    """One meaning: its terms in Urdu and English and the statute sections that charge it."""

    key: str
    urdu: tuple[str, ...]
    english: tuple[str, ...]
    statutes: tuple[str, ...] = ()

    def terms(self) -> tuple[str, ...]:
        return (*self.urdu, *self.english)


@dataclass(frozen=True)
class Glossary:
    entries: tuple[Entry, ...]

    @property
    def index(self) -> dict[str, Entry]:
        return _index(self)

    def lookup(self, text: str) -> Entry | None:
        """The entry ``text`` (a word or phrase as typed) is a term of, or None."""
        return self.index.get(term_key(text))


@cache
def _index(glossary: Glossary) -> dict[str, Entry]:
    return {term_key(term): entry for entry in glossary.entries for term in entry.terms()}


def load_glossary(path: Path = DATA_FILE) -> Glossary:
    """Read and check the glossary file (see ``GlossaryError``)."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    entries = []
    seen: dict[str, str] = {}
    for key, raw in data.items():
        entry = Entry(key, tuple(raw.get("urdu", ())), tuple(raw.get("english", ())), tuple(raw.get("statutes", ())))
        if not entry.urdu or not entry.english:
            raise GlossaryError(f"glossary entry {key!r} needs terms in both Urdu and English")
        for term in entry.terms():
            normal = term_key(term)
            if seen.get(normal, key) != key:
                raise GlossaryError(f"glossary term {term!r} is in both {seen[normal]!r} and {key!r}")
            if len(normal.split()) > MAX_TERM_WORDS:
                raise GlossaryError(f"glossary term {term!r} ({key!r}) has more than {MAX_TERM_WORDS} words")
            seen[normal] = key
        for statute in entry.statutes:
            if normalise_reference(statute) != [statute]:
                raise GlossaryError(f"glossary entry {key!r}: {statute!r} is not a legalrefs statute key")
        entries.append(entry)
    return Glossary(tuple(entries))


@cache
def glossary() -> Glossary:
    """The glossary of ``data/glossary.toml``, loaded once per process."""
    return load_glossary()


# --- expanding a parsed query ------------------------------------------------------------------------------


def _term_node(term: str) -> Word | Phrase:
    return Phrase(term) if len(term.split()) > 1 else Word(term)


def _alternatives(entry: Entry, typed: str) -> tuple[Alternative, ...]:
    """The entry's terms in the other language (each spelling once) and its statutes, as search
    nodes. Other terms in the language typed are left out: a page with "قتل عمد" already contains
    "قتل", and English variants (qatl-i-amd) are the index's own synonyms; each would only cost time."""
    typed_urdu = _is_urdu(typed)
    seen: set[str] = set()
    out = []
    for term in entry.terms():
        if _is_urdu(term) == typed_urdu or term_key(term) in seen:
            continue
        seen.add(term_key(term))
        out.append(Alternative(term, _term_node(term)))
    out += [Alternative(statute, Reference("statute", (statute,), statute)) for statute in entry.statutes]
    return tuple(out)


def _is_urdu(text: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in text)


@dataclass
class _Counter:
    value: int = 0

    def next(self) -> int:
        self.value += 1
        return self.value - 1


def _glossed(original: Node, typed: str, entry: Entry, counter: _Counter) -> Glossed:
    return Glossed(original, typed, entry.key, _alternatives(entry, typed), counter.next())


def _plain(node: Node) -> bool:
    return isinstance(node, Word) and not node.prefix and node.fuzzy is None


def _expand_run(words: Sequence[Word], found: Glossary, counter: _Counter) -> list[Node]:
    """Longest glossary terms first, left to right, over a run of plain words."""
    out: list[Node] = []
    i = 0
    while i < len(words):
        for width in range(min(MAX_TERM_WORDS, len(words) - i), 0, -1):
            typed = " ".join(w.text for w in words[i:i + width])
            entry = found.lookup(typed)
            if entry is not None:
                original: Node = words[i] if width == 1 else And(tuple(words[i:i + width]))
                out.append(_glossed(original, typed, entry, counter))
                i += width
                break
        else:
            out.append(words[i])
            i += 1
    return out


def _expand_children(children: Iterable[Node], found: Glossary, counter: _Counter) -> list[Node]:
    out: list[Node] = []
    run: list[Word] = []
    for child in children:
        if _plain(child):
            run.append(child)  # type: ignore[arg-type]
            continue
        out += _expand_run(run, found, counter)
        run = []
        out.append(_expand(child, found, counter))
    return out + _expand_run(run, found, counter)


def _expand(node: Node, found: Glossary, counter: _Counter) -> Node:
    if isinstance(node, And):
        children = _expand_children(node.children, found, counter)
        return children[0] if len(children) == 1 else And(tuple(children))
    if isinstance(node, Or):
        return Or(tuple(_expand(c, found, counter) for c in node.children))
    if isinstance(node, Not):
        return node  # an excluded word stays exactly what was typed
    if _plain(node):
        expanded = _expand_run([node], found, counter)  # type: ignore[list-item]
        return expanded[0]
    return node


def expand(node: Node | None, found: Glossary | None = None) -> Node | None:
    """``node`` with its glossary terms as ``Glossed`` nodes (numbered in query order). Phrases in
    quotes, prefix and fuzzy words, fields, references and anything under NOT are left as typed."""
    if node is None:
        return None
    return _expand(node, found or glossary(), _Counter())


# --- explaining a match --------------------------------------------------------------------------------


def clause_name(glossed: Glossed, alternative: int | None) -> str:
    """The Elasticsearch ``_name`` of alternative ``alternative`` of ``glossed`` (None: the term as typed)."""
    return f"{NAME_PREFIX}:{glossed.index}:{'typed' if alternative is None else alternative}"


def glossed_nodes(node: Node | None) -> list[Glossed]:
    """The ``Glossed`` nodes of a query, in order (none under NOT: they are never expanded)."""
    if isinstance(node, Glossed):
        return [node]
    if isinstance(node, And | Or):
        return [g for c in node.children for g in glossed_nodes(c)]
    return []


@dataclass(frozen=True)
class GlossaryMatch:
    """``term`` as typed matched a page through ``meanings`` (other-language terms, statute keys)."""

    term: str
    meanings: tuple[str, ...]


def explain(node: Node | None, matched_names: Iterable[str]) -> tuple[GlossaryMatch, ...]:
    """Which glossary alternatives a result matched, from the names Elasticsearch reported. A term the
    document also contains as typed needs no explanation and gets none."""
    names = set(matched_names)
    out = []
    for glossed in glossed_nodes(node):
        if clause_name(glossed, None) in names:
            continue
        meanings = tuple(alt.label for i, alt in enumerate(glossed.alternatives) if clause_name(glossed, i) in names)
        if meanings:
            out.append(GlossaryMatch(glossed.term, meanings))
    return tuple(out)


__all__ = ["DATA_FILE", "Entry", "Glossary", "GlossaryError", "GlossaryMatch", "clause_name", "expand", "explain",
           "glossary", "glossed_nodes", "load_glossary", "term_key"]
