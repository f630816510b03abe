"""Helpers for the pipeline tests (no tests here): real worker subprocesses, sample files cut from the
corpus with pikepdf, and small waits. Sample sources (all ../shared/corpus/pk-supreme-court, see its
SOURCES.md):

* SCANNED: judgement_Crl.P.L.A.1055-2025.pdf page 1 - image-only HP scan, needs OCR (about 8 s a page);
* DIGITAL: judgement_Crl.P.L.A.1144-2025.pdf page 1 - born-digital, text layer, no OCR;
* DIGITAL_3: judgement_Crl.P.L.A.1212-L-2022.pdf (3 pages) - for the page-limit case.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pikepdf
from redis import Redis
from sqlalchemy.orm import Session, sessionmaker

from config import Settings, shared_dir
from ingest.intake import IntakeRequest, IntakeResult, ingest_paths
from jobs.enqueue import enqueue_document
from models import BatchSource, District, DocType, Document, session_scope

CORPUS = shared_dir() / "corpus" / "pk-supreme-court"
SCANNED = CORPUS / "scanned" / "judgement_Crl.P.L.A.1055-2025.pdf"
DIGITAL = CORPUS / "digital" / "judgement_Crl.P.L.A.1144-2025.pdf"
DIGITAL_3 = CORPUS / "digital" / "judgement_Crl.P.L.A.1212-L-2022.pdf"
CMMS = Path(sys.executable).parent / "cmms"


def cut_pages(source: Path, pages: list[int], target: Path) -> Path:
    """A new PDF with the given 0-based pages of ``source``."""
    with pikepdf.open(source) as pdf, pikepdf.new() as out:
        for index in pages:
            out.pages.append(pdf.pages[index])
        out.save(target)
    return target


def worker_env(settings: Settings, **overrides: str) -> dict[str, str]:
    env = {
        **os.environ,
        "CMMS_ENVIRONMENT": "test",
        "CMMS_VAR_DIR": str(settings.var_dir),
        "CMMS_DATABASE_URL": settings.sqlalchemy_url,
        "CMMS_REDIS_URL": settings.redis_url,
        "CMMS_ES_URL": settings.es_url,
        "CMMS_ES_INDEX_PREFIX": settings.es_index_prefix,
        "CMMS_MAX_PDF_PAGES": str(settings.max_pdf_pages),
        "CMMS_MAX_FILE_MB": str(settings.max_file_mb),
        "CMMS_JOB_RETRIES": str(settings.job_retries),
        "CMMS_OCR_LANGUAGES_DEFAULT": settings.ocr_languages_default,
        "PYTHONUNBUFFERED": "1",
    }
    env.update(overrides)
    return env


def start_worker(
    settings: Settings, log: Path, *, burst: bool = False, **env: str
) -> subprocess.Popen[bytes]:
    """``cmms worker`` in its own process group (so the test can kill it with its work horse)."""
    args = [str(CMMS), "worker"] + (["--burst"] if burst else [])
    with log.open("ab") as out:
        return subprocess.Popen(
            args,
            env=worker_env(settings, **env),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def run_burst(settings: Settings, log: Path, timeout_s: float = 240, **env: str) -> None:
    proc = start_worker(settings, log, burst=True, **env)
    try:
        proc.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        kill_group(proc)
        tail = log.read_text()[-3000:]
        raise AssertionError(f"burst worker did not finish in {timeout_s} s; log: {tail}") from None
    assert proc.returncode == 0, log.read_text()[-3000:]


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def kill_group(proc: subprocess.Popen[bytes], sig: int = signal.SIGKILL) -> None:
    """Kill the worker, its process group, and its work horse (RQ puts the horse in a process group
    of its own, so killing the worker's group alone leaves the horse finishing its job)."""
    for child in _children(proc.pid):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child, sig)
        with contextlib.suppress(ProcessLookupError):
            os.kill(child, sig)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, sig)
    proc.wait(timeout=30)


def wait_until(predicate: Callable[[], Any], timeout_s: float, what: str, interval: float = 0.3) -> Any:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout_s} s waiting for {what}")


def make_district(factory: sessionmaker[Session], name: str = "Peshawar") -> int:
    with session_scope(factory) as session:
        district = District(name=name)
        session.add(district)
        session.flush()
        return district.id


def ingest(
    factory: sessionmaker[Session],
    settings: Settings,
    redis: Redis,
    files: list[Path],
    district_id: int,
    doc_type: DocType = DocType.JUDGMENT,
) -> IntakeResult:
    request = IntakeRequest(
        source=BatchSource.CLI, district_id=district_id, language_hint="eng", doc_type=doc_type
    )
    with factory() as session:
        result = ingest_paths(session, settings, request, files)
    for document_id in result.document_ids_to_process:
        enqueue_document(redis, document_id, settings)
    return result


def documents(factory: sessionmaker[Session], ids: list[int]) -> dict[int, Document]:
    with factory() as session:
        rows = {d: session.get(Document, d) for d in ids}
        return {k: v for k, v in rows.items() if v is not None}


def es_page_ids(es: Any, settings: Settings, document_id: int) -> list[str]:
    """Ids of the document's pages in the pages alias ([] when the index does not exist yet)."""
    alias = f"{settings.es_index_prefix}-pages"
    if not es.indices.exists(index=alias):
        return []
    es.indices.refresh(index=alias)
    query = {"term": {"document_id": str(document_id)}}
    response = es.search(index=alias, query=query, source=False, size=1000)
    return [hit["_id"] for hit in response["hits"]["hits"]]
