"""The CMMS web application (Flask app factory).

Clients (database engine, Elasticsearch, Redis) live on the app (``app.extensions["cmms"]``), never
in module globals, so tests build an app per test configuration.
"""

from __future__ import annotations

from flask import Flask

from config import Settings, get_settings
from search_app.services import AppServices

# Each module defines ``bp``; the order is the order of registration.
BLUEPRINT_MODULES = (
    "search_app.views.auth",
    "search_app.views.home",
    "search_app.views.admin",
    "search_app.views.cases",
    "search_app.views.calendar",
    "search_app.views.intake",
    "search_app.views.search",
    "search_app.views.documents",
    "search_app.views.caselaw",
    "search_app.views.oversight",
    "search_app.views.api",
)


def create_app(settings: Settings | None = None) -> Flask:
    from importlib import import_module

    import search_app.security as security

    settings = settings or get_settings()
    app = Flask(__name__)
    app.config.from_mapping(security.flask_config(settings))
    app.extensions["cmms"] = AppServices.from_settings(settings)
    security.init_app(app)
    for module_name in BLUEPRINT_MODULES:
        app.register_blueprint(import_module(module_name).bp)
    return app


def services(app: Flask) -> AppServices:
    services_: AppServices = app.extensions["cmms"]
    return services_
