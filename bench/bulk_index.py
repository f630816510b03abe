"""Index-stage throughput: pages per second into Elasticsearch as the pipeline's index jobs send them
(one ``indexer.index_document`` call per document, no refresh) against the batched baseline measured
in the same run (``indexer.rebuild``: 50 documents per bulk into a fresh index).

    .venv/bin/python -m bench.bulk_index [--quick] [--es-url http://127.0.0.1:9200]

Page texts are real: the text layers of the born-digital judgments in
../shared/corpus/pk-supreme-court/digital/, cycled over synthetic documents in a temporary SQLite
database. The indices (prefix ``benchbulk-<random>``) are deleted at the end.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import uuid
from pathlib import Path

from elasticsearch import Elasticsearch

from config import Settings, shared_dir
from indexer import index_document, rebuild
from models import (
    Batch,
    BatchSource,
    Document,
    DocumentStatus,
    Page,
    PageStatus,
    StoredFile,
    TextSource,
    make_engine,
    make_session_factory,
    session_scope,
)
from models.migrate import upgrade_database
from models.users import District
from ocr.pdf import read_text_layer

DIGITAL = shared_dir() / "corpus" / "pk-supreme-court" / "digital"


def page_texts(limit: int) -> list[str]:
    texts: list[str] = []
    for pdf in sorted(DIGITAL.glob("*.pdf")):
        for index in range(3):
            try:
                texts.append(read_text_layer(pdf, index, 72).page_text.text)
            except Exception:
                break
            if len(texts) >= limit:
                return texts
    return texts


def seed(settings: Settings, documents: int, pages: int, texts: list[str]) -> list[int]:
    engine = make_engine(settings.sqlalchemy_url)
    upgrade_database(engine)
    ids = []
    with session_scope(make_session_factory(engine)) as session:
        district = District(name="Peshawar")
        session.add(district)
        session.flush()
        batch = Batch(source=BatchSource.CLI, district_id=district.id)
        session.add(batch)
        session.flush()
        for d in range(documents):
            sha = uuid.uuid4().hex * 2
            session.add(StoredFile(sha256=sha, size_bytes=1, relative_path=f"originals/{sha}"))
            doc = Document(
                batch_id=batch.id,
                sha256=sha,
                original_filename=f"doc-{d}.pdf",
                title=f"doc {d}",
                district_id=district.id,
                status=DocumentStatus.INDEXING,
                page_count=pages,
            )
            session.add(doc)
            session.flush()
            for p in range(pages):
                session.add(
                    Page(
                        document_id=doc.id,
                        page_no=p + 1,
                        status=PageStatus.TEXT_DONE,
                        source=TextSource.TEXT_LAYER,
                        text=texts[(d * pages + p) % len(texts)],
                        language="eng",
                    )
                )
            ids.append(doc.id)
    return ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20 documents x 5 pages instead of 200 x 10")
    parser.add_argument("--es-url", default="http://127.0.0.1:9200")
    args = parser.parse_args()
    documents, pages = (20, 5) if args.quick else (200, 10)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            var_dir=Path(tmp),
            es_url=args.es_url,
            es_index_prefix=f"benchbulk-{uuid.uuid4().hex[:6]}",
            _env_file=None,
        )  # type: ignore[call-arg]
        es = Elasticsearch(args.es_url, request_timeout=60)
        texts = page_texts(60)
        ids = seed(settings, documents, pages, texts)
        total = documents * pages
        factory = make_session_factory(make_engine(settings.sqlalchemy_url))
        try:
            started = time.perf_counter()
            with factory() as session:
                for document_id in ids:
                    index_document(session, es, settings, document_id, refresh=False)
            per_doc = time.perf_counter() - started
            with factory() as session:
                report = rebuild(session, es, settings)
            print(
                f"{documents} documents x {pages} pages ({total} pages, {len(texts)} distinct page texts)"
            )
            print(
                f"  pipeline index jobs (1 bulk/document): {per_doc:6.2f} s  {total / per_doc:8.1f} pages/s"
            )
            print(
                f"  baseline rebuild (50 documents/bulk):  {report.seconds:6.2f} s  "
                f"{report.pages / report.seconds:8.1f} pages/s"
            )
        finally:
            es.options(ignore_status=404).indices.delete(index=f"{settings.es_index_prefix}*")


if __name__ == "__main__":
    main()
