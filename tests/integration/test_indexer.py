"""Indexer against the real Elasticsearch node and a real (SQLite) database.

Every test uses the ``settings`` fixture's unique index prefix; the ``es`` fixture deletes the indices.
"""

from __future__ import annotations

import hashlib
import threading
import time
from itertools import count
from typing import Any

import pytest
from elasticsearch import Elasticsearch
from sqlalchemy.orm import Session

from config import Settings
from indexer import (
    BulkAction,
    BulkIndexError,
    BulkOptions,
    IndexNames,
    delete_document,
    ensure_indices,
    index_document,
    rebuild,
    write,
)
from indexer.aliases import alias_targets
from legalrefs import RefKind, find_references
from models import (
    Batch,
    BatchSource,
    Case,
    CaseLaw,
    DocType,
    Document,
    DocumentStatus,
    Entity,
    Page,
    PageStatus,
    PoliceStation,
    StoredFile,
)
from models.users import District

pytestmark = pytest.mark.elasticsearch

_serial = count(1)
ENTITY_KINDS = {RefKind.STATUTE: "statute", RefKind.CITATION: "citation", RefKind.FIR: "fir"}


def district(session: Session, name: str) -> District:
    row = District(name=name)
    session.add(row)
    session.flush()
    return row


def entities_for(text: str) -> list[Entity]:
    """What the pipeline's extraction step stores for a page's legal references."""
    return [
        Entity(
            kind=ENTITY_KINDS[r.kind],
            key=r.key,
            raw=r.raw,
            start=r.start,
            end=r.end,
            source="rules",
            attrs={},
        )
        for r in find_references(text, ENTITY_KINDS.keys())
    ]


def make_document(
    session: Session,
    where: District,
    pages: list[str],
    doc_type: DocType = DocType.OTHER,
    title: str = "",
    case: Case | None = None,
    case_law: dict[str, Any] | None = None,
) -> Document:
    n = next(_serial)
    sha = hashlib.sha256(f"doc-{n}-{time.time_ns()}".encode()).hexdigest()
    session.add(StoredFile(sha256=sha, size_bytes=1, relative_path=f"{sha[:2]}/{sha}"))
    batch = Batch(source=BatchSource.CLI, district_id=where.id)
    session.add(batch)
    session.flush()
    document = Document(
        batch_id=batch.id,
        sha256=sha,
        original_filename=f"file{n}.pdf",
        doc_type=doc_type,
        title=title or f"Document {n}",
        district_id=where.id,
        status=DocumentStatus.INDEXING,
        page_count=len(pages),
        case_id=case.id if case else None,
    )
    session.add(document)
    session.flush()
    for page_no, text in enumerate(pages, start=1):
        page = Page(
            document_id=document.id,
            page_no=page_no,
            status=PageStatus.TEXT_DONE,
            source="text_layer",
            text=text,
            language="eng",
            mean_confidence=95.0,
        )
        page.entities = [*entities_for(text)]
        for entity in page.entities:
            entity.document_id = document.id
        session.add(page)
    if case_law is not None:
        session.add(CaseLaw(document_id=document.id, **case_law))
    session.commit()
    return document


def make_case(session: Session, where: District, fir: str, station: str) -> Case:
    ps = PoliceStation(name=station, district_id=where.id)
    session.add(ps)
    session.flush()
    number, year = fir.split("/")
    case = Case(
        fir_number=number,
        fir_year=int(year),
        police_station_id=ps.id,
        district_id=where.id,
        sections=["PPC 302"],
        stage="trial",
        court="Sessions Court",
    )
    session.add(case)
    session.commit()
    return case


def page_count(es: Elasticsearch, settings: Settings) -> int:
    alias = IndexNames.from_settings(settings).alias("pages")
    es.indices.refresh(index=alias)
    return int(es.count(index=alias)["count"])


def test_indices_are_versioned_behind_aliases_and_strict(es: Elasticsearch, settings: Settings) -> None:
    names = IndexNames.from_settings(settings)
    created = ensure_indices(es, names)
    assert created == {"pages": names.initial("pages"), "documents": names.initial("documents")}
    assert ensure_indices(es, names) == created  # second call changes nothing
    assert ensure_indices(es, settings) == created  # the settings work as well
    assert alias_targets(es, names.alias("pages")) == [names.initial("pages")]
    # dynamic: strict -> an unknown field is refused, item by item, and reported.
    with pytest.raises(BulkIndexError) as info:
        write(es, [BulkAction("index", names.alias("pages"), "x", {"no_such_field": 1})])
    assert info.value.failures[0].error_type == "strict_dynamic_mapping_exception"
    assert not info.value.retryable


