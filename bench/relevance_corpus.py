"""Related-judgment ranking on the corpus itself: a judgment's facts as the query, the judgments of
the collection it cites as the relevant set.

    .venv/bin/python -m bench.relevance_corpus [--quick] [--es-url URL] [--rebuild]
                                               [--pdf-dir DIR] [--prefix NAME]

The collection: the Supreme Court of Pakistan judgments in ``--pdf-dir`` (default: the 35 of
``../shared/corpus/pk-supreme-court``; the scraped set they come from, ~900 PDFs, may be given as a
folder of PDFs on the command line and is never copied into the repository). Each judgment's own
reported citations (``2023 SCMR 139``, ``2022 SCP 321``) come from the Court's metadata in
``../shared/corpus/pk-citation-formats/sc_case_metadata_with_reported_citations.tsv`` (the PDFs do not
print them). A judgment J is a query when the text of J cites at least one other judgment of the
collection by one of its reported citations; the cited ones are J's relevant set.

Query: the opening of J's body (``caselaw.record.facts_text``: where a judgment states the facts),
with every law-report citation removed from it, so that no citation string can match. J itself is
left out of its ranking. Born-digital pages are read from the text layer (pypdfium2); image-only
pages are skipped (OCR of ~900 judgments is out of a benchmark's budget).

Systems, on the same page index with the CMMS mapping, judgments ranked by their best page:
  * BM25 baseline: a ``match`` on ``text.exact`` (standard analysis);
  * CMMS: ``search_app.search.similar.description_query`` (what "related judgments" sends);
  * ablation: the description analyser on ``text`` (default BM25);
  * CMMS fused: the CMMS ranking fused with the product's page vectors (``caselaw.page_vectors``, built
    by ``indexer.page_tokens.build_page_vectors`` on this collection's pages only, J's own page vectors
    included but J left out of its ranking) by ``search_app.search.fusion.fuse_similar`` (RRF k 60,
    dense weight 0.25, frozen on AILA): an out-of-sample check of a recipe chosen on AILA.
Metrics: MAP over the top 1000, P@10, nDCG@10, mean rank of the relevant judgments.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from elasticsearch import Elasticsearch

from bench.relevance_aila import BASELINE, BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED, CMMS, FUSED, Scores, score, variants
from caselaw.page_vectors import load
from caselaw.record import facts_text
from config import shared_dir
from indexer.aliases import alias_targets, create_index, delete_indices, swap_alias
from indexer.bulk import BulkAction, BulkOptions, write
from indexer.documents import DocumentContext, PageEntities, PageIndexDoc, statute_keys_with_broader
from indexer.page_tokens import build_page_vectors, query_tokens
from legalrefs import RefKind, find_references, normalise
from search_app.search.fusion import fuse_similar
from search_app.search.ranking_metrics import average_precision, bootstrap_interval, paired_differences
from search_app.search.similar import description_query

REPO = Path(__file__).resolve().parent.parent
SHARED = shared_dir() / "corpus"
DEFAULT_DIRS = (SHARED / "pk-supreme-court" / "digital", SHARED / "pk-supreme-court" / "scanned")
METADATA = SHARED / "pk-citation-formats" / "sc_case_metadata_with_reported_citations.tsv"
DEPTH = 1000
MIN_PAGE_CHARS = 200  # fewer text-layer characters: an image-only page (skipped)

QueryBuilder = Callable[[str], dict[str, Any]]


@dataclass(frozen=True)
class Judgment:
    doc_id: int
    name: str
    pages: tuple[str, ...]
    own_keys: frozenset[str]
    cited_keys: frozenset[str]


def reported_keys(path: Path = METADATA) -> dict[str, frozenset[str]]:
    """PDF file name -> the judgment's reported citations as legalrefs keys."""
    out: dict[str, set[str]] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            keys = out.setdefault(row["pdf_file"], set())
            for column in ("reported_citation", "sc_neutral_citation"):
                value = (row.get(column) or "").strip()
                if value and value.upper() not in ("N/A", "NA"):
                    keys.update(normalise(value))
    return {name: frozenset(keys) for name, keys in out.items()}


