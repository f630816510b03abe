"""``cmms worker``: one RQ worker process (forking: a crash or OOM in OCR kills only the work horse).

Start-up checks what a batch will need, before taking any job: Tesseract's version and languages when
it serves the ocr queue, the spaCy model when it serves nlp. ``OMP_THREAD_LIMIT=1`` is set for the whole
process: one Tesseract thread per worker, parallelism comes from running more workers (facts A1.1).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence

from redis import Redis
from rq.serializers import JSONSerializer
from rq.worker import Worker

from config import Settings
from jobs.context import WorkerContext, install
from jobs.queues import NLP, OCR, QUEUE_NAMES, queue
from ocr.rapid import RapidUnavailable
from ocr.rapid import probe as rapid_probe
from ocr.tesseract import probe

log = logging.getLogger(__name__)
AUTO_LANGUAGES = ("eng", "urd", "pus")


class WorkerStartupError(RuntimeError):
    """The worker cannot serve its queues (missing Tesseract language, spaCy model, bad queue name)."""


def required_languages(setting: str) -> tuple[str, ...]:
    return AUTO_LANGUAGES if setting == "auto" else tuple(setting.split("+"))


def prepare_process(settings: Settings, queue_names: Sequence[str]) -> WorkerContext:
    unknown = set(queue_names) - set(QUEUE_NAMES)
    if unknown:
        raise WorkerStartupError(
            f"unknown queue(s) {', '.join(sorted(unknown))}; use {', '.join(QUEUE_NAMES)}"
        )
    os.environ["OMP_THREAD_LIMIT"] = "1"
    context = WorkerContext(settings)
    if OCR in queue_names:
        info = probe(required_languages(settings.ocr_languages_default))
        log.info("tesseract %s, languages %s", info.version, ", ".join(sorted(info.languages)))
        try:  # the second engine's models must be inside its wheel: nothing is downloaded at run time
            second = rapid_probe()
        except RapidUnavailable as exc:
            raise WorkerStartupError(str(exc)) from exc
        log.info("rapidocr %s, models %s", second.version, ", ".join(m.name for m in second.models))
    if NLP in queue_names:
        try:
            _ = context.nlp  # load before forking: every work horse shares it
        except OSError as exc:
            raise WorkerStartupError(f"spaCy model {settings.spacy_model!r} is not installed: {exc}") from exc
    install(context)
    return context


def run_worker(
    settings: Settings, queue_names: Sequence[str], *, burst: bool = False, max_jobs: int | None = None
) -> bool:
    prepare_process(settings, queue_names)
    logging.getLogger("elastic_transport").setLevel(logging.WARNING)  # one line per HTTP call otherwise
    redis = Redis.from_url(settings.redis_url)
    worker = Worker([queue(redis, name) for name in queue_names], connection=redis, serializer=JSONSerializer)
    return worker.work(burst=burst, with_scheduler=True, max_jobs=max_jobs, logging_level="INFO")
