"""Known ways RQ and Elasticsearch lose work (facts file B3), reproduced for real, and recovered by the
reconciler: a worker SIGKILLed mid-page, a Redis FLUSHDB mid-batch, and Elasticsearch unreachable during
indexing. Each ends with every page indexed exactly once (Elasticsearch page ids == the page rows)."""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path
from typing import Any

import pytest
from redis import Redis
from rq.registry import FailedJobRegistry, StartedJobRegistry
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from config import Settings
from jobs import stages
from jobs.context import WorkerContext
from jobs.enqueue import enqueue_document
from jobs.queues import INDEX, OCR, queue
from jobs.reconcile import JobState, reconcile
from jobs.stages import max_attempts
from models import Document, DocumentStatus, Page, PageStatus, session_scope
from tests.integration.test_pipeline_support import (
    DIGITAL,
    SCANNED,
    cut_pages,
    documents,
    es_page_ids,
    ingest,
    kill_group,
    make_district,
    run_burst,
    start_worker,
    wait_until,
)

pytestmark = [pytest.mark.redis, pytest.mark.elasticsearch, pytest.mark.tesseract, pytest.mark.slow]


def _pages(factory: sessionmaker[Session], document_id: int) -> list[Page]:
    with factory() as session:
        return list(
            session.scalars(select(Page).where(Page.document_id == document_id).order_by(Page.page_no))
        )


def _assert_indexed_once(factory: sessionmaker[Session], es: Any, settings: Settings, ids: list[int]) -> None:
    for document_id, doc in documents(factory, ids).items():
        assert doc.status == DocumentStatus.INDEXED, (document_id, doc.status, doc.error_message)
        expected = sorted(f"page-{document_id}-{p.page_no}" for p in _pages(factory, document_id))
        assert len(expected) == doc.page_count > 0
        assert sorted(es_page_ids(es, settings, document_id)) == expected


def _tesseract_running(session_id: int) -> bool:
    """True while a Tesseract of this worker's session (the worker started a new session) runs."""
    found = subprocess.run(["pgrep", "-x", "-s", str(session_id), "tesseract"], capture_output=True, check=False)
    return found.returncode == 0


def _batch(tmp_path: Path, scanned_pages: int = 1) -> list[Path]:
    return [
        cut_pages(SCANNED, list(range(scanned_pages)), tmp_path / "scanned.pdf"),
        cut_pages(DIGITAL, [0], tmp_path / "digital-1.pdf"),
        cut_pages(DIGITAL, [1], tmp_path / "digital-2.pdf"),
    ]


def test_worker_killed_mid_page_is_recovered_by_the_reconciler(
    tmp_path: Path,
    settings: Settings,
    session_factory: sessionmaker[Session],
    redis_conn: Redis,
    es: Any,
) -> None:
    district_id = make_district(session_factory)
    ids = ingest(session_factory, settings, redis_conn, _batch(tmp_path), district_id).document_ids_to_process
    scanned_id = ids[0]
    worker = start_worker(settings, tmp_path / "worker-1.log")
    try:
        # Kill while Tesseract is reading the page: a fixed sleep races a fast, idle machine.
        # (the worker's start-up probe runs tesseract too, hence the page-started condition)
        page = wait_until(
            lambda: next((p for p in _pages(session_factory, scanned_id) if p.attempts >= 1), None)
            if _tesseract_running(worker.pid) else None,
            90, "Tesseract reading the scanned page", interval=0.05,
        )
    finally:
        kill_group(worker)  # SIGKILL to the worker and its work horse: a machine dying
    job_id = f"ocr-page-{page.id}"
    assert _pages(session_factory, scanned_id)[0].status == PageStatus.PENDING
    # RQ alone keeps the job "started" until its timeout expires, then fails it without a retry.
    assert job_id in StartedJobRegistry(queue=queue(redis_conn, OCR)).get_job_ids(cleanup=False)

    report = reconcile(session_factory, redis_conn, settings, grace_s=0)
    assert report.requeued.get(job_id) is JobState.DEAD_WORKER
    again = reconcile(session_factory, redis_conn, settings, grace_s=0)
    assert job_id not in again.requeued  # now queued: live, never enqueued twice

    run_burst(settings, tmp_path / "worker-2.log")
    _assert_indexed_once(session_factory, es, settings, ids)
    assert _pages(session_factory, scanned_id)[0].attempts == 2


