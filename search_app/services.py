"""Clients the web app uses, built once per app from the settings."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from elasticsearch import Elasticsearch
from redis import Redis
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from config import Settings
from models import make_engine, make_session_factory


def make_es_client(settings: Settings) -> Elasticsearch:
    auth: dict[str, object] = {}
    if settings.es_api_key:
        auth["api_key"] = settings.es_api_key
    elif settings.es_username:
        auth["basic_auth"] = (settings.es_username, settings.es_password or "")
    if settings.es_ca_certs:
        auth["ca_certs"] = str(settings.es_ca_certs)
    return Elasticsearch(settings.es_url, request_timeout=settings.es_request_timeout_s, **auth)  # type: ignore[arg-type]


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
