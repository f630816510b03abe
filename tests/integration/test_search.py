"""The search service end to end: SQL rows -> index_document -> search() on the real node."""

from __future__ import annotations

from datetime import date

import pytest
from elasticsearch import Elasticsearch
from sqlalchemy.orm import Session

from config import Settings
from indexer import index_document
from models import DocType
from search_app.search import Scope, SearchRequest, SearchResults, search, similar_case_law
from tests.integration.test_indexer import district, make_case, make_document

pytestmark = pytest.mark.elasticsearch


def _ids(results: SearchResults) -> set[int]:
    return {g.document_id for g in results.groups}


def _search(
    es: Elasticsearch, settings: Settings, text: str, scope: Scope | None = None, **kwargs: object
) -> SearchResults:
    return search(es, settings, SearchRequest(text=text, **kwargs), scope or Scope.everything())  # type: ignore[arg-type]


def test_highlight_escapes_ocr_html(es: Elasticsearch, settings: Settings, session: Session) -> None:
    where = district(session, "Peshawar")
    doc = make_document(
        session, where, ["The witness said <script>alert(1)</script> the murder happened at night."]
    )
    index_document(session, es, settings, doc.id)
    results = _search(es, settings, "murder")
    fragments = [f for g in results.groups for p in g.pages for f in p.fragments]
    assert fragments, "the matching page must come back highlighted"
    joined = " ".join(fragments)
    assert "<script>" not in joined and "&lt;script&gt;alert(1)&lt;/script&gt;" in joined
    assert "<mark>murder</mark>" in joined
    without_marks = joined.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in without_marks and ">" not in without_marks


def test_results_grouped_by_document_with_best_pages(
    es: Elasticsearch, settings: Settings, session: Session
) -> None:
    where = district(session, "Peshawar")
    doc = make_document(
        session,
        where,
        ["bail granted", "dying declaration recorded", "nothing here", "the dying declaration was doubted"],
    )
    other = make_document(session, where, ["a dying declaration in another file"])
    for d in (doc, other):
        index_document(session, es, settings, d.id)
    results = _search(es, settings, '"dying declaration"')
    assert results.total_documents == 2 and results.total_pages == 3
    group = next(g for g in results.groups if g.document_id == doc.id)
    assert sorted(p.page_no for p in group.pages) == [2, 4]
    assert all("<mark>dying declaration</mark>" in p.fragments[0] for p in group.pages)


def test_district_scope_excludes_other_districts(
    es: Elasticsearch, settings: Settings, session: Session
) -> None:
    peshawar, mardan = district(session, "Peshawar"), district(session, "Mardan")
    mine = make_document(session, peshawar, ["robbery at the bazaar"])
    theirs = make_document(session, mardan, ["robbery near the canal"])
    judgment = make_document(
        session,
        mardan,
        ["robbery appeal dismissed"],
        doc_type=DocType.JUDGMENT,
        case_law={"citation": "PLD 2015 SC 1", "court": "Supreme Court", "status": "published"},
    )
    unapproved = make_document(session, mardan, ["robbery appeal pending review"], doc_type=DocType.JUDGMENT,
                               case_law={"court": "Supreme Court"})
    for d in (mine, theirs, judgment, unapproved):
        index_document(session, es, settings, d.id)
    assert _ids(_search(es, settings, "robbery")) == {mine.id, theirs.id, judgment.id, unapproved.id}
    scoped = _search(es, settings, "robbery", Scope.districts([peshawar.id]))
    # published case law is read everywhere; Mardan's case file and its judgment awaiting a
    # librarian's approval are not
    assert _ids(scoped) == {mine.id, judgment.id}
    # Query text cannot widen the scope.
    assert theirs.id not in _ids(
        _search(
            es,
            settings,
            f"robbery OR district:{mardan.id} OR district:Mardan",
            Scope.districts([peshawar.id]),
        )
    )
    assert _ids(_search(es, settings, "robbery", Scope.districts([]))) == {judgment.id}
    assert _ids(_search(es, settings, "robbery", case_law_only=True)) == {judgment.id, unapproved.id}


def test_statute_variants_find_the_same_pages(
    es: Elasticsearch, settings: Settings, session: Session
) -> None:
    where = district(session, "Peshawar")
    texts = [
        "convicted under s.302 P.P.C. and sentenced",
        "charged under section 302 of the Pakistan Penal Code",
        "offence under 302 PPC is not bailable",
        "conviction under Section 302(b), P.P.C maintained",
        "an unrelated page about section 379 PPC theft",
    ]
    docs = [make_document(session, where, [t]) for t in texts]
    for d in docs:
        index_document(session, es, settings, d.id)
    expected = {d.id for d in docs[:4]}
    for query in [
        "302 PPC",
        "s.302 P.P.C.",
        "section 302 of the Pakistan Penal Code",
        'section:"302 PPC"',
        "section:302",
    ]:
        assert _ids(_search(es, settings, query)) == expected, query
    # The sub-clause stays narrow.
    assert _ids(_search(es, settings, "302(b) PPC")) == {docs[3].id}


