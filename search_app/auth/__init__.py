"""Who is asking: the logged-in user of this request and the decorators that guard views.

Every blueprint is behind login by default (``require_login`` runs before every request and lets
only the login page and static files through anonymously); ``login_required`` is still provided for
explicitness, and ``roles_required`` narrows a view to some roles.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import abort, g, redirect, request, session, url_for
from werkzeug.local import LocalProxy
from werkzeug.wrappers import Response as BaseResponse

from models import Role, User
from search_app.auth.sessions import ServerSession
from search_app.db import get_session

F = TypeVar("F", bound=Callable[..., Any])

# Endpoints anyone may reach; everything else needs a session.
PUBLIC_ENDPOINTS = frozenset({"auth.login", "static"})


def _current_user() -> User | None:
    return cast(User | None, g.get("user"))


current_user: User = cast(User, LocalProxy(_current_user))


def get_user() -> User | None:
    """The logged-in user, or None for an anonymous request."""
    return _current_user()


def load_user() -> None:
    """before_request: attach the session's user (if still active) to ``g.user``."""
    g.user = None
    server_session = cast(ServerSession, session)
    user_id = getattr(server_session, "user_id", None)
    if user_id is None:
        return
    user = get_session().get(User, user_id)
    if user is None or not user.is_active:
        server_session.log_out()  # deactivated while logged in: end the session now
        return
    g.user = user


def require_login() -> BaseResponse | None:
    """before_request: anonymous requests may only reach PUBLIC_ENDPOINTS."""
    if request.endpoint in PUBLIC_ENDPOINTS or g.get("user") is not None:
        return None
    if request.endpoint is None:
        return None  # unknown URL: let the 404 happen (nothing to reveal)
    if _wants_json():
        return cast(BaseResponse, ({"error": "login required"}, 401))
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


def has_role(*roles: Role | str) -> bool:
    user = _current_user()
    return user is not None and str(user.role) in {str(r) for r in roles}


def roles_required(*roles: Role | str) -> Callable[[F], F]:
    """Only these roles may use the view; others get 403 (the page exists, the action is not theirs)."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if g.get("user") is None:
                return redirect(url_for("auth.login", next=_next_path()))
            if not has_role(*roles):
                from search_app.audit import audit

                audit("forbidden", "endpoint", request.endpoint or "", success=False,
                      required=[str(r) for r in roles])
                abort(403)
            return view(*args, **kwargs)

        return cast(F, wrapper)

    return decorator


__all__ = ["current_user", "get_user", "has_role", "login_required", "roles_required"]
