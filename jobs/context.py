"""What a job needs (settings, database, Elasticsearch, Redis, spaCy), built once per process.

RQ calls job functions with ids only, so the worker process holds one ``WorkerContext``. Heavy parts
(spaCy) are loaded in the worker's main process before it forks (``warm_up``), so every work horse
shares them copy-on-write; connections (database pool, HTTP pool) are re-created in each forked
process, because sockets must never be shared across a fork.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from elasticsearch import Elasticsearch
from redis import Redis
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from config import Settings, get_settings
from indexer.client import make_es_client
from ingest.entities import SPACY_EXCLUDE, with_ruler
from models import make_engine, make_session_factory


@dataclass
class _Connections:
    pid: int
    engine: Engine
    session_factory: sessionmaker[Session]
    es: Elasticsearch
    redis: Redis


@dataclass
class WorkerContext:
    settings: Settings
    _nlp: Any = None
    _conn: _Connections | None = field(default=None, repr=False)

    def _connections(self) -> _Connections:
        if self._conn is None or self._conn.pid != os.getpid():
            engine = make_engine(self.settings.sqlalchemy_url)
            self._conn = _Connections(
                os.getpid(),
                engine,
                make_session_factory(engine),
                make_es_client(self.settings),
                Redis.from_url(self.settings.redis_url),
            )
        return self._conn

    @property
    def session_factory(self) -> sessionmaker[Session]:
        return self._connections().session_factory

    @property
    def es(self) -> Elasticsearch:
        return self._connections().es

    @property
    def redis(self) -> Redis:
        return self._connections().redis

    @property
    def nlp(self) -> Any:
        """The spaCy pipeline (NER only), loaded on first use and kept for the process's life."""
        if self._nlp is None:
            import spacy

            # the EntityRuler goes in before the fork, so work horses share it like the model
            self._nlp = with_ruler(spacy.load(self.settings.spacy_model, exclude=SPACY_EXCLUDE))
        return self._nlp


_CONTEXT: dict[int, WorkerContext] = {}


def current() -> WorkerContext:
    """The process's context (settings from the environment, as every entry point reads them)."""
    if 0 not in _CONTEXT:
        _CONTEXT[0] = WorkerContext(get_settings())
    return _CONTEXT[0]


def install(context: WorkerContext) -> None:
    """Used by the worker entry (and in-process tests) to choose the context explicitly."""
    _CONTEXT[0] = context
