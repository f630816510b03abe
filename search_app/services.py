"""Clients the web app uses, built once per app from the settings."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from elasticsearch import Elasticsearch
from redis import Redis
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from config import Settings
from indexer.client import make_es_client
from models import make_engine, make_session_factory


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
