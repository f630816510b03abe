"""Security set-up of the Flask app: configuration, server-side sessions, login gate, CSRF,
security headers and error pages. ``create_app`` calls ``flask_config`` then ``init_app``."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask, g, redirect, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from config import Settings
from models import Role
from search_app import db
from search_app.auth import current_user, load_user, require_login
from search_app.auth.policy import can, load_policy
from search_app.auth.policy import enforce as enforce_policy
from search_app.auth.sessions import DatabaseSessionInterface
from search_app.errors import api_error, error_response, wants_json
from search_app.services import AppServices

# No inline script or style anywhere: every script and stylesheet is a file under /static.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


def flask_config(settings: Settings) -> dict[str, Any]:
    return {
        "SECRET_KEY": settings.secret_key,
        "MAX_CONTENT_LENGTH": settings.max_upload_mb * 1024 * 1024,
        # Sessions live on the server (auth/sessions.py); these only describe the cookie we never use
        # and make sure nothing falls back to Flask's 31-day default.
        "PERMANENT_SESSION_LIFETIME": timedelta(minutes=settings.session_idle_minutes),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": settings.cookies_secure,
        # The CSRF secret lives in the server-side session, which has its own idle and 12 h limits.
        "WTF_CSRF_TIME_LIMIT": None,
        "WTF_CSRF_HEADERS": ["X-CSRFToken", "X-CSRF-Token"],
        # CSRF is checked after the user is loaded (``_csrf_check``): token-authenticated API calls carry
        # no cookie, so they need (and have) no CSRF token.
        "WTF_CSRF_CHECK_DEFAULT": False,
        "PREFERRED_URL_SCHEME": "https" if settings.cookies_secure else "http",
        "CMMS_SETTINGS": settings,
    }


def init_app(app: Flask) -> None:
    services: AppServices = app.extensions["cmms"]
    settings = services.settings
    db.init_app(app)
    app.session_interface = DatabaseSessionInterface(
        services.session_factory, timedelta(minutes=settings.session_idle_minutes),
        secure=settings.cookies_secure, secret_key=settings.secret_key,
    )
    csrf = CSRFProtect(app)
    # Order matters: the user is loaded before the login gate looks at it.
    app.before_request(load_user)
    app.before_request(require_login)
    app.before_request(lambda: _csrf_check(csrf))
    app.before_request(enforce_policy)  # one permission table (auth/policy.py)
    app.after_request(_release_db_session)
    app.after_request(lambda response: security_headers(response, settings.cookies_secure))
    _register_error_pages(app)
    load_policy()  # an inconsistent permission table stops start-up, not a request
    app.context_processor(_template_globals)


def _csrf_check(csrf: CSRFProtect) -> None:
    if request.method in ("GET", "HEAD", "OPTIONS", "TRACE") or g.get("api_token_id") is not None:
        return
    csrf.protect()


def security_headers(response: Response, secure: bool) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.endpoint != "static":
        # Case data must not linger in shared browser caches or the back-button history.
        headers.setdefault("Cache-Control", "no-store")
    if secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


def _release_db_session(response: Response) -> Response:
    """Close the request's DB session before the session interface writes its own row, so two
    connections of one request never wait on each other's SQLite write lock."""
    db.close_session()
    return response


def _register_error_pages(app: Flask) -> None:
    """Every error, on every blueprint, answers with ``search_app.errors``: JSON ``{"error": {...}}`` on the
    API, the error page elsewhere. 404 has one text for every route (missing and out of scope look alike);
    other statuses keep a view's own clerk-readable description."""

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> Any:
        if wants_json():
            return api_error(400, "csrf", "Send the session's CSRF token in the X-CSRFToken header.")
        return error_response(400, _("This form has expired or did not come from this site. "
                                     "Go back, reload the page and try again."))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Any:
        code = error.code or 500
        if code in (301, 302, 303, 307, 308):
            return error
        if code == 404 and (canonical := _without_trailing_slash(app)) is not None:
            return redirect(canonical, code=308)
        description = error.description if error.description != type(error).description else None
        message = None if code in (404, 405) else description  # a 403 is only given on what may be read
        # A view may raise with a marked (``N_``) English description: the page shows it translated.
        return error_response(code, _(message) if message and not wants_json() else message)

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Any:
        if isinstance(error, HTTPException):
            return http_error(error)
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(500)


def _without_trailing_slash(app: Flask) -> str | None:
    """The address a typed ``/calendar/`` means: the same path without its trailing slashes, with the
    query string, when that path is a route for this method; else None (a plain 404).

    Werkzeug redirects ``/cases`` to ``/cases/`` by itself but not the other way round. The answer
    is always a path on this site (leading slashes collapsed: ``//host/`` is never sent on as an
    address on another host)."""
    path = request.path
    if len(path) < 2 or not path.endswith("/"):
        return None
    stripped = "/" + path.strip("/")
    try:
        app.url_map.bind_to_environ(request.environ).match(stripped, method=request.method)
    except HTTPException:  # NotFound, MethodNotAllowed, or a redirect of its own
        return None
    query = request.query_string.decode("latin-1")
    return stripped + ("?" + query if query else "")


def _template_globals() -> dict[str, Any]:
    return {"current_user": current_user if g.get("user") else None, "Role": Role,
            "can": lambda permission: can(g.get("user"), permission)}
