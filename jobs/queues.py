"""Queue names, deterministic job ids, and enqueue-once.

One queue per stage so OCR (CPU-bound, minutes per document) never holds up extraction and indexing of
documents that are already read. Job ids are derived from the row id (``ocr-page-<page_id>``): enqueueing
a job whose id is already queued, scheduled or running is a no-op, so the reconciler, a retried
``prepare_document`` and the web app can all ask for the same work without duplicating it.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from enum import StrEnum

from redis import Redis
from rq import Queue, Retry
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from rq.registry import ScheduledJobRegistry, StartedJobRegistry
from rq.serializers import JSONSerializer

log = logging.getLogger(__name__)

OCR, NLP, INDEX = "ocr", "nlp", "index"
QUEUE_NAMES = (OCR, NLP, INDEX)
DEFAULT_WORKER_QUEUES = (INDEX, NLP, OCR)  # dequeue priority: finish documents before starting new pages
RETRY_INTERVALS = [10, 60, 300]  # seconds; the last one repeats for further retries
RESULT_TTL_S = 3600
FAILURE_TTL_S = 7 * 24 * 3600


class Stage(StrEnum):
    PREPARE = "prepare-doc"
    READ_PAGE = "ocr-page"
    EXTRACT = "extract-doc"
    INDEX = "index-doc"


@dataclass(frozen=True, slots=True)
class StageSpec:
    func: str  # dotted path: the web app enqueues without importing OCR or spaCy
    queue: str


SPECS: dict[Stage, StageSpec] = {
    Stage.PREPARE: StageSpec("jobs.tasks.prepare_document", OCR),
    Stage.READ_PAGE: StageSpec("jobs.tasks.read_page", OCR),
    Stage.EXTRACT: StageSpec("jobs.tasks.extract_document", NLP),
    Stage.INDEX: StageSpec("jobs.tasks.index_document", INDEX),
}


def job_id(stage: Stage, row_id: int) -> str:
    return f"{stage.value}-{row_id}"


def parse_job_id(value: str) -> tuple[Stage, int] | None:
    for stage in Stage:
        prefix = f"{stage.value}-"
        if value.startswith(prefix) and value[len(prefix) :].isdigit():
            return stage, int(value[len(prefix) :])
    return None


def queue(redis: Redis, name: str) -> Queue:
    return Queue(name, connection=redis, serializer=JSONSerializer)


def fetch_job(redis: Redis, jid: str) -> Job | None:
    try:
        return Job.fetch(jid, connection=redis, serializer=JSONSerializer)
    except NoSuchJobError:
        return None


PENDING_STATUSES = frozenset({JobStatus.QUEUED, JobStatus.SCHEDULED, JobStatus.DEFERRED, JobStatus.STARTED})


def enqueue_stage(redis: Redis, stage: Stage, row_id: int, *, timeout_s: int, retries: int) -> str:
    """Enqueue ``stage`` for ``row_id`` unless the same job is already waiting or running."""
    jid = job_id(stage, row_id)
    spec = SPECS[stage]
    existing = fetch_job(redis, jid)
    if existing is not None:
        status = existing.get_status(refresh=False)
        if status in PENDING_STATUSES:
            return jid
        discard_job(redis, existing)  # finished/failed/stopped: replace with a fresh run
    retry = Retry(max=retries, interval=RETRY_INTERVALS) if retries > 0 else None
    queue(redis, spec.queue).enqueue(
        spec.func,
        row_id,
        job_id=jid,
        job_timeout=timeout_s,
        retry=retry,
        result_ttl=RESULT_TTL_S,
        failure_ttl=FAILURE_TTL_S,
        description=jid,
    )
    log.debug("enqueued %s on %s", jid, spec.queue)
    return jid


def discard_job(redis: Redis, job: Job) -> None:
    """Remove every trace of ``job`` (queue entry, registries, hash) so it can be enqueued afresh."""
    parsed = parse_job_id(job.id)
    q = queue(redis, job.origin or (SPECS[parsed[0]].queue if parsed else OCR))
    StartedJobRegistry(queue=q).remove_executions(job)
    ScheduledJobRegistry(queue=q).remove(job)
    q.remove(job.id)
    with contextlib.suppress(NoSuchJobError):
        job.delete(remove_from_queue=True)
