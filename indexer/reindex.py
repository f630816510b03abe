"""Indexing from the system of record: one document (the pipeline's index job), one deletion, and a
full zero-downtime rebuild into a new versioned index followed by an atomic alias swap.

The node has no ``_reindex``/``_delete_by_query``: a rebuild reads the database again, and deleting a
document's pages finds their ids with a search and deletes them in bulk.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from elasticsearch import Elasticsearch
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from indexer.aliases import create_index, delete_indices, ensure_index, swap_alias
from indexer.bulk import BulkAction, BulkOptions, BulkReport, Refresh, write
from indexer.documents import (
    DocumentIndexDoc,
    PageIndexDoc,
    document_context,
    document_doc,
    document_es_id,
    page_doc,
)
from indexer.errors import DocumentNotFoundError
from indexer.names import KINDS, IndexKind, IndexNames, IndexSettings
from models import Case, CaseLaw, Document, DocumentStatus, Page, PageStatus

log = logging.getLogger(__name__)

# Documents whose text is complete enough to be searchable.
INDEXABLE_STATUSES = (DocumentStatus.EXTRACTING, DocumentStatus.INDEXING, DocumentStatus.INDEXED)


@dataclass(frozen=True)
class IndexedDocument:
    document_id: int
    pages_indexed: int
    stale_pages_deleted: int


@dataclass(frozen=True)
class RebuildReport:
    pages_index: str
    documents_index: str
    documents: int
    pages: int
    deleted_indices: tuple[str, ...]
    seconds: float


def _load(session: Session, document_ids: Sequence[int]) -> list[Document]:
    stmt = (
        select(Document)
        .where(Document.id.in_(document_ids))
        .options(selectinload(Document.pages).selectinload(Page.entities), selectinload(Document.district))
        .order_by(Document.id)
        # Always read the rows again: a long-lived session may hold stale pages for this document.
        .execution_options(populate_existing=True)
    )
    return list(session.scalars(stmt))


Record = tuple[DocumentIndexDoc, list[PageIndexDoc]]


def _cases_in_scope(session: Session, documents: Sequence[Document]) -> dict[tuple[int, int], Case]:
    """(document district, case id) -> case, for the cases every reader of the document's district may
    read: a case's court, station, stage and parties are copied into a document's index record only
    then (derived data stays inside the scope of the object it is written on). A sealed case's fields
    (``sealed`` among them) are copied onto its own documents: those are read only by the case's
    readers (``Scope.readers_of(..., of_sealed_case=True)``)."""
    from search_app.auth.scope import Scope, case_read_condition  # deferred: keeps the indexer import-light

    by_district: dict[int, set[int]] = {}
    for d in documents:
        if d.case_id is not None:
            by_district.setdefault(d.district_id, set()).add(d.case_id)
    found: dict[tuple[int, int], Case] = {}
    for district_id, ids in by_district.items():
        readers = Scope.readers_of(district_id, of_sealed_case=True)
        stmt = select(Case).where(Case.id.in_(ids), case_read_condition(readers))
        found.update({(district_id, c.id): c for c in session.scalars(stmt)})
    return found


def _records(session: Session, documents: Sequence[Document]) -> Iterator[Record]:
    cases = _cases_in_scope(session, documents)
    laws = {
        cl.document_id: cl
        for cl in session.scalars(select(CaseLaw).where(CaseLaw.document_id.in_([d.id for d in documents])))
    }
    flags = _caselaw_facts(session, list(laws.values()))
    for document in documents:
        law = laws.get(document.id)
        flag, count = flags.get(law.id, ("", 0)) if law is not None else ("", 0)
        context = document_context(
            document, cases.get((document.district_id, document.case_id)) if document.case_id else None,
            law, flag, count
        )
        pages = [
            page_doc(context, page, page.entities)
            for page in document.pages
            if page.status == PageStatus.TEXT_DONE
        ]
        yield document_doc(context, document, pages), pages


def _caselaw_facts(session: Session, laws: Sequence[CaseLaw]) -> dict[int, tuple[str, int]]:
    """Case-law id -> (citator warning, how many judgments of the collection cite it). The warning comes
    from PUBLISHED citing judgments only, whatever the judgment's own status (``caselaw.network.warnings_for``:
    the pages show the same one; approving or withdrawing a citing judgment re-indexes what it cites). The
    count is taken inside the scope of the judgment's readers (derived data never counts what they may not
    read): for a published judgment, published judgments only; before publication, those its district reads."""
    from caselaw.network import cited_by_count, warnings_for
    from search_app.auth.scope import Scope, caselaw_visibility  # deferred: keeps the indexer import-light

    facts: dict[int, tuple[str, int]] = {}
    for law in laws:
        district_id = law.document.district_id if law.document is not None else None
        readers = caselaw_visibility(Scope.readers_of(None if law.is_published else district_id))
        warning = warnings_for(session, [law], readers).get(law.id)
        facts[law.id] = (str(warning.treatment) if warning else "", cited_by_count(session, law, readers))
    return facts


def _actions(
    records: Sequence[Record], pages_index: str, docs_index: str
) -> Iterator[BulkAction]:
    for doc, pages in records:
        yield BulkAction("index", docs_index, doc.es_id, doc.to_source())
        for page in pages:
            yield BulkAction("index", pages_index, page.es_id, page.to_source())


def _indexed_page_ids(es: Elasticsearch, index: str, document_id: int) -> list[str]:
    response = es.search(
        index=index, query={"term": {"document_id": str(document_id)}}, source=False, size=10_000,
    )
    return [hit["_id"] for hit in response["hits"]["hits"]]


def index_document(
    session: Session, es: Elasticsearch, settings: IndexSettings, document_id: int,
    refresh: Refresh = "wait_for",
) -> IndexedDocument:
    """(Re)index one document's pages and its document record through the aliases.

    Pages that no longer exist in the database are deleted from the index. ``refresh="wait_for"`` makes
    the document searchable before returning ("upload, then search" works at once); a back-file load
    passes ``False``. Raises ``BulkIndexError`` if any item failed (the caller marks the document).
    """
    names = IndexNames.from_settings(settings)
    pages_index = names.alias("pages")
    ensure_index(es, names, "pages")
    ensure_index(es, names, "documents")
    documents = _load(session, [document_id])
    if not documents:
        raise DocumentNotFoundError(document_id)
    records = list(_records(session, documents))
    current = {p.es_id for _, pages in records for p in pages}
    stale = [i for i in _indexed_page_ids(es, pages_index, document_id) if i not in current]
    actions = [
        *_actions(records, pages_index, names.alias("documents")),
        *(BulkAction("delete", pages_index, doc_id) for doc_id in stale),
    ]
    write(es, actions, BulkOptions(refresh=refresh))
    return IndexedDocument(document_id, len(current), len(stale))


def delete_document(
    es: Elasticsearch, settings: IndexSettings, document_id: int, refresh: Refresh = "wait_for"
) -> int:
    """Remove a document and all its pages from the search index; returns the number of pages removed."""
    names = IndexNames.from_settings(settings)
    pages_index = names.alias("pages")
    if not es.indices.exists_alias(name=pages_index):
        return 0
    page_ids = _indexed_page_ids(es, pages_index, document_id)
    actions = [BulkAction("delete", pages_index, doc_id) for doc_id in page_ids]
    actions.append(BulkAction("delete", names.alias("documents"), document_es_id(document_id)))
    write(es, actions, BulkOptions(refresh=refresh))
    return len(page_ids)


def _document_ids(session: Session, since: datetime | None = None) -> list[int]:
    stmt = (
        select(Document.id)
        .where(Document.status.in_(INDEXABLE_STATUSES), Document.superseded_by_id.is_(None))  # current versions
        .order_by(Document.id)
    )
    if since is not None:
        stmt = stmt.where(Document.updated_at >= since)
    return list(session.scalars(stmt))


def _load_into(
    session: Session, es: Elasticsearch, document_ids: Sequence[int], pages_index: str, docs_index: str,
    batch_documents: int,
) -> tuple[int, BulkReport]:
    pages = 0
    total = BulkReport()
    for start in range(0, len(document_ids), batch_documents):
        documents = _load(session, document_ids[start:start + batch_documents])
        records = list(_records(session, documents))
        pages += sum(len(p) for _, p in records)
        report = write(es, _actions(records, pages_index, docs_index))
        total.succeeded += report.succeeded
        total.retried += report.retried
        session.expunge_all()  # keep memory flat over a large back file
    return pages, total


def rebuild(
    session: Session, es: Elasticsearch, settings: IndexSettings, batch_documents: int = 50,
    keep_old: bool = False,
) -> RebuildReport:
    """Build fresh versioned indices from the database, then swap the aliases atomically.

    Searches keep answering from the old indices throughout. Documents changed while the rebuild ran
    (their ``updated_at`` is newer than its start) are indexed again into the new index just before
    the swap, and once more after it for changes that landed in between. A failed bulk item aborts
    the rebuild BEFORE the swap and leaves the old index serving (the new one is deleted).
    """
    started = datetime.now(UTC)
    names = IndexNames.from_settings(settings)
    new: dict[IndexKind, str] = {kind: names.rebuilt(kind, started) for kind in KINDS}
    for kind, index in new.items():
        create_index(es, index, kind)
    try:
        # Initial load without refreshes (facts file A5); replicas are already 0 locally.
        es.indices.put_settings(index=",".join(new.values()), settings={"index": {"refresh_interval": "-1"}})
        ids = _document_ids(session)
        pages, _ = _load_into(session, es, ids, new["pages"], new["documents"], batch_documents)
        catch_up_from = datetime.now(UTC)
        _load_into(session, es, _document_ids(session, since=started), new["pages"], new["documents"],
                   batch_documents)
        es.indices.put_settings(index=",".join(new.values()), settings={"index": {"refresh_interval": "1s"}})
        es.indices.refresh(index=",".join(new.values()))
    except Exception:
        delete_indices(es, list(new.values()))
        raise
    old: list[str] = []
    for kind in KINDS:
        old.extend(swap_alias(es, names.alias(kind), new[kind]))
    _load_into(session, es, _document_ids(session, since=catch_up_from), names.alias("pages"),
               names.alias("documents"), batch_documents)
    if not keep_old:
        delete_indices(es, old)
    seconds = (datetime.now(UTC) - started).total_seconds()
    log.info("rebuild: %d documents, %d pages into %s in %.1fs", len(ids), pages, new["pages"], seconds)
    return RebuildReport(new["pages"], new["documents"], len(ids), pages, tuple(old), seconds)