def read_text_layer(path: Path) -> tuple[str, ...]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    try:
        pages = [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    finally:
        pdf.close()
    return tuple(p for p in pages if len(p.strip()) >= MIN_PAGE_CHARS)


def load_collection(dirs: tuple[Path, ...], quick: bool) -> list[Judgment]:
    own = reported_keys()
    files = sorted({p for d in dirs for p in d.glob("*.pdf")}, key=lambda p: p.name)
    judgments: list[Judgment] = []
    for number, path in enumerate(files, start=1):
        try:
            pages = read_text_layer(path)
        except Exception:  # a damaged PDF in a scraped set: skipped, counted below
            continue
        if not pages:
            continue
        cited = frozenset(r.key for p in pages for r in find_references(p, [RefKind.CITATION]))
        keys = own.get(path.name, frozenset())
        judgments.append(Judgment(number, path.name, pages, keys, cited - keys))
    return judgments[:120] if quick else judgments


def build_index(es: Elasticsearch, prefix: str, judgments: list[Judgment], rebuild: bool) -> str:
    alias = f"{prefix}-pages"
    if alias_targets(es, alias) and not rebuild:
        return alias
    index = f"{prefix}-pages-v1-{int(time.time())}"
    create_index(es, index, "pages")

    def records() -> Iterator[BulkAction]:
        for j in judgments:
            context = DocumentContext(document_id=j.doc_id, title=j.name, doc_type="judgment", district_id=None,
                                      district="", case_id=None, is_case_law=True, published=True)
            for number, text in enumerate(j.pages, start=1):
                refs = find_references(text, [RefKind.STATUTE])
                entities = PageEntities(statutes=tuple(statute_keys_with_broader(r.key for r in refs)))
                doc = PageIndexDoc(context, number, text, None, "eng", "text_layer", None, entities)
                yield BulkAction("index", index, doc.es_id, doc.to_source())

    write(es, records(), BulkOptions(chunk_size=500))
    es.indices.refresh(index=index)
    delete_indices(es, swap_alias(es, alias, index))
    return alias


_CITATION_SPANS = re.compile(r"\s+")


def query_text(judgment: Judgment) -> str:
    """The facts of the judgment with every citation cut out (no citation string may match)."""
    facts = facts_text(list(judgment.pages))
    for ref in sorted(find_references(facts, [RefKind.CITATION]), key=lambda r: -r.start):
        facts = facts[: ref.start] + " " + facts[ref.end:]
    return _CITATION_SPANS.sub(" ", facts).strip()


def ranked(es: Elasticsearch, alias: str, query: dict[str, Any], exclude: int) -> list[int]:
    body = {"query": {"bool": {"must": [query], "must_not": [{"term": {"document_id": str(exclude)}}]}},
            "collapse": {"field": "document_id"}, "_source": ["document_id"], "size": DEPTH}
    return [int(h["_source"]["document_id"]) for h in es.search(index=alias, body=body)["hits"]["hits"]]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the first 120 judgments only")
    parser.add_argument("--es-url", default=os.environ.get("CMMS_ES_URL", "http://127.0.0.1:9200"))
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--pdf-dir", type=Path, action="append", help="folder of judgment PDFs (repeatable)")
    parser.add_argument("--prefix", default="benchcorpus", help="index name prefix")
    parser.add_argument("--no-dense", action="store_true", help="skip the fused (page vectors) ranking")
    args = parser.parse_args()
    es = Elasticsearch(args.es_url, request_timeout=300)
    started = time.perf_counter()
    judgments = load_collection(tuple(args.pdf_dir or DEFAULT_DIRS), args.quick)
    by_key = {k: j.doc_id for j in judgments for k in j.own_keys}
    queries = {j.doc_id: j for j in judgments if {by_key[k] for k in j.cited_keys if k in by_key} - {j.doc_id}}
    qrels = {str(j.doc_id): {str(by_key[k]) for k in j.cited_keys if k in by_key} - {str(j.doc_id)}
             for j in queries.values()}
    alias = build_index(es, args.prefix, judgments, args.rebuild)
    pages = sum(len(j.pages) for j in judgments)
    print(f"{len(judgments)} judgments with a text layer ({pages} pages), {len(by_key)} reported citations known; "
          f"{len(queries)} judgments cite others of the collection ({sum(len(v) for v in qrels.values())} "
          f"relevant; ready in {time.perf_counter() - started:.0f} s)")
    if not queries:
        print("no judgment of this collection cites another one: nothing to measure "
              "(give the full scraped set with --pdf-dir)")
        return
    every = variants()
    systems: dict[str, QueryBuilder] = {
        BASELINE: every[BASELINE], CMMS: description_query,
        "  ablation: description on text (default BM25)": every["  ablation: description on text (default BM25)"],
    }
    texts = {str(d): query_text(j) for d, j in queries.items()}
    results: dict[str, Scores] = {}
    every_ranking: dict[str, dict[str, list[str]]] = {}
    for name, build in systems.items():
        rankings = {q: [str(d) for d in ranked(es, alias, build(texts[q]), int(q))] for q in texts}
        results[name] = score(rankings, qrels)
        every_ranking[name] = rankings
    if not args.no_dense:
        started = time.perf_counter()
        directory = REPO / "var" / "bench-corpus-vectors" / args.prefix
        manifest = build_page_vectors(es, alias, directory)
        vectors = load(directory)
        assert vectors is not None
        print(f"page vectors: {manifest.pages} pages, {manifest.documents} judgments, built in "
              f"{time.perf_counter() - started:.0f} s (training {manifest.train_seconds:.0f} s)")
        ms: list[float] = []
        fused: dict[str, list[str]] = {}
        for q in texts:
            begun = time.perf_counter()
            dense = [d for d, _ in vectors.rank(query_tokens(es, alias, texts[q]), DEPTH + 1) if d != q]
            ms.append((time.perf_counter() - begun) * 1000)
            fused[q] = fuse_similar(every_ranking[CMMS][q], dense)[:DEPTH]
        print(f"dense part per query: mean {sum(ms) / len(ms):.0f} ms")
        results[FUSED] = score(fused, qrels)
        ap = {name: {q: average_precision(r[q], qrels[q]) for q in texts}
              for name, r in {**every_ranking, FUSED: fused}.items()}
    print(f"\n{'system':<48} {'MAP':>6} {'P@10':>6} {'nDCG@10':>8} {'mean rank':>10}")
    for name, s in results.items():
        print(f"{name:<48} {s.map:6.4f} {s.p10:6.3f} {s.ndcg10:8.3f} {s.mean_rank:10.0f}")
    base, cmms = results[BASELINE], results[CMMS]
    print(f"CMMS vs BM25: MAP {cmms.map - base.map:+.4f}, P@10 {cmms.p10 - base.p10:+.3f}, "
          f"nDCG@10 {cmms.ndcg10 - base.ndcg10:+.3f} (of {len(judgments)} judgments)")
    if not args.no_dense:
        for other in (CMMS, BASELINE):
            differences = paired_differences(ap[FUSED], ap[other])
            low, high = bootstrap_interval(differences, resamples=BOOTSTRAP_RESAMPLES, seed=BOOTSTRAP_SEED)
            print(f"fused - {other.strip()}: MAP {sum(differences) / len(differences):+.4f}  95% CI "
                  f"[{low:+.4f}, {high:+.4f}] (paired bootstrap over the {len(differences)} queries)")


if __name__ == "__main__":
    main()
