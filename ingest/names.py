"""One matching key for a name printed in Roman Urdu or in Urdu script: ``Gul Zaman`` and ``گل زمان``
both give ``gl zmn``.

Urdu script writes consonants and long vowels; Roman Urdu spells short vowels freely (Muhammad,
Mohammad, Muhammed). The key keeps what both scripts agree on: the consonant skeleton of each word,
letters of one sound folded into one class (``ص س ث`` and ``s``; ``ز ذ ض ظ`` and ``z``; ``ح ہ ھ`` and
``h``; ``ق ک`` and ``q/k``), vowels and vowel letters (``ا و ی ع``) left out except ``w``/``y`` that
start a word, a doubled letter written once, a word-final ``h`` dropped (``Shah``/``شاہ``, ``Fatima``/
``فاطمہ``). The letter classes and Roman digraphs are data (``data/transliteration.json``).

Relation words are keyed by what they mean, not spelt out: ``s/o``, ``d/o``, ``son of``, ``ولد``,
``بنت``, ``ولدیت`` are the parentage token ``child`` (``ولدیت``, "parentage", is written for sons and
daughters alike, so son and daughter are one relation; likewise ``wife``, ``alias``), so ``Gul Zaman
s/o Muhammad Khan`` and ``گل زمان ولد محمد خان`` both give ``gl zmn child mhmd xn``. A residence word
(``r/o``, ``resident of``, ``سکنہ``) ends the name: the address after it is not keyed (addresses are
spelt and abbreviated too freely to compare), up to a party separator (``v.``, ``versus``, ``بنام``)
where the next party's name begins. The relation words, separators and Arabic letter forms are data in the same file.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data" / "transliteration.json"
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f]")
# a name's words, and "/" and "@", which are words of relations ("s/o", "Gul Zaman @ Gulli")
_TOKEN = re.compile(r"[A-Za-z\u0600-\u06ff\u0750-\u077f]+|[/@]")
# what a word is compared by when it may be a relation word: Arabic punctuation, digits, diacritics, tatweel
_NOT_LETTER = re.compile("[\u0600-\u0620\u0640\u064b-\u066d\u0670\u06d4\u06d6-\u06ed\u06f0-\u06f9]")
RESIDENT = "resident"  # the relation in the table that ends a name (the address follows)


@cache
def _table() -> dict[str, Any]:
    return dict(json.loads(DATA.read_text(encoding="utf-8")))


def _skeleton(word: str, letters: dict[str, str], initial: dict[str, str], digraphs: dict[str, str]) -> str:
    out: list[str] = []
    i = 0
    while i < len(word):
        pair = word[i:i + 2]
        if pair in digraphs:
            out.append(digraphs[pair])
            i += 2
            continue
        ch = word[i]
        out.append(initial[ch] if i == 0 and ch in initial else letters.get(ch, ""))
        i += 1
    return "".join(out)


def word_key(word: str) -> str:
    """The consonant skeleton of one word in either script (``Zaman`` -> ``zmn``, ``زمان`` -> ``zmn``)."""
    table = _table()
    if _ARABIC.search(word):
        skeleton = _skeleton(unicodedata.normalize("NFC", word), table["urdu_letters"], table["urdu_initial"], {})
    else:
        skeleton = _skeleton(word.lower(), table["roman_letters"], table["roman_initial"], table["roman_digraphs"])
    collapsed = re.sub(r"(.)\1+", r"\1", skeleton)
    if len(collapsed) > 1 and collapsed.endswith("h"):
        collapsed = collapsed[:-1]
    return collapsed


def _fold(token: str) -> str:
    """A word as relation words are compared: ``S/O`` -> ``s/o`` word by word, ``زوجه،`` -> ``زوجہ``."""
    forms = _table()["urdu_letter_forms"]
    text = _NOT_LETTER.sub("", unicodedata.normalize("NFC", token)).lower()
    return "".join(forms.get(ch, ch) for ch in text)


@cache
def _relations() -> tuple[dict[tuple[str, ...], str], int, frozenset[str]]:
    """Relation phrases as folded word tuples -> relation; the longest phrase's length; separators."""
    table = _table()
    phrases = {tuple(_fold(w) for w in _TOKEN.findall(spelling)): relation
               for relation, spellings in table["relation_words"].items() for spelling in spellings}
    separators = frozenset(_fold(w) for w in table["party_separators"])
    return phrases, max(len(p) for p in phrases), separators


def _relation_at(folded: list[str], i: int) -> tuple[str, int] | None:
    """The relation whose phrase starts at word ``i`` (longest first) and how many words it takes."""
    phrases, longest, _ = _relations()
    for size in range(min(longest, len(folded) - i), 0, -1):
        relation = phrases.get(tuple(folded[i:i + size]))
        if relation is not None:
            return relation, size
    return None


def _keyed_words(name: str) -> Iterator[tuple[str, bool]]:
    """The words of ``name`` that are keyed, each with whether it is a relation: a name word as written,
    a relation phrase as its relation (``s/o``, ``son of``, ``ولد`` -> ``child``), and no address
    (``r/o``/``سکنہ`` and what follows, up to a party separator such as ``v.`` or ``بنام``)."""
    tokens = _TOKEN.findall(name)
    folded = [_fold(t) for t in tokens]
    separators = _relations()[2]
    i, in_address = 0, False
    while i < len(tokens):
        if in_address and folded[i] not in separators:
            i += 1
            continue
        in_address = False
        found = _relation_at(folded, i)
        if found is None:
            yield tokens[i], False
            i += 1
            continue
        relation, size = found
        in_address = relation == RESIDENT
        if not in_address:
            yield relation, True
        i += size


def own_name(name: str) -> str:
    """The person's own name in a name as printed: the words before its first relation or residence
    phrase (``Gul Zaman s/o Sher Khan r/o Mardan`` -> ``Gul Zaman``, ``گل زمان ولد شیر خان`` -> ``گل زمان``,
    ``Gul Zaman alias Gulli`` -> ``Gul Zaman``). A name with no such phrase, or starting with one, is
    returned as it is (stripped)."""
    spans = list(_TOKEN.finditer(name))
    folded = [_fold(m.group()) for m in spans]
    for i in range(1, len(spans)):
        if _relation_at(folded, i) is not None:
            return name[:spans[i].start()].strip()
    return name.strip()


def name_key(name: str) -> str:
    """Matching key of a whole name: the word keys joined by spaces (words that leave nothing, a lone
    vowel, are dropped): ``Gul Zaman`` -> ``gl zmn``. A relation is one token, the address is left out:
    ``Gul Zaman s/o Sher Khan r/o Mardan`` and ``گل زمان ولد شیر خان سکنہ مردان`` -> ``gl zmn child Sr xn``."""
    keys = [word if relation else word_key(word) for word, relation in _keyed_words(name)]
    return " ".join(k for k in keys if k)


def _joined(key: str) -> str:
    # prefixes written joined in one script and apart in the other (Abdul Ghani / عبدالغنی, Shazia Bibi /
    # شازیہ بی بی): compare without spaces, a letter doubled across the joint written once
    return re.sub(r"(.)\1+", r"\1", key.replace(" ", ""))


def names_match(a: str, b: str) -> bool:
    """Whether two printed names (either script) are one name by their keys. Keys of one consonant
    (``Ali``) are too short to tell names apart and never match."""
    ka, kb = _joined(name_key(a)), _joined(name_key(b))
    return len(ka) >= 2 and ka == kb
