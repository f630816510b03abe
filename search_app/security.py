"""Security set-up of the Flask app: configuration, server-side sessions, login gate, CSRF,
security headers and error pages. ``create_app`` calls ``flask_config`` then ``init_app``."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask, g, render_template, request
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from config import Settings
from models import Role
from search_app import db
from search_app.auth import current_user, has_role, load_user, require_login
from search_app.auth.sessions import DatabaseSessionInterface
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
        "PREFERRED_URL_SCHEME": "https" if settings.cookies_secure else "http",
        "CMMS_SETTINGS": settings,
    }


def init_app(app: Flask) -> None:
    services: AppServices = app.extensions["cmms"]
    settings = services.settings
    db.init_app(app)
    app.session_interface = DatabaseSessionInterface(
        services.session_factory, timedelta(minutes=settings.session_idle_minutes),
        secure=settings.cookies_secure,
    )
    CSRFProtect(app)
    # Order matters: the user is loaded before the login gate looks at it.
    app.before_request(load_user)
    app.before_request(require_login)
    app.after_request(_release_db_session)
    app.after_request(lambda response: security_headers(response, settings.cookies_secure))
    _register_error_pages(app)
    app.context_processor(_template_globals)


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
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[str, int]:
        message = ("This form has expired or did not come from this site. "
                   "Go back, reload the page and try again.")
        return _error_page(400, message)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Any:
        code = error.code or 500
        if code in (301, 302, 303, 307, 308):
            return error
        messages = {
            403: "Your role does not allow this action.",
            404: "There is no such page, or it is not within your districts.",
            405: "This action is not allowed here.",
            413: "The upload is too large for the server.",
        }
        return _error_page(code, messages.get(code, error.description or "The request could not be handled."))


def _error_page(code: int, message: str) -> tuple[Any, int]:
    if request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json":
        return {"error": message}, code
    return render_template("error.html", code=code, message=message), code


def _template_globals() -> dict[str, Any]:
    return {"current_user": current_user if g.get("user") else None, "has_role": has_role, "Role": Role}
