"""Entity rules around spaCy (issue 14), one row per misreading the general model makes on case files,
with the real model (a package, no service) and the rules as the nlp stage runs them."""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest

from ingest.entities import SPACY_EXCLUDE, FoundEntity, page_entities
from ingest.entity_rules import find_money, is_page_mark, money_key
from ingest.names import name_key, names_match


@cache
def _nlp() -> Any:
    import spacy

    from config import get_settings

    return spacy.load(get_settings().spacy_model, exclude=SPACY_EXCLUDE)


def _found(text: str) -> list[FoundEntity]:
    return page_entities([text], _nlp())[0]


def _kinds_of(text: str, phrase: str) -> set[str]:
    start = text.index(phrase)
    end = start + len(phrase)
    return {e.kind for e in _found(text) if e.start < end and start < e.end}


# (text, phrase, kinds the phrase may be, kinds it must never be)
ROWS = [
    ("The accused holds CNIC No. 16101-2345678-9 and was arrested.", "16101-2345678-9", {"cnic"}, {"date", "money"}),
    ("The case was registered at PS Saddar on the report of the complainant.", "PS Saddar", {"police_station"},
     {"person", "org"}),
    ("Statement of the Complainant (Exh.PA) was recorded.", "Complainant", set(), {"person"}),
    ("Statement of the Complainant (Exh.PA) was recorded.", "Exh.PA", set(), {"person", "org"}),
    ("He had received Rs.1,00,000/- as earnest money.", "Rs.1,00,000/-", {"money"}, {"place", "org", "person"}),
    ("ابتدائی اطلاعاتی رپورٹ\nتھانہ صدر ضلع مردان", "ابتدائی اطلاعاتی رپورٹ", set(), {"person"}),
    ("وجہ تنازعہ ایک پلاٹ ہے", "تنازعہ", set(), {"person"}),
    ("P/12\nThe FIR was lodged on 14.03.2024 at Mardan.", "P/12", set(), {"date", "org"}),
    ("(37)\nThe learned Trial Court convicted the accused.", "(37)", set(), {"date", "org"}),
    ("The learned Trial Court convicted the accused.", "Trial Court", {"court"}, {"org"}),
    ("passed by the Peshawar High Court, Peshawar in Crl. Misc.", "Peshawar High Court", {"court"}, {"org", "place"}),
    ("گل زمان ولد شیر زمان سکنہ موضع رستم", "گل زمان", {"person"}, set()),
    ("گل زمان ولد شیر زمان سکنہ موضع رستم", "موضع رستم", {"place"}, {"person"}),
    ("Gul Zaman s/o Sher Zaman r/o Village Rustam", "Sher Zaman", {"person"}, set()),
    ("FIR No. 98 dated 03.02.2024 u/s 379 PPC", "03.02.2024", {"date", "fir"}, set()),
    ("the Pakistan Penal Code, 1860", "Pakistan", set(), {"place"}),
]


@pytest.mark.parametrize(("text", "phrase", "allowed", "never"), ROWS)
def test_entity_types(text: str, phrase: str, allowed: set[str], never: set[str]) -> None:
    kinds = _kinds_of(text, phrase)
    assert not kinds & never, kinds
    if allowed:
        assert kinds & allowed, kinds


def test_spans_and_person_name_keys() -> None:
    text = "Statement of Gul Zaman s/o Sher Zaman. گل زمان ولد شیر زمان"
    found = _found(text)
    for e in found:
        assert text[e.start:e.end] == e.raw
    keys = {e.attrs.get("name_key") for e in found if e.kind == "person"}
    assert {"gl zmn", "Sr zmn"} <= keys


@pytest.mark.parametrize(("raw", "key"), [("Rs.1,00,000/-", "PKR 100000"), ("Rs. 250,000", "PKR 250000"),
                                          ("Rs.2 lac", "PKR 200000"), ("1,00,000 روپے", "PKR 100000"),
                                          ("Rupees five hundred thousand", "PKR five hundred thousand")])
def test_money_keys(raw: str, key: str) -> None:
    assert money_key(raw) == key
    assert [s.key for s in find_money(f"paid {raw} to him")] == [key]


def test_page_marks() -> None:
    assert all(is_page_mark(m) for m in ["P/12", "(37)", "12-A", "Page 3", "- 4 -", "Exh.PW-4"])
    assert not any(is_page_mark(m) for m in ["14.03.2024", "Mardan", "August 2024"])


