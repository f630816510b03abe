"""Rules around the spaCy model, kept as data (``ingest/data/entity_rules.json``).

Before the model: ``ruler_patterns`` for a spaCy EntityRuler, so role words, exhibit marks and legal
terms (``Complainant``, ``Exh.PA``, ``PW``, ``SHO``) are taken before the model can read them as people.
After the model: ``keep_model_entity`` drops what the model gets wrong in case files (a CNIC or a page
mark as a date, a police station or a role as a person, Urdu words read by an English model).
Beside the model: typed entities found by rules in English and Urdu: dates (day, month and year),
money (``Rs.1,00,000/-``, ``1,00,000 روپے``), courts (named or by kind), and people, places and
organisations introduced by the cues police papers use (``s/o``, ``r/o``, ``Village``; ``ولد``,
``سکنہ``, ``موضع``, ``ملزم``...).

Every finder returns ``RuleSpan(kind, start, end, key)`` with spans into the text it was given.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data" / "entity_rules.json"
# Urdu letters (Arabic-script punctuation such as "،" and "۔" and Arabic digits are not letters)
_UR_LETTERS = "\u0621-\u065f\u0670-\u06d3\u06d5-\u06ff\u0750-\u077f"
ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december"]
_MONTH_RX = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?" \
            r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
# day-first numeric dates (Pakistani practice) and word dates; a CNIC (5-7-1 digits) never matches
_DATE_NUMERIC = re.compile(r"(?<![\d./\-])(?P<d>\d{1,2})[./\-](?P<m>\d{1,2})[./\-](?P<y>(?:19|20)\d{2})(?![\d\-])")
_DATE_WORDS = re.compile(rf"(?<![\w])(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{_MONTH_RX})\.?,?\s+"
                         rf"(?P<y>(?:19|20)\d{{2}})(?!\d)", re.IGNORECASE)
_DATE_US = re.compile(rf"(?<![\w])(?P<mon>{_MONTH_RX})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+"
                      rf"(?P<y>(?:19|20)\d{{2}})(?!\d)", re.IGNORECASE)
_AMOUNT = r"\d{1,3}(?:,\d{2,3})+(?:\.\d{1,2})?|\d+(?:\.\d{1,2})?"
_NUMBER_WORDS = (r"(?:(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|"
                 r"forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|lac|lacs|lakh|lakhs|million|crore|"
                 r"crores|and)\s*)+")
_MONEY = re.compile(rf"(?<![\w])(?:(?:Rs|PKR)\.?\s?(?:{_AMOUNT})(?:\s?/-)?(?:\s?(?:lac|lakh|million|crore)s?)?"
                    rf"|(?i:rupees)\s+(?:{_AMOUNT}|{_NUMBER_WORDS})(?:\s?/-)?)", re.IGNORECASE)
_MONEY_UR = re.compile(rf"(?:{_AMOUNT})(?:\s?/-)?\s?(?:روپے|روپیہ|روپئے)")
_CAP = r"[A-Z][A-Za-z'\-]+\.?"
_NAME_EN = rf"{_CAP}(?:[ \t]{{1,2}}(?:{_CAP}|ud-Din|ul|ur|u|bin|binte))*"


@dataclass(frozen=True, slots=True)
class RuleSpan:
    kind: str
    start: int
    end: int
    key: str


@dataclass(frozen=True)
class Rules:
    """The data file, compiled."""

    raw: dict[str, Any]
    ruler_roles: frozenset[str]
    person_titles: tuple[str, ...]
    person_stop: frozenset[str]
    person_suffixes: tuple[str, ...]
    page_marks: tuple[re.Pattern[str], ...]
    org_heads: frozenset[str]
    org_stop: tuple[str, ...]
    place_stop: frozenset[str]
    places: re.Pattern[str]
    courts_en: re.Pattern[str]
    courts_ur: re.Pattern[str]
    urdu: dict[str, Any]
    version: str


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=len, reverse=True))


@cache
def rules() -> Rules:
    """The rules of ``entity_rules.json`` (loaded once per process). Raises ValueError if malformed."""
    raw = json.loads(DATA.read_text(encoding="utf-8"))
    try:
        courts = raw["courts"]
        latin_places = [p for p in raw["places"] if not ARABIC.search(p)]
        urdu_places = [p for p in raw["places"] if ARABIC.search(p)]
        return Rules(
            raw=raw,
            ruler_roles=frozenset(w.lower() for w in raw["ruler_roles"]),
            person_titles=tuple(sorted((t.lower() for t in raw["person_titles"]), key=len, reverse=True)),
            person_stop=frozenset(w.lower() for w in raw["person_stop_words"]),
            person_suffixes=tuple(raw["person_suffixes"]),
            page_marks=tuple(re.compile(p) for p in raw["page_marks"]),
            org_heads=frozenset(w.lower() for w in raw["org_heads"]),
            org_stop=tuple(w.lower() for w in raw["org_stop_words"]),
            place_stop=frozenset(w.lower() for w in raw["place_stop_words"]),
            places=re.compile(rf"(?<![\w{_UR_LETTERS}])(?:{_alternation(latin_places)}|"
                              rf"{_alternation([p.upper() for p in latin_places if len(p) > 3])}|"
                              rf"{_alternation(urdu_places)})(?![\w{_UR_LETTERS}])"),
            courts_en=re.compile(rf"(?<![\w])(?:{_alternation(courts['en'])}){courts['en_suffix']}(?![\w])",
                                 re.IGNORECASE),
            courts_ur=re.compile(rf"(?:{_alternation(courts['ur'])}){courts['ur_suffix']}(?![{_UR_LETTERS}])"),
            urdu=raw["urdu"],
            version=str(raw["version"]),
        )
    except (KeyError, TypeError, re.error) as exc:
        raise ValueError(f"{DATA} is malformed: {exc}") from exc


# --- before the model ---------------------------------------------------------------------------------


def ruler_patterns() -> list[dict[str, Any]]:
    """EntityRuler patterns (label ``ROLE``) for role words and exhibit marks: spans the model must not
    read as people, places or organisations (``ROLE`` maps to no entity type)."""
    patterns: list[dict[str, Any]] = []
    for word in sorted(rules().ruler_roles):
        tokens = [{"LOWER": part} for part in word.split()]
        patterns.append({"label": "ROLE", "pattern": tokens})
    patterns.append({"label": "ROLE", "pattern": [{"LOWER": {"IN": ["exh", "exh.", "pw", "dw", "cw", "mark"]}},
                                                  {"TEXT": {"REGEX": r"^[-.]?[A-Z0-9/]{1,6}$"}, "OP": "?"}]})
    patterns.append({"label": "ROLE", "pattern": [{"TEXT": {"REGEX": r"^(?:PW|DW|CW|Exh)[-.]?[A-Z0-9/]{1,6}$"}}]})
    return patterns


# --- after the model ----------------------------------------------------------------------------------


def is_page_mark(text: str) -> bool:
    """A page mark or exhibit number (``P/12``, ``(37)``, ``12-A``, ``Page 3``, ``Exh.PW-4``)."""
    stripped = " ".join(text.split())
    return any(p.match(stripped) for p in rules().page_marks)


def clean_person(text: str) -> tuple[int, int] | None:
    """The name inside a person span (titles and role suffixes cut off), as offsets into ``text``, or
    None when what is left is not a name (a role word, a number, one letter)."""
    r = rules()
    start, end = 0, len(text)
    for suffix in r.person_suffixes:
        if text[start:end].endswith(suffix):
            end -= len(suffix)
    changed = True
    while changed:
        changed = False
        lowered = text[start:end].lower()
        for title in r.person_titles:
            if lowered.startswith(title + " ") or lowered.startswith(title + "\n"):
                start += len(title) + 1
                changed = True
                break
    while start < end and not text[start].isalpha():
        start += 1
    while end > start and not (text[end - 1].isalpha() or text[end - 1] == "."):
        end -= 1
    if end > start and text[end - 1] == "." and len(text[start:end].split()[-1]) > 2:
        end -= 1
    name = text[start:end]
    words = [w.lower() for w in re.findall(r"[A-Za-z]+", name)]
    if not words or len(name) < 3 or any(ch.isdigit() for ch in name) or ARABIC.search(name):
        return None
    if any(w in r.person_stop for w in words) or all(w in r.ruler_roles for w in words):
        return None
    return start, end


def keep_org(text: str) -> bool:
    """An organisation only when it names one by its head word (``... Hospital``, ``... Bureau``)."""
    r = rules()
    lowered = " ".join(text.lower().split())
    words = [w.strip(".,()") for w in lowered.split()]
    if any(stop in lowered for stop in r.org_stop) or ARABIC.search(text):
        return False
    return any(w in r.org_heads for w in words)


def keep_place(text: str) -> bool:
    words = [w.strip(".,()").lower() for w in text.split()]
    abbreviation = "." in text and len(text) <= 5
    return bool(words) and not ARABIC.search(text) and not any(w in rules().place_stop for w in words) \
        and not any(ch.isdigit() for ch in text) and text[:1].isupper() and not abbreviation


def names_a_law(text: str, end: int) -> bool:
    """``Pakistan`` in ``Pakistan Penal Code``: a place name that starts the name of a law or body."""
    following = text[end:end + 20].split()
    return bool(following) and following[0].strip(",.") in rules().raw["place_not_before"]


# --- typed entities by rules --------------------------------------------------------------------------


def _iso(day: int, month: int, year: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def find_dates(text: str) -> Iterator[RuleSpan]:
    """Dates with day, month and year: ``14.03.2024``, ``14-3-2024``, ``14th April 2024``, ``April 14,
    2024``; key ISO. Impossible dates (``31.02.2024``) are not dates."""
    for m in _DATE_NUMERIC.finditer(text):
        iso = _iso(int(m.group("d")), int(m.group("m")), int(m.group("y")))
        if iso:
            yield RuleSpan("date", m.start(), m.end(), iso)
    for rx in (_DATE_WORDS, _DATE_US):
        for m in rx.finditer(text):
            month = next((i for i, name in enumerate(_MONTHS, 1) if name.startswith(m.group("mon").lower()[:3])), 0)
            iso = _iso(int(m.group("d")), month, int(m.group("y")))
            if iso:
                yield RuleSpan("date", m.start(), m.end(), iso)


def money_key(raw: str) -> str:
    """``Rs.1,00,000/-`` -> ``PKR 100000``; amounts in words keep their words (``PKR five hundred thousand``)."""
    digits = re.search(r"\d[\d,]*(?:\.\d+)?", raw)
    if digits:
        amount = digits.group().replace(",", "")
        scale = {"lac": 100_000, "lakh": 100_000, "million": 1_000_000, "crore": 10_000_000}
        for word, factor in scale.items():
            if word in raw.lower():
                return f"PKR {round(float(amount) * factor)}"
        return f"PKR {amount}"
    words = re.sub(r"(?i)^rupees\s+", "", raw).strip(" /-")
    return f"PKR {' '.join(words.lower().split())}"


def find_money(text: str) -> Iterator[RuleSpan]:
    """``Rs.1,00,000/-``, ``Rs. 250,000``, ``Rupees five hundred thousand``, ``1,00,000 روپے``."""
    for rx in (_MONEY, _MONEY_UR):
        for m in rx.finditer(text):
            raw = m.group().rstrip()
            if raw.lower().endswith(" and"):
                raw = raw[:-4]
            if re.fullmatch(r"(?i)rupees", raw.strip()):
                continue
            yield RuleSpan("money", m.start(), m.start() + len(raw), money_key(raw))


def find_courts(text: str) -> Iterator[RuleSpan]:
    """Courts named or by kind (``Lahore High Court``, the learned ``High Court``, ``Trial Court``,
    ``Additional Sessions Judge-IV``, ``سیشن جج``); not ``this Court``."""
    r = rules()
    for m in r.courts_en.finditer(text):
        before = text[max(0, m.start() - 10):m.start()].lower()
        if (before.endswith("this ") and m.group().lower() in ("court", "high court")) or before.endswith("advocate "):
            continue
        yield RuleSpan("court", m.start(), m.end(), " ".join(m.group().split()))
    for m in r.courts_ur.finditer(text):
        if text[max(0, m.start() - 12):m.start()].split()[-1:] == r.urdu["advocate_words"]:
            continue  # "ایڈووکیٹ ہائی کورٹ": an advocate's title, not a court of the case
        yield RuleSpan("court", m.start(), m.end(), " ".join(m.group().split()))


def find_places(text: str) -> Iterator[RuleSpan]:
    """Named places from the gazetteer (districts, tehsils, cities, provinces in both scripts) and places
    introduced by a head word (``Village Rustam``, ``Mohallah Bakhshali``, ``Gulbahar Colony``)."""
    r = rules()
    for m in r.places.finditer(text):
        if not names_a_law(text, m.end()):
            yield RuleSpan("place", m.start(), m.end(), " ".join(m.group().split()))
    heads = _alternation(r.raw["place_cue_heads_en"])
    gap = r"[ \t]*\n?[ \t]*"
    for m in re.finditer(rf"(?<![\w])(?:(?:{heads}){gap}{_CAP}(?:[ \t]+{_CAP})?|{_CAP}(?:[ \t]+{_CAP})?[ \t]+"
                         rf"(?i:colony|road|bazaar|town|chowk)(?:[ \t]+No\.[ \t]?\d+)?)", text):
        yield RuleSpan("place", m.start(), m.end(), " ".join(m.group().split()))


def find_orgs_en(text: str) -> Iterator[RuleSpan]:
    """Organisations named with their head word: ``Mardan Medical Complex``, ``Khyber Pakhtunkhwa Forensic
    Science Laboratory``, ``Child Protection and Welfare Bureau``, ``Rural Health Centre Rustam``."""
    heads = _alternation([h.capitalize() for h in rules().org_heads if len(h) > 3])
    word = r"[A-Z][A-Za-z'\-]+"
    for m in re.finditer(rf"(?<![\w])(?:{word}\s+(?:(?:and|of|for)\s+)?){{1,5}}(?:{heads})(?![\w])"
                         rf"(?:\s+No\.\s?\d+(?:\s+{word}){{0,2}}|\s+{word}(?=[,.;\n]))?", text):
        raw = m.group()
        if not keep_org(raw):
            continue
        yield RuleSpan("org", m.start(), m.end(), " ".join(raw.split()))


def find_people_en(text: str) -> Iterator[RuleSpan]:
    """People introduced by the cues of police papers: ``Gul Zaman s/o Sher Zaman``, ``accused Ikramullah``,
    ``Constable Amjad Ali``, ``Mst. Shazia Bibi``."""
    cues = _alternation(rules().raw["person_cues_en"])
    for m in re.finditer(rf"(?<![\w])(?:{cues})[ \t]+(?P<name>{_NAME_EN})", text):
        yield from _person(text, m.start("name"), m.end("name"))
    for m in re.finditer(rf"(?P<name>{_NAME_EN})[ \t]+(?:s/o|d/o|w/o)(?![\w])", text):
        yield from _person(text, m.start("name"), m.end("name"))
    roles = _alternation(rules().raw["person_suffix_roles"])
    for m in re.finditer(rf"(?P<name>{_NAME_EN}),[ \t]*(?:{roles})\b", text):
        yield from _person(text, m.start("name"), m.end("name"))
    caps = r"[A-Z]{2,}\.?(?:[ \t-](?:[A-Z]{2,}|UL|UD|DIN)\.?){1,5}"
    for m in re.finditer(rf"(?:(?i:mr\.?[ \t]+justice|justice)[ \t]+(?P<a>{caps})|(?P<b>{caps}),[ \t]*J\.)", text):
        name = "a" if m.group("a") else "b"
        yield from _person(text, m.start(name), m.end(name))


def _person(text: str, start: int, end: int) -> Iterator[RuleSpan]:
    inner = clean_person(text[start:end])
    if inner is not None:
        s, e = start + inner[0], start + inner[1]
        yield RuleSpan("person", s, e, " ".join(text[s:e].split()))


# --- Urdu ---------------------------------------------------------------------------------------------

_UR_TOKEN = re.compile(rf"[{_UR_LETTERS}]+(?:\u200c[{_UR_LETTERS}]+)*")


def _urdu_tokens(text: str, start: int) -> Iterator[re.Match[str]]:
    """Urdu words from ``start`` until the first thing that is not a word or a single space/newline."""
    pos = start
    while True:
        m = _UR_TOKEN.match(text, pos)
        if m is None:
            return
        yield m
        gap = re.match(r"[ \t\n]{1,2}", text[m.end():])
        if gap is None:
            return
        pos = m.end() + gap.end()


def _urdu_name(text: str, start: int, max_tokens: int = 3) -> tuple[int, int] | None:
    """A name starting at ``start``: up to ``max_tokens`` words, stopping at a stop word or cue; a third
    word must be a known name part (``urdu.name_parts``). ``عبدال`` + next word are one name word."""
    u = rules().urdu
    stop = set(u["stop_words"]) | set(u["relation_cues"]) | set(u["place_cues"])
    parts = set(u["name_parts"])
    taken: list[re.Match[str]] = []
    for m in _urdu_tokens(text, start):
        word = m.group()
        if word in stop or (len(taken) >= 2 and word not in parts) or len(taken) >= max_tokens:
            break
        taken.append(m)
    if not taken:
        return None
    return taken[0].start(), taken[-1].end()


def find_urdu(text: str) -> Iterator[RuleSpan]:
    """People, places and organisations in Urdu by their cues: ``X ولد Y``, ``مسمی X``, ``ملزم X``,
    ``سکنہ X``, ``موضع X``, ``... ہسپتال``."""
    if not ARABIC.search(text):
        return
    u = rules().urdu
    relation = _alternation(u["relation_cues"])
    for m in re.finditer(rf"(?<![{_UR_LETTERS}])(?:{relation})(?![{_UR_LETTERS}])[ \t\n]+", text):
        after = _urdu_name(text, m.end())
        if after:
            yield RuleSpan("person", *after, " ".join(text[after[0]:after[1]].split()))
        before = _urdu_name_before(text, m.start())
        if before:
            yield RuleSpan("person", *before, " ".join(text[before[0]:before[1]].split()))
    cues = _alternation(u["person_cues"])
    # "دستخط: محرر ہیڈ کانسٹیبل ظہور احمد": titles and ranks may follow one another before the name
    for m in re.finditer(rf"(?<![{_UR_LETTERS}])(?:(?:{cues})(?![{_UR_LETTERS}])[ \t\n]+)+", text):
        found = _urdu_name(text, m.end())
        if found:
            yield RuleSpan("person", *found, " ".join(text[found[0]:found[1]].split()))
            yield from _and_next(text, found[1])
    yield from _urdu_places(text)
    yield from _urdu_orgs(text)
    yield from _urdu_name_runs(text)


def _urdu_name_runs(text: str) -> Iterator[RuleSpan]:
    """Two to four known name parts in a row are a name without a cue (``فضل رحیم کے مکان``)."""
    parts = set(rules().urdu["name_parts"]) - set(rules().urdu["stop_words"])
    run: list[re.Match[str]] = []
    for m in [*_UR_TOKEN.finditer(text), None]:
        joined = m is not None and bool(run) and text[run[-1].end():m.start()] in (" ", "\t")
        if m is not None and m.group() in parts and (joined or not run) and len(run) < 4:
            run.append(m)
            continue
        if len(run) >= 2:
            start, end = run[0].start(), run[-1].end()
            yield RuleSpan("person", start, end, " ".join(text[start:end].split()))
        run = [m] if m is not None and m.group() in parts else []


def _and_next(text: str, end: int) -> Iterator[RuleSpan]:
    """``ملزمان اکرام اللہ اور واجد علی``: a name after ``اور`` right after a cued name is a name too."""
    m = re.match(r"[ \t\n]+(?:اور|و)[ \t\n]+", text[end:])
    if m:
        found = _urdu_name(text, end + m.end())
        if found:
            yield RuleSpan("person", *found, " ".join(text[found[0]:found[1]].split()))


def _urdu_name_before(text: str, end: int) -> tuple[int, int] | None:
    """The name right before a relation word (``گل زمان ولد``): up to three words back, stopping at a
    stop word, a cue, punctuation or a line's start."""
    u = rules().urdu
    stop = set(u["stop_words"]) | set(u["person_cues"]) | set(u["place_cues"]) | {":", "۔", "،"}
    words = list(_UR_TOKEN.finditer(text[max(0, end - 80):end]))
    base = max(0, end - 80)
    taken: list[tuple[int, int]] = []
    limit = end
    for m in reversed(words):
        s, e = base + m.start(), base + m.end()
        if text[e:limit].strip(" \t") != "" or m.group() in stop or len(taken) >= 3:
            break
        taken.append((s, e))
        limit = s
    if not taken or (len(taken) == 3 and text[taken[-1][0]:taken[-1][1]] not in set(u["name_parts"])):
        taken = taken[:2]
    if not taken:
        return None
    return taken[-1][0], taken[0][1]