def test_redis_flushed_mid_batch_loses_nothing(
    tmp_path: Path,
    settings: Settings,
    session_factory: sessionmaker[Session],
    redis_conn: Redis,
    es: Any,
) -> None:
    district_id = make_district(session_factory)
    ids = ingest(
        session_factory, settings, redis_conn, _batch(tmp_path, 2), district_id
    ).document_ids_to_process
    worker = start_worker(settings, tmp_path / "worker-1.log")
    try:
        wait_until(
            lambda: any(p.status == PageStatus.TEXT_DONE for d in ids for p in _pages(session_factory, d)),
            90,
            "a first page to be read",
        )
        redis_conn.flushdb()  # Redis restarted without persistence: every queued job is gone
        report = reconcile(session_factory, redis_conn, settings, grace_s=0)
        assert report.requeued and set(report.requeued.values()) <= {JobState.MISSING}

        def finished() -> bool:
            if worker.poll() is not None:  # the old worker gave up after the flush: start another
                return True
            return all(d.status == DocumentStatus.INDEXED for d in documents(session_factory, ids).values())

        wait_until(finished, 150, "the batch to finish", interval=1.0)
        if worker.poll() is not None:
            run_burst(settings, tmp_path / "worker-2.log")
    finally:
        kill_group(worker)
    _assert_indexed_once(session_factory, es, settings, ids)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_elasticsearch_unreachable_during_indexing_loses_nothing(
    tmp_path: Path,
    settings: Settings,
    session_factory: sessionmaker[Session],
    redis_conn: Redis,
    es: Any,
) -> None:
    district_id = make_district(session_factory)
    good = cut_pages(DIGITAL, [0, 1], tmp_path / "digital.pdf")
    (document_id,) = ingest(
        session_factory, settings, redis_conn, [good], district_id
    ).document_ids_to_process
    down = f"http://127.0.0.1:{_closed_port()}"
    run_burst(settings, tmp_path / "worker-down.log", CMMS_ES_URL=down, CMMS_JOB_RETRIES="0")

    with session_factory() as session:
        doc = session.get(Document, document_id)
        assert doc is not None and doc.status == DocumentStatus.INDEXING  # waiting, not failed
        assert doc.error_code is None
    assert f"index-doc-{document_id}" in FailedJobRegistry(queue=queue(redis_conn, INDEX)).get_job_ids()
    assert es_page_ids(es, settings, document_id) == []

    report = reconcile(session_factory, redis_conn, settings, grace_s=0)
    assert report.requeued == {f"index-doc-{document_id}": JobState.ENDED}
    run_burst(settings, tmp_path / "worker-up.log")
    _assert_indexed_once(session_factory, es, settings, [document_id])


def test_enqueue_is_deduplicated_and_a_poison_page_is_given_up(
    tmp_path: Path,
    settings: Settings,
    session_factory: sessionmaker[Session],
    redis_conn: Redis,
) -> None:
    district_id = make_district(session_factory)
    good = cut_pages(DIGITAL, [0], tmp_path / "digital.pdf")
    (document_id,) = ingest(
        session_factory, settings, redis_conn, [good], district_id
    ).document_ids_to_process
    enqueue_document(redis_conn, document_id, settings)  # asked twice (web app + reconciler, say)
    context = WorkerContext(settings)
    stages.prepare_document(context, document_id)  # run in-process, twice: same pages, same jobs
    stages.prepare_document(context, document_id)
    (page,) = _pages(session_factory, document_id)
    assert redis_conn.lrange("rq:queue:ocr", 0, -1) == [
        f"prepare-doc-{document_id}".encode(),
        f"ocr-page-{page.id}".encode(),
    ]

    # A page whose reader has crashed every time: given up after the last allowed attempt.
    with session_scope(session_factory) as session:
        row = session.get(Page, page.id)
        assert row is not None
        row.attempts = max_attempts(settings.job_retries)
    stages.read_page(context, page.id)
    (page,) = _pages(session_factory, document_id)
    assert page.status == PageStatus.FAILED and page.error_code == "gave_up" and page.needs_review
    doc = documents(session_factory, [document_id])[document_id]
    assert doc.status == DocumentStatus.FAILED and doc.error_code == "gave_up"
    assert doc.error_message is not None and doc.error_message.startswith("No page of this document")