@pytest.mark.parametrize(("roman", "urdu"), [("Gul Zaman", "گل زمان"), ("Muhammad Iqbal", "محمد اقبال"),
                                             ("Abdul Ghani", "عبدالغنی"), ("Wajid Ali", "واجد علی"),
                                             ("Shah Faisal", "شاہ فیصل"), ("Naveed Akhtar", "نوید اختر"),
                                             ("Ikramullah", "اکرام اللہ"), ("Mohammad Iqbal", "محمد اقبال")])
def test_roman_and_urdu_spellings_of_one_name_match(roman: str, urdu: str) -> None:
    assert names_match(roman, urdu)
    assert name_key("Gul Zaman") == name_key("گل زمان") == "gl zmn"


@pytest.mark.parametrize(("a", "b"), [("Gul Zaman", "گل نواز"), ("Sher Zaman", "گل زمان"), ("Ali", "علی"),
                                      ("Wajid Ali", "ساجد علی")])
def test_different_names_do_not_match(a: str, b: str) -> None:
    assert not names_match(a, b)


# one row per way a party's relation is written on FIRs, challans and judgments, in both scripts
@pytest.mark.parametrize(("roman", "urdu", "key"), [
    ("Gul Zaman s/o Muhammad Khan", "گل زمان ولد محمد خان", "gl zmn child mhmd xn"),
    ("Gul Zaman S/O Muhammad Khan", "گل زمان ولدیت محمد خان", "gl zmn child mhmd xn"),
    ("Gul Zaman son of Muhammad Khan", "گل زمان، ولد محمد خان", "gl zmn child mhmd xn"),
    ("Shazia d/o Akbar Khan", "شازیہ دختر اکبر خان", "Sz child kbr xn"),
    ("Shazia daughter of Akbar Khan", "شازیہ بنت اکبر خان", "Sz child kbr xn"),
    ("Zainab d/o Akbar Khan", "زینب ولدیت اکبر خان", "znb child kbr xn"),  # parentage, for a daughter too
    ("Shazia w/o Gul Zaman", "شازیہ زوجہ گل زمان", "Sz wife gl zmn"),
    ("Shazia wife of Gul Zaman", "شازیه زوجه گل زمان", "Sz wife gl zmn"),  # Arabic ه typed for ہ
    ("Gul Zaman alias Gulli", "گل زمان عرف گلی", "gl zmn alias gl"),
    ("Gul Zaman @ Gulli", "گل زمان عرف گلی", "gl zmn alias gl"),
    # the address after r/o / سکنہ is not keyed: the name and parentage are
    ("Gul Zaman s/o Muhammad Khan r/o Mohallah Sheikhan, Mardan", "گل زمان ولد محمد خان سکنہ مردان",
     "gl zmn child mhmd xn"),
    ("Gul Zaman s/o Muhammad Khan resident of Mardan", "گل زمان ولد محمد خان ساکن محلہ شیخان مردان",
     "gl zmn child mhmd xn"),
    ("Gul Zaman R/O Mardan", "گل زمان سکنہ مردان", "gl zmn"),
])
def test_relation_words_are_one_token_in_either_script(roman: str, urdu: str, key: str) -> None:
    assert name_key(roman) == name_key(urdu) == key
    assert names_match(roman, urdu)


def test_an_address_ends_at_the_next_party() -> None:
    assert name_key("Gul Zaman r/o Mardan v. The State") == name_key("Gul Zaman") + " " + name_key("v. The State")
    assert name_key("گل زمان سکنہ مردان بنام سرکار") == name_key("گل زمان بنام سرکار")


@pytest.mark.parametrize(("name", "key"), [
    ("Son Khan", "sn xn"), ("Sultan Wife", "sltn wf"),  # a relation word alone in a name is a name word
    ("Gul Zaman s/o", "gl zmn child"), ("r/o Mardan", ""), ("", ""), ("A/B", "b"),
])
def test_relation_words_only_where_they_are_relations(name: str, key: str) -> None:
    assert name_key(name) == key


def test_relation_tokens_cannot_be_a_name_skeleton() -> None:
    # a skeleton has no vowels, so a name word can never give "child", "wife" or "alias"
    import json

    from ingest.names import DATA

    relations = json.loads(DATA.read_text(encoding="utf-8"))["relation_words"]
    assert all(set(token) & set("aeiou") for token in relations)
    assert not names_match("Gul Zaman s/o Sher Khan", "Gul Zaman w/o Sher Khan")
    assert not names_match("Shazia w/o Akbar", "شازیہ بنت اکبر")
