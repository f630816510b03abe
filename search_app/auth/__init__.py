"""Who is asking: the logged-in user of this request and the decorators that guard views.

Every blueprint is behind login by default (``require_login`` runs before every request and lets
only the login page and static files through anonymously); ``login_required`` is still provided for
explicitness. Which roles may use a view is the permission table's business (``auth.policy``), never a
decorator's.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import g, redirect, request, session, url_for
from werkzeug.local import LocalProxy
from werkzeug.wrappers import Response as BaseResponse

from models import User
from search_app.auth.sessions import ServerSession
from search_app.db import get_session

F = TypeVar("F", bound=Callable[..., Any])

# Endpoints anyone may reach; everything else needs a session (or an API token on /api/). A calendar
# feed authenticates by its own token (search_app/views/feeds.py), since calendar apps send no cookie.
# The language switch and the Urdu font serve the login page (search_app/views/language.py).
PUBLIC_ENDPOINTS = frozenset({"auth.login", "auth.login_mfa", "static", "feeds.ical", "language.switch",
                              "language.font"})


def _current_user() -> User | None:
    return cast(User | None, g.get("user"))


current_user: User = cast(User, LocalProxy(_current_user))


def get_user() -> User | None:
    """The logged-in user, or None for an anonymous request."""
    return _current_user()


def load_user() -> None:
    """before_request: attach the session's user (if still active) to ``g.user``; on ``/api/`` a valid
    ``Authorization: Bearer`` token does instead (``g.api_token_id``, ``g.api_token_scope``)."""
    g.user = None
    if request.path.startswith("/api/") and request.headers.get("Authorization"):
        _load_token_user()
        return
    server_session = cast(ServerSession, session)
    user_id = getattr(server_session, "user_id", None)
    if user_id is None:
        return
    user = get_session().get(User, user_id)
    if user is None or not user.is_active:
        server_session.log_out()  # deactivated while logged in: end the session now
        return
    g.user = user


def _load_token_user() -> None:
    from search_app.auth.tokens import find_active, token_from_header

    text = token_from_header(request.headers.get("Authorization"))
    token = find_active(get_session(), text) if text else None
    g.api_token_invalid = token is None
    if token is not None:
        g.user, g.api_token_id, g.api_token_scope = token.user, token.id, token.scope


def require_login() -> BaseResponse | None:
    """before_request: anonymous requests may only reach PUBLIC_ENDPOINTS."""
    if request.endpoint in PUBLIC_ENDPOINTS or g.get("user") is not None:
        return None
    if request.endpoint is None:
        return None  # unknown URL: let the 404 happen (nothing to reveal)
    if _wants_json():
        from search_app.errors import api_error

        if g.get("api_token_invalid"):
            return api_error(401, "invalid_token", "The API token is unknown, expired or revoked.")
        return api_error(401, "unauthorised", "Log in first (session cookie) or send an API token "
                                             "(Authorization: Bearer cmms_...).")
    expired = getattr(session, "expired", False)
    return redirect(url_for("auth.login", next=_next_path() if request.method == "GET" else None,
                            expired=1 if expired else None))


def _next_path() -> str:
    return request.full_path.rstrip("?")


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def login_required(view: F) -> F:
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if g.get("user") is None:
            return redirect(url_for("auth.login", next=_next_path()))
        return view(*args, **kwargs)

    return cast(F, wrapper)


__all__ = ["current_user", "get_user", "login_required"]
