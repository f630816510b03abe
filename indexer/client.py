"""The one place an Elasticsearch client is built from the settings (web app, workers and CLI)."""

from __future__ import annotations

from typing import Any

from elasticsearch import Elasticsearch

from config import Settings


def make_es_client(settings: Settings) -> Elasticsearch:
    auth: dict[str, Any] = {}
    if settings.es_api_key:
        auth["api_key"] = settings.es_api_key
    elif settings.es_username:
        auth["basic_auth"] = (settings.es_username, settings.es_password or "")
    if settings.es_ca_certs:
        auth["ca_certs"] = str(settings.es_ca_certs)
    return Elasticsearch(settings.es_url, request_timeout=settings.es_request_timeout_s, **auth)
