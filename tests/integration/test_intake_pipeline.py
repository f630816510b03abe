"""Intake through the real pipeline (``cmms worker`` processes, Tesseract, Redis, Elasticsearch):

* the same bytes uploaded in another district become that district's own document, reusing the stored
  file and the page text (no page OCR'd twice, no id of the other district shown) (issue 8, kind 7);
* a re-scan (220 dpi, turned 1.2 degrees, JPEG) of a page already read is found as "a re-scan of #N,
  page 1", while another page of the same judgment is not; made a version, search shows only the
  current version (issue 15, kind 2);
* a 2,000-frame TIFF is refused by the same page limit as a PDF (issue 8, kind 9);
* a JPEG with wiped headers (undecodable) fails alone with the clerk's reason and is then replaced and
  processed (issue 15, kind 3); a JPEG merely cut short is read in part (tests/integration/test_ocr_images.py).

Samples: ../shared/corpus/pk-supreme-court (see tests/integration/test_pipeline_support.py).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import cv2
import pytest
from PIL import Image
from redis import Redis
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from config import Settings
from ingest.retry import replace_document
from ingest.versions import make_version
from jobs.enqueue import enqueue_document, enqueue_reindex_document
from models import DocType, Document, DocumentStatus, Page, RescanMatch, ReviewReason
from ocr.errors import CLERK_MESSAGES, PageErrorCode
from ocr.pdf import render_page
from tests.damaged import jpeg_with_wiped_headers
from tests.integration.test_pipeline_support import (
    DIGITAL,
    SCANNED,
    cut_pages,
    es_page_ids,
    ingest,
    make_district,
    run_burst,
)

pytestmark = [pytest.mark.redis, pytest.mark.elasticsearch, pytest.mark.tesseract, pytest.mark.slow]


def _doc(factory: sessionmaker[Session], document_id: int | None) -> Document:
    assert document_id is not None
    with factory() as db:
        doc = db.get(Document, document_id)
        assert doc is not None
        _ = doc.pages  # load before the session closes
        return doc


def test_same_bytes_in_another_district_reuse_the_reading(
    tmp_path: Path, settings: Settings, session_factory: sessionmaker[Session], redis_conn: Redis, es: Any
) -> None:
    peshawar = make_district(session_factory, "Peshawar")
    mardan = make_district(session_factory, "Mardan")
    source = cut_pages(DIGITAL, [0], tmp_path / "order.pdf")
    first = ingest(session_factory, settings, redis_conn, [source], peshawar, DocType.ORDER)
    run_burst(settings, tmp_path / "worker1.log")
    copy = tmp_path / "mardan" / "order copy.pdf"
    copy.parent.mkdir()
    copy.write_bytes(source.read_bytes())
    second = ingest(session_factory, settings, redis_conn, [copy], mardan, DocType.ORDER)
    outcome = second.outcomes[0]
    assert outcome.status == "accepted" and outcome.duplicate_of_id is None
    assert str(first.outcomes[0].document_id) not in outcome.message
    run_burst(settings, tmp_path / "worker2.log")
    theirs, ours = _doc(session_factory, first.outcomes[0].document_id), _doc(session_factory, outcome.document_id)
    assert ours.status == DocumentStatus.INDEXED and ours.district_id == mardan and ours.sha256 == theirs.sha256
    assert [(p.text, p.engine, p.duration_ms, p.image_path) for p in ours.pages] == [
        (p.text, p.engine, p.duration_ms, p.image_path) for p in theirs.pages]  # copied, not read again
    assert f"ocr-page-{ours.pages[0].id}" not in (tmp_path / "worker2.log").read_text()
    assert es_page_ids(es, settings, ours.id) == [f"page-{ours.id}-1"]
    hit = es.get(index=f"{settings.es_index_prefix}-pages", id=f"page-{ours.id}-1")["_source"]
    assert str(hit["district_id"]) == str(mardan)


def _rescan(tmp_path: Path) -> Path:
    """Page 1 of the scanned judgment as a second scanner would give it: 220 dpi, 1.2 degrees, JPEG."""
    image = render_page(SCANNED, 0, 300)
    h, w = image.shape
    turned = cv2.warpAffine(image, cv2.getRotationMatrix2D((w / 2, h / 2), 1.2, 1.0), (w, h), borderValue=255)
    small = cv2.resize(turned, (round(w * 220 / 300), round(h * 220 / 300)), interpolation=cv2.INTER_AREA)
    out = tmp_path / "rescan of page 1.jpg"
    Image.fromarray(small).save(out, format="JPEG", quality=70, dpi=(220, 220))
    return out


def test_a_rescan_is_found_made_a_version_and_search_shows_the_current_one(
    tmp_path: Path, settings: Settings, session_factory: sessionmaker[Session], redis_conn: Redis, es: Any
) -> None:
    district = make_district(session_factory)
    original = ingest(session_factory, settings, redis_conn, [cut_pages(SCANNED, [0], tmp_path / "p1.pdf")],
                      district, DocType.ORDER)
    run_burst(settings, tmp_path / "worker1.log")
    later = ingest(session_factory, settings, redis_conn,
                   [_rescan(tmp_path), cut_pages(SCANNED, [1], tmp_path / "page 2.pdf")], district, DocType.ORDER)
    run_burst(settings, tmp_path / "worker2.log")
    old_id = original.outcomes[0].document_id
    rescan_id, page2_id = (o.document_id for o in later.outcomes)
    with session_factory() as db:
        findings = list(db.scalars(select(RescanMatch)))
        assert [(m.document_id, m.match_document_id) for m in findings] == [(rescan_id, old_id)]
        new_page, old_page, distance, similarity = findings[0].pages[0]
        assert (new_page, old_page) == (1, 1)
        print(f"re-scan vs original: pHash distance {distance} bits, text Jaccard {similarity}")
        assert db.scalars(select(RescanMatch).where(RescanMatch.document_id == page2_id)).first() is None
        new, old = db.get(Document, rescan_id), db.get(Document, old_id)
        assert new is not None and old is not None
        assert make_version(db, new, old, None) == [old_id, rescan_id]
        db.commit()
    for document_id in (old_id, rescan_id):
        enqueue_reindex_document(redis_conn, document_id, settings)
    run_burst(settings, tmp_path / "worker3.log")
    assert es_page_ids(es, settings, old_id) == []  # the earlier version left the index
    assert es_page_ids(es, settings, rescan_id) == [f"page-{rescan_id}-1"]
    assert _doc(session_factory, old_id).status == DocumentStatus.INDEXED  # kept, readable as history


def test_a_2000_frame_tiff_meets_the_same_page_limit(
    tmp_path: Path, settings: Settings, session_factory: sessionmaker[Session], redis_conn: Redis, es: Any
) -> None:
    district = make_district(session_factory)
    frame = Image.new("1", (300, 300), 1)
    tiff = tmp_path / "bundle.tif"
    frame.save(tiff, format="TIFF", save_all=True, append_images=[frame] * 1999, compression="group4")
    result = ingest(session_factory, settings, redis_conn, [tiff], district, DocType.OTHER)
    run_burst(settings, tmp_path / "worker.log")
    doc = _doc(session_factory, result.outcomes[0].document_id)
    assert doc.status == DocumentStatus.FAILED and doc.error_code == "too_many_pages"
    assert "2000 pages" in (doc.error_message or "") and doc.pages == []


def test_a_damaged_jpeg_fails_alone_and_is_replaced(
    tmp_path: Path, settings: Settings, session_factory: sessionmaker[Session], redis_conn: Redis, es: Any
) -> None:
    """Two damaged JPEGs beside a good PDF. One cut to a third is decoded as far as it goes and its
    page flagged for review as a partial image (issue 9, kind 7: not refused, not silently "done");
    one whose headers are wiped (tests/damaged.py) has nothing to decode: it fails alone with the
    clerk's message for a damaged file and is replaced, the replacement superseding it."""
    district = make_district(session_factory)
    good = io.BytesIO()
    Image.fromarray(render_page(DIGITAL, 0, 200)).save(good, format="JPEG", quality=85, dpi=(200, 200))
    partial = tmp_path / "partial.jpg"
    partial.write_bytes(good.getvalue()[: len(good.getvalue()) // 3])
    damaged = tmp_path / "damaged.jpg"
    damaged.write_bytes(jpeg_with_wiped_headers(good.getvalue()))
    fine = cut_pages(DIGITAL, [0], tmp_path / "fine.pdf")
    result = ingest(session_factory, settings, redis_conn, [partial, damaged, fine], district, DocType.ORDER)
    assert all(o.document_id is not None for o in result.outcomes)  # intake keeps them: their magic bytes are a JPEG's
    run_burst(settings, tmp_path / "worker1.log")
    cut, broken, ok = (_doc(session_factory, o.document_id) for o in result.outcomes)
    assert ok.status == DocumentStatus.INDEXED
    assert cut.pages and all(p.needs_review and ReviewReason.PARTIAL_IMAGE.value in p.review_reasons
                             for p in cut.pages), [(p.needs_review, p.review_reasons) for p in cut.pages]
    assert broken.status == DocumentStatus.FAILED, broken.status
    assert broken.error_code == PageErrorCode.CORRUPT
    assert broken.error_message == CLERK_MESSAGES[PageErrorCode.CORRUPT], broken.error_message
    with session_factory() as db:
        doc = db.get(Document, broken.id)
        assert doc is not None
        outcome = replace_document(db, settings, doc, "rescanned.jpg", io.BytesIO(good.getvalue()))
    assert outcome.document_id is not None
    enqueue_document(redis_conn, outcome.document_id, settings)
    run_burst(settings, tmp_path / "worker2.log")
    replacement = _doc(session_factory, outcome.document_id)
    assert replacement.status == DocumentStatus.INDEXED and replacement.batch_id == broken.batch_id
    assert _doc(session_factory, broken.id).superseded_by_id == replacement.id
    with session_factory() as db:
        assert db.scalar(select(Page.id).where(Page.document_id == replacement.id)) is not None
