"""Helpers of the intake and review tests: a migrated database of either kind (SQLite file or the real
PostgreSQL), and small rows as the pipeline leaves them (documents with read pages, review flags)."""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from models import (
    Batch,
    BatchSource,
    District,
    DocType,
    Document,
    DocumentStatus,
    FileKind,
    Page,
    PageStatus,
    StoredFile,
    TextSource,
    make_session_factory,
)
from models.migrate import upgrade_database


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_db(request: pytest.FixtureRequest) -> Iterator[sessionmaker[Session]]:
    """A migrated database: SQLite (the ``engine`` fixture) or PostgreSQL (``postgres_engine``)."""
    engine: Engine = request.getfixturevalue("engine" if request.param == "sqlite" else "postgres_engine")
    if request.param == "postgres":
        upgrade_database(engine)
    yield make_session_factory(engine)


def districts(factory: sessionmaker[Session], *names: str) -> dict[str, int]:
    with factory() as db:
        rows = [District(name=n) for n in names]
        db.add_all(rows)
        db.commit()
        return {d.name: d.id for d in rows}


_FILE_NUMBERS = itertools.count(1)


def add_doc(db: Session, district_id: int, pages: list[dict[str, Any]], *, name: str = "scan.pdf",
            batch: Batch | None = None, status: DocumentStatus = DocumentStatus.INDEXED,
            doc_type: DocType = DocType.OTHER, kind: FileKind | None = FileKind.PDF,
            quarantined: bool = False) -> Document:
    """A document with pages; each page dict overrides Page fields (text, needs_review, ...)."""
    # one stored file per call: a counter, not id(pages) (a freed list's id comes back, and with it the hash)
    sha = hashlib.sha256(f"{name}-{district_id}-{len(pages)}-{next(_FILE_NUMBERS)}".encode()).hexdigest()
    db.add(StoredFile(sha256=sha, size_bytes=10, kind=kind, relative_path=f"originals/{sha[:2]}/{sha[2:4]}/{sha}",
                      quarantined=quarantined))
    if batch is None:
        batch = Batch(source=BatchSource.UPLOAD, district_id=district_id)
        db.add(batch)
        db.flush()
    doc = Document(batch_id=batch.id, sha256=sha, original_filename=name, kind=kind, district_id=district_id,
                   status=status, doc_type=doc_type, page_count=len(pages), pages_done=len(pages))
    db.add(doc)
    db.flush()
    for number, fields in enumerate(pages, start=1):
        values: dict[str, Any] = {"status": PageStatus.TEXT_DONE, "source": TextSource.OCR,
                                  "text": f"page {number} text", "mean_confidence": 90.0}
        values.update(fields)
        db.add(Page(document_id=doc.id, page_no=number, **values))
    db.flush()
    doc.needs_review = any(p.get("needs_review") for p in pages)
    return doc