def _urdu_places(text: str) -> Iterator[RuleSpan]:
    u = rules().urdu
    heads = _alternation(u["place_heads"])
    for m in re.finditer(rf"(?<![{_UR_LETTERS}])(?:موضع|محلہ)[ \t]+[{_UR_LETTERS}]+(?:[ \t]+(?:کوٹ|آباد|کلاں|خورد))?",
                         text):
        yield RuleSpan("place", m.start(), m.end(), " ".join(m.group().split()))
    for m in re.finditer(rf"(?<![{_UR_LETTERS}])[{_UR_LETTERS}]+[ \t]+(?:{heads})(?![{_UR_LETTERS}])", text):
        if m.group().split()[0] not in set(u["stop_words"]) | set(u["place_cues"]):
            yield RuleSpan("place", m.start(), m.end(), " ".join(m.group().split()))
    for m in re.finditer(rf"(?<![{_UR_LETTERS}])(?:سکنہ|ساکنان|ساکن|بمقام)[ \t\n]+", text):
        found = _urdu_name(text, m.end(), max_tokens=2)
        if found and text[found[0]:found[1]].split()[0] not in ("موضع", "محلہ", "مکان"):
            yield RuleSpan("place", *found, " ".join(text[found[0]:found[1]].split()))


def _urdu_orgs(text: str) -> Iterator[RuleSpan]:
    u = rules().urdu
    heads = _alternation(u["org_heads"])
    stop = set(u["stop_words"]) - {"میڈیکل", "آفیسر"}
    for m in re.finditer(rf"(?:{heads})(?![{_UR_LETTERS}])", text):
        words = list(_UR_TOKEN.finditer(text[max(0, m.start() - 60):m.start()]))
        base = max(0, m.start() - 60)
        start = m.start()
        taken = 0
        for w in reversed(words):
            s, e = base + w.start(), base + w.end()
            if text[e:start].strip(" \t") != "" or w.group() in stop or taken >= 4:
                break
            start, taken = s, taken + 1
        if taken:
            yield RuleSpan("org", start, m.end(), " ".join(text[start:m.end()].split()))
