"""The Urdu-English glossary (search across languages, issue 16): loading and checking the data,
matching typed terms, expanding parsed queries, the named Elasticsearch clauses, explaining a match."""

from __future__ import annotations

from pathlib import Path

import pytest

from search_app.search.ast import And, Glossed, Phrase, Reference, Word
from search_app.search.glossary import (
    GlossaryError,
    clause_name,
    expand,
    explain,
    glossary,
    load_glossary,
    term_key,
)
from search_app.search.query_builder import build_query, uses_rtl_text
from search_app.search.query_parser import parse


def test_the_glossary_loads_with_the_issues_examples() -> None:
    found = glossary()
    assert len(found.entries) >= 50
    murder = found.lookup("قتل")
    assert murder is not None and "murder" in murder.english and murder.statutes == ("PPC 302",)
    assert found.lookup("چالان") is found.lookup("challan") is not None
    assert found.lookup("تھانہ") is found.lookup("police station") is not None


@pytest.mark.parametrize(("typed", "entry"), [
    ("قتل", "murder"), ("MURDER", "murder"), ("Qatl-e-Amd", "murder"),
    ("قتلِ عمد", "murder"), ("قتل عمد", "murder"),           # with and without the zer
    ("تهانه", "police_station"),                            # Arabic heh typed for Urdu ہ
    ("ملزمان", "accused"), ("اقدام قتل", "attempted_murder"), ("ضمانت قبل از گرفتاری", "pre_arrest_bail"),
])
def test_terms_match_whatever_letter_forms_were_typed(typed: str, entry: str) -> None:
    found = glossary().lookup(typed)
    assert found is not None and found.key == entry


def test_term_keys_unify_letters_and_spacing() -> None:
    assert term_key("  Police   Station ") == "police station"
    assert term_key("كتاب") == term_key("کتاب")  # Arabic kaf and Urdu keheh


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "glossary.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("text", "message"), [
    ('[a]\nurdu = ["قتل"]\nenglish = ["murder"]\n[b]\nurdu = ["قتل"]\nenglish = ["homicide"]\n', "in both"),
    ('[a]\nurdu = ["قتل"]\nenglish = []\n', "both Urdu and English"),
    ('[a]\nurdu = ["قتل"]\nenglish = ["murder"]\nstatutes = ["s.302 PPC"]\n', "not a legalrefs statute key"),
])
def test_an_inconsistent_glossary_is_refused(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(GlossaryError, match=message):
        load_glossary(_write(tmp_path, text))


def test_urdu_murder_302_is_expanded_to_english_and_the_statute() -> None:
    node = expand(parse("قتل 302"))
    assert isinstance(node, And) and node.children[1] == Word("302")
    glossed = node.children[0]
    assert isinstance(glossed, Glossed) and glossed.term == "قتل" and glossed.original == Word("قتل")
    labels = {a.label: a for a in glossed.alternatives}
    assert labels["murder"].node == Word("murder") and labels["intentional murder"].node == Phrase("intentional murder")
    assert labels["PPC 302"].node == Reference("statute", ("PPC 302",), "PPC 302")
    assert "قتل عمد" not in labels  # terms in the language typed add nothing (a page with قتل عمد says قتل)


def test_what_is_never_expanded() -> None:
    assert expand(parse('"قتل"')) == Phrase("قتل")           # an exact phrase is exactly what was typed
    assert expand(parse("NOT murder")) == parse("NOT murder")  # an exclusion stays as typed
    assert expand(parse("murd*")) == parse("murd*")
    assert expand(parse("murder~")) == parse("murder~")
    assert expand(parse("ps:تھانہ")) == parse("ps:تھانہ")
    assert expand(parse("gul khan")) == parse("gul khan")
    assert expand(None) is None


def test_multi_word_terms_longest_first() -> None:
    node = expand(parse("pre-arrest bail granted"))
    assert isinstance(node, And) and isinstance(node.children[0], Glossed)
    assert node.children[0].term == "pre-arrest bail" and node.children[-1] == Word("granted")
    node = expand(parse("police station Saddar"))
    assert isinstance(node, And)
    first = node.children[0]
    assert isinstance(first, Glossed)
    assert first.original == And((Word("police"), Word("station")))  # the words as typed, not a phrase


def test_glossed_terms_become_named_clauses() -> None:
    node = expand(parse("قتل OR theft"))
    query = build_query(node)
    names = _names(query)
    assert clause_name(node.children[0], None) in names  # type: ignore[union-attr]
    assert {"glossary:0:typed", "glossary:1:typed"} <= names and "glossary:0:0" in names
    assert uses_rtl_text(expand(parse("murder")))  # its Urdu alternative is searched on text_rtl


def _names(query: object) -> set[str]:
    if isinstance(query, dict):
        found = {str(query["_name"])} if "_name" in query else set()
        return found.union(*(_names(v) for v in query.values()))
    if isinstance(query, list):
        return set().union(*(_names(v) for v in query))
    return set()


def test_explanations_name_the_alternatives_that_matched() -> None:
    node = expand(parse("قتل 302"))
    glossed = node.children[0]  # type: ignore[union-attr]
    assert isinstance(glossed, Glossed)
    index = {a.label: i for i, a in enumerate(glossed.alternatives)}
    matched = {clause_name(glossed, index["murder"]), clause_name(glossed, index["PPC 302"]), "glossary:9:0"}
    explained = explain(node, matched)
    assert len(explained) == 1 and explained[0].term == "قتل" and explained[0].meanings == ("murder", "PPC 302")
    assert explain(node, matched | {clause_name(glossed, None)}) == ()  # the term as typed matched too
    assert explain(node, set()) == ()
