"""One matching key for a name printed in Roman Urdu or in Urdu script: ``Gul Zaman`` and ``گل زمان``
both give ``gl zmn``.

Urdu script writes consonants and long vowels; Roman Urdu spells short vowels freely (Muhammad,
Mohammad, Muhammed). The key keeps what both scripts agree on: the consonant skeleton of each word,
letters of one sound folded into one class (``ص س ث`` and ``s``; ``ز ذ ض ظ`` and ``z``; ``ح ہ ھ`` and
``h``; ``ق ک`` and ``q/k``), vowels and vowel letters (``ا و ی ع``) left out except ``w``/``y`` that
start a word, a doubled letter written once, a word-final ``h`` dropped (``Shah``/``شاہ``, ``Fatima``/
``فاطمہ``). The letter classes and Roman digraphs are data (``data/transliteration.json``).
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data" / "transliteration.json"
_WORD = re.compile(r"[A-Za-z\u0600-\u06ff\u0750-\u077f]+")
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f]")


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


def name_key(name: str) -> str:
    """Matching key of a whole name: the word keys joined by spaces (words that leave nothing, a lone
    vowel, are dropped): ``Gul Zaman`` -> ``gl zmn``."""
    keys = [word_key(w) for w in _WORD.findall(name)]
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
