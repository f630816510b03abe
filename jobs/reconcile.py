"""The reconciler: the database says what work is unfinished; make sure each piece has a live RQ job.

Why: RQ loses work in two known ways (facts file B3). A worker killed outright (SIGKILL, OOM of the
whole process, machine death) leaves its job STARTED until the registry entry expires, after which RQ
moves it to the failed registry without retrying it; and Redis without persistence forgets every queued
job when it restarts. Neither is visible to RQ itself, but both are visible to us: the row is still
PENDING/RECEIVED/EXTRACTING/INDEXING while no live job stands for it.

For each unfinished row (older than ``grace_s``, so a job about to be enqueued is not raced):

* expected job id from the row (``ocr-page-<id>`` ...), fetched from Redis;
* LIVE when queued (and really in the queue list), scheduled for a retry (and in the scheduled
  registry), deferred, or started by a worker that is alive: its key exists, its heartbeat is recent,
  and, when it runs on this host, its process exists;
* otherwise (missing, ended, or started by a dead worker) the stale job is removed and enqueued again
  with the same id. Jobs are idempotent, so a job that was in fact still running somewhere is harmless.

Also: an INDEXED document with a page corrected after it was indexed gets an index job (covers a
correction saved while its document's index job was running).
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path

from redis import Redis
from rq.job import Job, JobStatus
from rq.registry import ScheduledJobRegistry
from rq.worker import Worker
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from config import Settings
from jobs.queues import SPECS, Stage, discard_job, enqueue_stage, fetch_job, job_id, queue
from models import Document, DocumentStatus, Page, PageStatus, session_scope

log = logging.getLogger(__name__)

DEFAULT_GRACE_S = 10.0


class JobState(StrEnum):
    LIVE = "live"
    MISSING = "missing"
    ENDED = "ended"
    DEAD_WORKER = "dead_worker"
    LOST = "lost"  # job hash exists but is in no queue or registry (partial Redis loss)


@dataclass
class ReconcileReport:
    checked: int = 0
    requeued: dict[str, JobState] = field(default_factory=dict)

    def summary(self) -> str:
        by_state: dict[str, int] = {}
        for state in self.requeued.values():
            by_state[state] = by_state.get(state, 0) + 1
        detail = ", ".join(f"{n} {s}" for s, n in sorted(by_state.items())) or "none"
        return f"checked {self.checked} unfinished items; re-enqueued {len(self.requeued)} ({detail})"


# --- what the database expects ----------


def expected_work(session: Session, older_than: datetime) -> Iterator[tuple[Stage, int]]:
    by_status = {
        DocumentStatus.RECEIVED: Stage.PREPARE,
        DocumentStatus.EXTRACTING: Stage.EXTRACT,
        DocumentStatus.INDEXING: Stage.INDEX,
    }
    for status, stage in by_status.items():
        for doc_id in session.scalars(
            select(Document.id)
            .where(Document.status == status, Document.updated_at < older_than)
            .order_by(Document.id)
        ):
            yield stage, doc_id
    processing = select(Document.id).where(Document.status == DocumentStatus.PROCESSING)
    pending_docs: set[int] = set()
    for page_id, doc_id in session.execute(
        select(Page.id, Page.document_id)
        .where(
            Page.document_id.in_(processing), Page.status == PageStatus.PENDING, Page.updated_at < older_than
        )
        .order_by(Page.id)
    ):
        pending_docs.add(doc_id)
        yield Stage.READ_PAGE, page_id
    # PROCESSING with nothing pending: the last page's hand-over to extraction was lost.
    for doc_id in session.scalars(processing.where(Document.updated_at < older_than)):
        has_pending = session.scalar(
            select(Page.id).where(Page.document_id == doc_id, Page.status == PageStatus.PENDING).limit(1)
        )
        if doc_id not in pending_docs and has_pending is None:
            yield Stage.PREPARE, doc_id
    stale_index = (
        select(Document.id)
        .join(Page, Page.document_id == Document.id)
        .where(
            Document.status == DocumentStatus.INDEXED,
            Page.corrected_at.is_not(None),
            Page.corrected_at > Document.indexed_at,
        )
        .distinct()
    )
    for doc_id in session.scalars(stale_index):
        yield Stage.INDEX, doc_id


# --- what Redis has ----------


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    stat = Path(f"/proc/{pid}/stat")
    try:  # a killed child not yet reaped by its parent is a zombie: dead for our purpose
        return stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def worker_alive(redis: Redis, name: str, now: datetime, hostname: str, stale_after_s: float) -> bool:
    """A worker is dead when its Redis key has expired (RQ keeps it ~90 s past the last heartbeat while
    a job runs), when it runs on this host and its process is gone, or when its last heartbeat is older
    than ``stale_after_s`` (settings.stale_job_after_s)."""
    worker = Worker.find_by_key(Worker.redis_worker_namespace_prefix + name, connection=redis)
    if worker is None:
        return False
    if worker.hostname == hostname and worker.pid and not pid_alive(worker.pid):
        return False
    beat = worker.last_heartbeat
    return beat is None or (now - _aware(beat)).total_seconds() < stale_after_s


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def job_state(redis: Redis, job: Job | None, now: datetime, hostname: str, stale_after_s: float) -> JobState:
    if job is None:
        return JobState.MISSING
    status = job.get_status(refresh=False)
    q = queue(redis, job.origin)
    if status == JobStatus.QUEUED:
        return JobState.LIVE if redis.lpos(q.key, job.id) is not None else JobState.LOST
    if status == JobStatus.SCHEDULED:
        return JobState.LIVE if job.id in ScheduledJobRegistry(queue=q) else JobState.LOST
    if status == JobStatus.DEFERRED:
        return JobState.LIVE
    if status == JobStatus.STARTED:
        names = {e.worker_name for e in job.get_executions() if e.worker_name} or (
            {job.worker_name} if job.worker_name else set()
        )
        alive = any(worker_alive(redis, name, now, hostname, stale_after_s) for name in names)
        return JobState.LIVE if alive else JobState.DEAD_WORKER
    return JobState.ENDED


# --- the pass ----------


def reconcile(
    session_factory: sessionmaker[Session],
    redis: Redis,
    settings: Settings,
    *,
    grace_s: float = DEFAULT_GRACE_S,
) -> ReconcileReport:
    now = datetime.now(UTC)
    hostname = socket.gethostname()
    with session_scope(session_factory) as session:
        work = list(dict.fromkeys(expected_work(session, now - timedelta(seconds=grace_s))))
    report = ReconcileReport(checked=len(work))
    for stage, row_id in work:
        jid = job_id(stage, row_id)
        job = fetch_job(redis, jid)
        state = job_state(redis, job, now, hostname, settings.stale_job_after_s)
        if state is JobState.LIVE:
            continue
        if job is not None:
            discard_job(redis, job)
        enqueue_stage(redis, stage, row_id, timeout_s=settings.job_timeout_s, retries=settings.job_retries)
        report.requeued[jid] = state
        log.warning("reconcile: %s was %s; enqueued again on %s", jid, state, SPECS[stage].queue)
    _forget_dead_local_workers(redis, now, hostname)
    return report


def _forget_dead_local_workers(redis: Redis, now: datetime, hostname: str) -> None:
    for worker in Worker.all(connection=redis):
        if worker.hostname == hostname and worker.pid and not pid_alive(worker.pid):
            worker.register_death()


def run_forever(
    session_factory: sessionmaker[Session],
    redis: Redis,
    settings: Settings,
    every_s: float,
    grace_s: float = DEFAULT_GRACE_S,
) -> None:
    """``cmms reconcile --every N``: one pass every ``every_s`` seconds; an unreachable Redis or database
    is logged and tried again next time (supervisord keeps this process up)."""
    while True:
        started = time.monotonic()
        try:
            report = reconcile(session_factory, redis, settings, grace_s=grace_s)
            if report.requeued:
                log.warning("reconcile: %s", report.summary())
            else:
                log.info("reconcile: %s", report.summary())
        except Exception:
            log.exception("reconcile pass failed")
        time.sleep(max(0.0, every_s - (time.monotonic() - started)))
