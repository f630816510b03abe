"""FIR references through the real nlp and index stages (``jobs.stages``), SQLite, Redis and
Elasticsearch (issue 14):

* a document whose FIR carries a police station (``FIR No. 310/2004 PS Fatehpur``) is found by search
  for ``FIR 310/2004`` and ``fir:310/2004`` (every key form a person types is indexed);
* an Urdu FIR page (``مقدمہ نمبر 245/2024 تھانہ صدر``) links to its case exactly as the English copy does;
  with the station not printed it is suggested, like the English copy. The cases are in the documents'
  own district (links are computed within a document's district).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from elasticsearch import Elasticsearch
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from config import Settings
from jobs.context import WorkerContext
from jobs.stages import extract_document, index_document
from models import (
    Batch,
    BatchSource,
    CaseLinkSuggestion,
    DocType,
    Document,
    DocumentStatus,
    Entity,
    Page,
    PageStatus,
    StoredFile,
)
from search_app.search import Scope, SearchRequest, search
from tests.integration.test_indexer import district, make_case

pytestmark = [pytest.mark.elasticsearch, pytest.mark.redis]

EN_310 = ("FIRST INFORMATION REPORT\nFIR No. 310/2004 PS Fatehpur, District Mardan\n"
          "The complainant Gul Zaman reported that the accused snatched Rs.50,000/- from him.")
EN_245 = ("FIRST INFORMATION REPORT\nFIR No. 245/2024 Police Station Saddar, District Mardan\n"
          "Statement of the complainant Gul Zaman s/o Sher Zaman.")
UR_245 = ("ابتدائی اطلاعاتی رپورٹ\nمقدمہ نمبر 245/2024 تھانہ صدر ضلع مردان\n"
          "بیان مستغیث گل زمان ولد شیر زمان سکنہ موضع رستم")
UR_245_NO_STATION = "بیان گواہ\nمقدمہ نمبر 245/2024 بجرم 302 ت پ\nبیان کیا کہ میں محمد اقبال ولد عبدالغنی ہوں"


@pytest.fixture
def ctx(settings: Settings, session_factory: sessionmaker[Session], redis_conn: Any) -> Iterator[WorkerContext]:
    context = WorkerContext(settings)
    yield context


def _document(session: Session, where_id: int, pages: list[str], name: str) -> Document:
    sha = f"{abs(hash((name, tuple(pages)))):064d}"[-64:]
    session.add(StoredFile(sha256=sha, size_bytes=1, relative_path=f"{sha[:2]}/{sha}"))
    batch = Batch(source=BatchSource.CLI, district_id=where_id)
    session.add(batch)
    session.flush()
    doc = Document(batch_id=batch.id, sha256=sha, original_filename=name, doc_type=DocType.FIR, title=name,
                   district_id=where_id, status=DocumentStatus.EXTRACTING, page_count=len(pages))
    session.add(doc)
    session.flush()
    for number, text in enumerate(pages, start=1):
        session.add(Page(document_id=doc.id, page_no=number, status=PageStatus.TEXT_DONE, source="text_layer",
                         text=text, language="urd" if "\u0600" <= text[0] <= "\u06ff" else "eng"))
    session.commit()
    return doc


def _run_stages(ctx: WorkerContext, es: Elasticsearch, settings: Settings, *documents: Document) -> None:
    for doc in documents:
        extract_document(ctx, doc.id)  # the real nlp stage (spaCy + rules + case links)
        index_document(ctx, doc.id)
    es.indices.refresh(index=f"{settings.es_index_prefix}-pages")


def _found(es: Elasticsearch, settings: Settings, text: str) -> set[int]:
    results = search(es, settings, SearchRequest(text=text), Scope.everything())
    return {g.document_id for g in results.groups}


def test_search_finds_an_fir_that_carries_its_police_station(
    ctx: WorkerContext, es: Elasticsearch, settings: Settings, session: Session
) -> None:
    mardan = district(session, "Mardan")
    make_case(session, mardan, "999/2004", "Fatehpur")  # another case: the FIR stays unlinked
    doc = _document(session, mardan.id, [EN_310], "fir-310.pdf")
    other = _document(session, mardan.id, ["FIR No. 311/2004 PS Fatehpur, District Mardan"], "fir-311.pdf")
    _run_stages(ctx, es, settings, doc, other)
    firs = session.scalars(select(Entity.key).where(Entity.document_id == doc.id, Entity.kind == "fir")).all()
    assert firs == ["FIR 310/2004 PS Fatehpur"]
    for query in ("FIR 310/2004", "fir:310/2004", "FIR No. 310/2004", "FIR 310/2004 PS Fatehpur",
                  'fir:"310/2004 PS Fatehpur"'):
        assert _found(es, settings, query) == {doc.id}, query


def test_an_urdu_fir_links_to_its_case_like_the_english_copy(
    ctx: WorkerContext, es: Elasticsearch, settings: Settings, session: Session
) -> None:
    mardan = district(session, "Mardan")
    case = make_case(session, mardan, "245/2024", "Saddar")
    english = _document(session, mardan.id, [EN_245], "fir-245-en.pdf")
    urdu = _document(session, mardan.id, [UR_245], "fir-245-ur.pdf")
    witness = _document(session, mardan.id, [UR_245_NO_STATION], "statement-245-ur.pdf")
    _run_stages(ctx, es, settings, english, urdu, witness)
    session.expire_all()
    assert session.get(Document, english.id).case_id == case.id  # type: ignore[union-attr]
    assert session.get(Document, urdu.id).case_id == case.id  # type: ignore[union-attr]
    urdu_fir = session.scalars(select(Entity).where(Entity.document_id == urdu.id, Entity.kind == "fir")).one()
    assert urdu_fir.key == "FIR 245/2024 PS Saddar"  # the English copy's key
    # number and year without the station: suggested for a person to confirm, not linked
    assert session.get(Document, witness.id).case_id is None  # type: ignore[union-attr]
    suggestion = session.scalars(
        select(CaseLinkSuggestion).where(CaseLinkSuggestion.document_id == witness.id)
    ).one()
    assert suggestion.case_id == case.id
    # both copies are found by the case's FIR in either form, and the Urdu names carry the English keys
    assert {english.id, urdu.id} <= _found(es, settings, "FIR 245/2024")
    keys = session.scalars(select(Entity.attrs).where(Entity.document_id == urdu.id, Entity.kind == "person")).all()
    assert {"name_key": "gl zmn"} in keys