def test_index_document_twice_gives_no_duplicates(
    es: Elasticsearch, settings: Settings, session: Session
) -> None:
    where = district(session, "Peshawar")
    document = make_document(session, where, ["murder under s.302 P.P.C.", "bail refused", "third page"])
    first = index_document(session, es, settings, document.id)
    second = index_document(session, es, settings, document.id)
    assert first.pages_indexed == second.pages_indexed == 3
    assert page_count(es, settings) == 3
    # A page removed from the database disappears from the index on the next indexing.
    session.delete(document.pages[-1])
    session.commit()
    again = index_document(session, es, settings, document.id)
    assert again.stale_pages_deleted == 1
    assert page_count(es, settings) == 2
    assert delete_document(es, settings, document.id) == 2
    assert page_count(es, settings) == 0


def test_failed_item_is_reported_and_later_chunks_still_sent(es: Elasticsearch, settings: Settings) -> None:
    names = IndexNames.from_settings(settings)
    ensure_indices(es, names)
    alias = names.alias("pages")
    actions = [BulkAction("index", alias, f"p{i}", {"text": f"page {i}", "page_no": i}) for i in range(10)]
    actions[1] = BulkAction("index", alias, "bad", {"text": "x", "page_no": "not a number"})
    with pytest.raises(BulkIndexError) as info:
        write(es, actions, BulkOptions(chunk_size=2))
    assert [f.doc_id for f in info.value.failures] == ["bad"]
    assert info.value.failures[0].status == 400
    assert info.value.succeeded == 9
    assert page_count(es, settings) == 9  # every later chunk arrived


def test_refused_items_are_retried_until_accepted(es: Elasticsearch, settings: Settings) -> None:
    names = IndexNames.from_settings(settings)
    concrete = ensure_indices(es, names)["pages"]
    # A write block answers 403 cluster_block_exception, like a disk at flood stage.
    es.indices.put_settings(index=concrete, settings={"index.blocks.write": True})
    waits: list[float] = []

    def unblock_after_first_wait(seconds: float) -> None:
        waits.append(seconds)
        es.indices.put_settings(index=concrete, settings={"index.blocks.write": False})

    actions = [
        BulkAction("index", names.alias("pages"), f"p{i}", {"text": "t", "page_no": i}) for i in range(5)
    ]
    report = write(es, actions, BulkOptions(refresh="wait_for"), sleep=unblock_after_first_wait)
    assert len(waits) == 1 and report.retried == 5 and report.succeeded == 5
    assert page_count(es, settings) == 5


def test_rebuild_swaps_alias_while_searches_keep_answering(
    es: Elasticsearch, settings: Settings, session: Session
) -> None:
    where = district(session, "Mardan")
    documents = [
        make_document(session, where, [f"murder case {i} page {p}" for p in range(3)]) for i in range(20)
    ]
    for document in documents:
        index_document(session, es, settings, document.id, refresh=False)
    names = IndexNames.from_settings(settings)
    old_index = alias_targets(es, names.alias("pages"))
    assert page_count(es, settings) == 60

    errors: list[Exception] = []
    answers: list[int] = []
    stop = threading.Event()

    def keep_searching() -> None:
        client = Elasticsearch(settings.es_url, request_timeout=10)
        while not stop.is_set():
            try:
                answers.append(
                    int(
                        client.count(index=names.alias("pages"), query={"match": {"text": "murder"}})["count"]
                    )
                )
            except Exception as exc:
                errors.append(exc)
        client.close()

    searcher = threading.Thread(target=keep_searching)
    searcher.start()
    try:
        report = rebuild(session, es, settings)
    finally:
        time.sleep(0.2)
        stop.set()
        searcher.join()
    assert errors == []
    assert answers and all(a == 60 for a in answers)
    assert report.documents == 20 and report.pages == 60
    assert alias_targets(es, names.alias("pages")) == [report.pages_index]
    assert report.pages_index != old_index[0]
    assert not es.indices.exists(index=old_index[0])
    assert page_count(es, settings) == 60
