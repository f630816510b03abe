"""The CMMS web application (Flask app factory).

Clients (database engine, Elasticsearch, Redis) live on the app (``app.extensions["cmms"]``), never
in module globals, so tests build an app per test configuration.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter

from config import Settings, get_settings
from search_app.services import AppServices

# Each module defines ``bp``; the order is the order of registration.
BLUEPRINT_MODULES = (
    "search_app.views.auth",
    "search_app.views.account",
    "search_app.views.home",
    "search_app.views.admin",
    "search_app.views.cases",
    "search_app.views.casefile",
    "search_app.views.casefile_register",
    "search_app.views.calendar",
    "search_app.views.cause_lists",
    "search_app.views.courts",
    "search_app.views.feeds",
    "search_app.views.notifications",
    "search_app.views.intake",
    "search_app.views.review",
    "search_app.views.failures",
    "search_app.views.versions",
    "search_app.views.search",
    "search_app.views.documents",
    "search_app.views.caselaw",
    "search_app.views.caselaw_curation",
    "search_app.views.caselaw_knowledge",
    "search_app.views.oversight",
    "search_app.views.monitoring",
    "search_app.views.peer_review",
    "search_app.views.api",
    "search_app.views.api_casefile",
    "search_app.views.api_calendar",
    "search_app.views.api_intake",
    "search_app.views.language",
    "search_app.views.api_caselaw",
    "search_app.views.api_monitoring",
)


class Int64Converter(IntegerConverter):
    """``<int:...>`` limited to what a BIGINT primary key can hold (1 .. 2**63 - 1)."""

    def __init__(self, map: object, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("max", 2**63 - 1)
        super().__init__(map, *args, **kwargs)  # type: ignore[arg-type]


def create_app(settings: Settings | None = None) -> Flask:
    from importlib import import_module

    import search_app.i18n as i18n
    import search_app.security as security

    settings = settings or get_settings()
    app = Flask(__name__)
    # Ids in URLs are database keys: a number beyond 64 bits (or with leading zeros) matches no route,
    # so it is a plain 404 instead of an overflow deep in the database driver.
    app.url_map.converters["int"] = Int64Converter
    app.config.from_mapping(security.flask_config(settings))
    app.extensions["cmms"] = AppServices.from_settings(settings)
    security.init_app(app)
    i18n.init_app(app)
    for module_name in BLUEPRINT_MODULES:
        app.register_blueprint(import_module(module_name).bp)
    return app


def services(app: Flask) -> AppServices:
    services_: AppServices = app.extensions["cmms"]
    return services_