def test_citation_variants_and_the_judgment_itself(
    es: Elasticsearch, settings: Settings, session: Session
) -> None:
    where = district(session, "Peshawar")
    judgment = make_document(
        session,
        where,
        ["Judgment text."],
        doc_type=DocType.JUDGMENT,
        case_law={
            "citation": "PLD 2010 SC 123",
            "court": "Supreme Court of Pakistan",
            "decided_on": date(2010, 3, 1),
            "judge": "Justice A",
        },
    )
    citing = make_document(session, where, ["As held in P L D 2010 Supreme Court 123, bail is a right."])
    for d in (judgment, citing):
        index_document(session, es, settings, d.id)
    for query in ["PLD 2010 SC 123", 'citation:"PLD 2010 SC 123"', "pld 2010 sc 123"]:
        assert _ids(_search(es, settings, query)) == {judgment.id, citing.id}, query
    assert _ids(_search(es, settings, 'judge:"Justice A"')) == {judgment.id}
    assert _ids(_search(es, settings, "year:2010")) == {judgment.id}
    assert _ids(_search(es, settings, "date:2010-01..2010-06")) == {judgment.id}


def test_facet_counts(es: Elasticsearch, settings: Settings, session: Session) -> None:
    peshawar, mardan = district(session, "Peshawar"), district(session, "Mardan")
    case = make_case(session, mardan, "45/2019", "Saddar")
    make = make_document
    docs = [
        make(session, peshawar, ["theft of cattle", "theft again"], doc_type=DocType.FIR),
        make(session, peshawar, ["theft of a car"], doc_type=DocType.STATEMENT),
        make(session, mardan, ["theft at night under 379 PPC"], doc_type=DocType.FIR, case=case),
    ]
    for d in docs:
        index_document(session, es, settings, d.id)
    results = _search(es, settings, "theft")
    facets = {f.name: {b.value: (b.pages, b.documents) for b in f.buckets} for f in results.facets}
    assert facets["district"] == {"Peshawar": (3, 2), "Mardan": (1, 1)}
    assert facets["doc_type"] == {"fir": (3, 2), "statement": (1, 1)}
    assert facets["police_station"] == {"Saddar": (1, 1)}
    assert facets["case_stage"] == {"trial": (1, 1)}
    assert facets["statute"] == {"PPC 379": (1, 1)}
    assert facets["year"] == {"2019": (1, 1)}
    narrowed = _search(es, settings, "theft", facets={"district": ("Mardan",)})
    assert _ids(narrowed) == {docs[2].id}
    assert _ids(_search(es, settings, "fir:45/2019")) == {docs[2].id}
    assert _ids(_search(es, settings, "ps:saddar theft")) == {docs[2].id}
    assert _ids(_search(es, settings, "theft", case_id=case.id)) == {docs[2].id}


def test_similar_case_law(es: Elasticsearch, settings: Settings, session: Session) -> None:
    where = district(session, "Peshawar")
    law = {"court": "Supreme Court"}
    poison = make_document(
        session,
        where,
        ["The deceased was poisoned by arsenic mixed in tea by the accused."],
        doc_type=DocType.JUDGMENT,
        case_law={**law, "citation": "PLD 2001 SC 1"},
    )
    land = make_document(
        session,
        where,
        ["A dispute over agricultural land inheritance and mutation."],
        doc_type=DocType.JUDGMENT,
        case_law={**law, "citation": "PLD 2002 SC 2"},
    )
    case_file = make_document(session, where, ["arsenic poisoning tea deceased accused"])
    for d in (poison, land, case_file):
        index_document(session, es, settings, d.id)
    results = similar_case_law(
        es, settings, "The appellant gave the deceased tea with arsenic poison in it.", Scope.everything()
    )
    assert results.groups[0].document_id == poison.id
    assert case_file.id not in _ids(results)


def test_stop_words_and_punctuation_do_not_empty_the_results(
    es: Elasticsearch, settings: Settings, session: Session
) -> None:
    where = district(session, "Peshawar")
    doc = make_document(session, where, ["The murder of the deceased was proved."])
    other = make_document(session, where, ["Bail granted to the accused."])
    for d in (doc, other):
        index_document(session, es, settings, d.id)
    assert _ids(_search(es, settings, "murder")) == {doc.id}
    assert _ids(_search(es, settings, "the murder of the deceased")) == {doc.id}
    assert _ids(_search(es, settings, "bail - granted")) == {other.id}


def test_urdu_text_is_normalised_and_highlighted(
    es: Elasticsearch, settings: Settings, session: Session
) -> None:
    where = district(session, "Peshawar")
    # Arabic yeh (U+064A) on the page; the query types the Urdu/Farsi yeh (U+06CC).
    doc = make_document(session, where, ["ملزم علي خان پر قتل عمد کا مقدمہ"])
    index_document(session, es, settings, doc.id)
    results = _search(es, settings, "علی")
    assert _ids(results) == {doc.id}
    assert "<mark>" in results.groups[0].pages[0].fragments[0]
    assert _ids(_search(es, settings, "قتل")) == {doc.id}
