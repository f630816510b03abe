"""``audit(...)``: the one call every view makes to write the audit trail (who, when, what, from where).

The event is added to the request's database session and committed at once, together with whatever
change the view made before calling it (so an edit and its audit row are one transaction). A refused
access (404/403) is committed before the error response, so denials are never lost. If writing the
audit row fails, the request fails (fail closed, ASVS 16.5.3).
"""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request

from models import AuditEvent, record_audit
from search_app.auth import get_user
from search_app.db import get_session


def client_ip() -> str:
    """The client address as the WSGI server saw it (a reverse proxy must be configured with
    ProxyFix for this to be the browser's address)."""
    return (request.remote_addr or "")[:64] if has_request_context() else ""


def audit(action: str, object_type: str = "", object_id: str | int = "", success: bool = True,
          **detail: Any) -> AuditEvent:
    """Record ``action`` on ``object_type``/``object_id`` by the current user and commit."""
    user = get_user()
    db = get_session()
    event = record_audit(
        db, action=action, user_id=user.id if user else None, username=user.username if user else "",
        object_type=object_type, object_id=object_id, ip_address=client_ip(), success=success,
        **_safe_detail(detail),
    )
    db.commit()
    return event


def _safe_detail(detail: dict[str, Any]) -> dict[str, Any]:
    """Keep details JSON-friendly and short; never log secrets by mistake."""
    clean: dict[str, Any] = {}
    for key, value in detail.items():
        if "password" in key or "token" in key:
            continue
        if isinstance(value, str):
            value = value[:500]
        elif not isinstance(value, int | float | bool | list | dict | type(None)):
            value = str(value)[:500]
        clean[key] = value
    return clean
