"""Case-law pages as the ``text.facts`` analyser tokenises them, read from Elasticsearch, and the
page-vector build over them (``caselaw.page_vectors``).

Pages: term vectors of ``text.facts`` with positions (``_mtermvectors``). The field stores no term
vectors, so Elasticsearch re-analyses each page's ``text`` from ``_source`` with the field's own
analyser (``cmms_english``) and returns every token with its positions: exactly the tokens BM25
indexed, put back in reading order. About 25,000 pages take a minute or two in batches of 200.
Queries: ``_analyze`` with ``field: text.facts`` (the same analyser), one request.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from elasticsearch import Elasticsearch, helpers

from caselaw.page_vectors import RECIPE, Manifest, PageTokens, Recipe, read_manifest, save, train
from indexer.aliases import alias_targets

log = logging.getLogger(__name__)

FIELD = "text.facts"
BATCH = 200
MAX_QUERY_CHARS = 20_000


def _stream(vector: dict[str, Any]) -> tuple[str, ...]:
    """Tokens of one term-vector response, in position order."""
    terms = vector.get("term_vectors", {}).get(FIELD, {}).get("terms", {})
    placed = [(token["position"], term) for term, info in terms.items() for token in info.get("tokens", ())]
    return tuple(term for _, term in sorted(placed))


def case_law_pages(es: Elasticsearch, index: str, batch: int = BATCH) -> Iterator[PageTokens]:
    """Every case-law page of ``index`` (an alias or index) with its ``text.facts`` tokens; pages
    without text come back with no tokens. Raises the client's errors when Elasticsearch fails."""
    hits = helpers.scan(es, index=index, query={"query": {"term": {"is_case_law": True}}},
                        _source=["document_id", "page_no"], size=1000, preserve_order=False)
    pending: list[tuple[str, str, str, int]] = []

    def flush() -> Iterator[PageTokens]:
        by_index: dict[str, list[tuple[str, str, int]]] = {}
        for concrete, es_id, document_id, page_no in pending:
            by_index.setdefault(concrete, []).append((es_id, document_id, page_no))
        for concrete, rows in by_index.items():
            response = es.mtermvectors(index=concrete, ids=[r[0] for r in rows], fields=[FIELD], positions=True,
                                       offsets=False, payloads=False, term_statistics=False,
                                       field_statistics=False, realtime=False)
            streams = {d["_id"]: _stream(d) for d in response["docs"]}
            for es_id, document_id, page_no in rows:
                yield PageTokens(document_id, page_no, streams.get(es_id, ()))
        pending.clear()

    for hit in hits:
        source = hit["_source"]
        pending.append((hit["_index"], hit["_id"], str(source["document_id"]), int(source.get("page_no", 0))))
        if len(pending) >= batch:
            yield from flush()
    yield from flush()


def query_tokens(es: Elasticsearch, index: str, text: str) -> list[str]:
    """``text`` (at most ``MAX_QUERY_CHARS`` characters are read) as ``text.facts`` tokenises it."""
    response = es.indices.analyze(index=index, field=FIELD, text=text[:MAX_QUERY_CHARS])
    return [t["token"] for t in response.get("tokens", ())]


def build_page_vectors(es: Elasticsearch, alias: str, directory: Path, recipe: Recipe = RECIPE,
                       extra_texts: Sequence[str] = ()) -> Manifest:
    """Train the page vectors of every case-law page behind ``alias`` and store them in ``directory``
    (replacing what was there). ``extra_texts``: unlabelled texts added to training only. Returns the
    manifest written. Raises ``caselaw.page_vectors.PageVectorsError`` when there is no case law."""
    targets = alias_targets(es, alias)
    source = targets[-1] if targets else alias
    pages = list(case_law_pages(es, source))
    log.info("page vectors: %d case-law pages read from %s", len(pages), source)
    extra = [query_tokens(es, source, t) for t in extra_texts]
    vectors = train(pages, source, recipe, extra)
    vectors.manifest = replace(vectors.manifest, source_pages=len(pages))
    save(vectors, directory)
    log.info("page vectors: %d pages, %d judgments, %.0f s training, stored in %s", vectors.manifest.pages,
             vectors.manifest.documents, vectors.manifest.train_seconds, directory)
    return vectors.manifest


def stale_reason(es: Elasticsearch, alias: str, directory: Path) -> str | None:
    """Why the page vectors stored in ``directory`` no longer match the case law behind ``alias``
    (none built yet, the index was rebuilt, case-law pages were added or removed), or None when they
    still match. A judgment re-read with the same number of pages is not noticed until the next
    change or rebuild. Raises the client's errors when Elasticsearch fails."""
    manifest = read_manifest(directory)
    if manifest is None:
        return "none built yet"
    targets = alias_targets(es, alias)
    source = targets[-1] if targets else alias
    if manifest.index != source:
        return f"the search index was rebuilt ({manifest.index} -> {source})"
    pages = int(es.count(index=source, query={"term": {"is_case_law": True}})["count"])
    if pages != manifest.source_pages:
        return f"{pages} case-law pages in the index, {manifest.source_pages} when built"
    return None


def rebuild_if_stale(es: Elasticsearch, alias: str, directory: Path, recipe: Recipe = RECIPE) -> Manifest | None:
    """Rebuild the page vectors stored in ``directory`` (``build_page_vectors``) when ``stale_reason``
    says they no longer match the case law behind ``alias`` (the pages alias or an index name); the
    reason is logged before the build, which takes minutes on a full collection.

    Returns the manifest written by the rebuild, or None when the stored vectors still match and
    nothing was done. Raises ``caselaw.page_vectors.PageVectorsError`` when there is too little case
    law to train on, and the client's errors (``elasticsearch.ApiError``, ``TransportError``) when
    Elasticsearch fails; both come before anything is written, so the stored vectors stay as they were."""
    reason = stale_reason(es, alias, directory)
    if reason is None:
        return None
    log.info("page vectors: rebuilding (%s)", reason)
    return build_page_vectors(es, alias, directory, recipe)
