"""Clients the web app uses, built once per app from the settings."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cached_property

from elasticsearch import Elasticsearch
from redis import Redis
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from caselaw.page_vectors import PageVectors, PageVectorsError, PageVectorStore
from config import Settings
from indexer.client import make_es_client
from models import make_engine, make_session_factory

log = logging.getLogger(__name__)


@dataclass
class AppServices:
    settings: Settings
    engine: Engine
    session_factory: sessionmaker[Session]

    @classmethod
    def from_settings(cls, settings: Settings) -> AppServices:
        engine = make_engine(settings.sqlalchemy_url)
        return cls(settings=settings, engine=engine, session_factory=make_session_factory(engine))

    @cached_property
    def es(self) -> Elasticsearch:
        return make_es_client(self.settings)

    @cached_property
    def redis(self) -> Redis:
        return Redis.from_url(self.settings.redis_url)

    @cached_property
    def page_vector_store(self) -> PageVectorStore:
        return PageVectorStore(self.settings.page_vectors_dir)

    def page_vectors(self) -> PageVectors | None:
        """The case-law page vectors for "find similar", or None (text ranking alone, as before they
        existed): when the setting is off, none are built yet, or the stored set cannot be read (logged
        as an error, so an administrator rebuilds it with ``cmms page-vectors``)."""
        if not self.settings.caselaw_page_vectors:
            return None
        try:
            return self.page_vector_store.current()
        except PageVectorsError as exc:
            log.error("page vectors unusable, text ranking alone: %s (run 'cmms page-vectors')", exc)
            return None
