"""What the web app, the CLI and the jobs call to start work (ids only; safe to call twice)."""

from __future__ import annotations

from redis import Redis

from config import Settings, get_settings
from jobs.queues import Stage, enqueue_stage


def _limits(settings: Settings | None) -> Settings:
    return settings or get_settings()


def enqueue_document(redis: Redis, document_id: int, settings: Settings | None = None) -> str:
    """Start the pipeline for a RECEIVED document (inspect, then read each page)."""
    s = _limits(settings)
    return enqueue_stage(redis, Stage.PREPARE, document_id, timeout_s=s.job_timeout_s, retries=s.job_retries)


def enqueue_reindex_document(redis: Redis, document_id: int, settings: Settings | None = None) -> str:
    """Re-index a document after a correction or a metadata change (reads the committed rows)."""
    s = _limits(settings)
    return enqueue_stage(redis, Stage.INDEX, document_id, timeout_s=s.job_timeout_s, retries=s.job_retries)


def enqueue_page(redis: Redis, page_id: int, settings: Settings) -> str:
    return enqueue_stage(
        redis, Stage.READ_PAGE, page_id, timeout_s=settings.job_timeout_s, retries=settings.job_retries
    )


def enqueue_extract(redis: Redis, document_id: int, settings: Settings) -> str:
    return enqueue_stage(
        redis, Stage.EXTRACT, document_id, timeout_s=settings.job_timeout_s, retries=settings.job_retries
    )


def enqueue_index(redis: Redis, document_id: int, settings: Settings) -> str:
    return enqueue_stage(
        redis, Stage.INDEX, document_id, timeout_s=settings.job_timeout_s, retries=settings.job_retries
    )
