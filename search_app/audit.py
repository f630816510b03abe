"""``audit(...)``: the one call every view makes to write the audit trail (who, when, what, from where).

The event is added to the request's database session and committed at once, together with whatever
change the view made before calling it (so an edit and its audit row are one transaction). A refused
access (404/403) is committed before the error response, so denials are never lost. If writing the
audit row fails, the request fails (fail closed, ASVS 16.5.3).
"""

from __future__ import annotations

from typing import Any

from flask import current_app, has_request_context, request
from sqlalchemy import select

from models import AuditEvent, Batch, Case, CaseLaw, Court, Document, Hearing, User, record_audit
from search_app.auth import get_user
from search_app.db import get_session


def client_ip() -> str:
    """The client address as the WSGI server saw it (a reverse proxy must be configured with
    ProxyFix for this to be the browser's address)."""
    return (request.remote_addr or "")[:64] if has_request_context() else ""


def audit(action: str, object_type: str = "", object_id: str | int = "", success: bool = True,
          district_id: int | None = None, as_user: User | None = None, **detail: Any) -> AuditEvent:
    """Record ``action`` on ``object_type``/``object_id`` by the current user (``as_user`` for a request
    authenticated otherwise, e.g. a calendar feed's token) and commit.

    ``district_id`` is the district of the object acted on (None for actions on no district's object:
    logins, searches, lists); it decides which supervisors see the event. When a view leaves it out for
    an object of a known kind (case, document, hearing, case law, batch, court), it is looked up, so no
    read of a district's material escapes that district's supervisors. An API-token request records the
    token's id in the detail."""
    from flask import g

    user = as_user or get_user()
    db = get_session()
    if district_id is None:
        district_id = object_district(db, object_type, object_id)
    token_id = g.get("api_token_id")
    if token_id is not None:
        detail.setdefault("via_api_token", token_id)
    settings = current_app.config["CMMS_SETTINGS"]
    event = record_audit(
        db, action=action, user_id=user.id if user else None, username=user.username if user else "",
        object_type=object_type, object_id=object_id, ip_address=client_ip(), success=success,
        district_id=district_id, signing_key=settings.audit_key,
        checkpoint_every=settings.audit_checkpoint_every, **_safe_detail(detail),
    )
    db.commit()
    return event


# object type -> the statement giving the district of the object with a given id
_DISTRICT_OF: dict[str, Any] = {
    "case": lambda i: select(Case.district_id).where(Case.id == i),
    "document": lambda i: select(Document.district_id).where(Document.id == i),
    "batch": lambda i: select(Batch.district_id).where(Batch.id == i),
    "court": lambda i: select(Court.district_id).where(Court.id == i),
    "hearing": lambda i: select(Case.district_id).join(Hearing, Hearing.case_id == Case.id).where(Hearing.id == i),
    "case_law": lambda i: select(Document.district_id).join(CaseLaw, CaseLaw.document_id == Document.id)
    .where(CaseLaw.id == i),
}


def object_district(db: Any, object_type: str, object_id: str | int) -> int | None:
    """The district of the object an event is about (None when unknown, missing or of no district)."""
    make = _DISTRICT_OF.get(object_type)
    text = str(object_id)
    if make is None or not (text.isascii() and text.isdigit()) or len(text) > 18:
        return None
    value = db.scalar(make(int(text)))
    return int(value) if value is not None else None


def _safe_detail(detail: dict[str, Any]) -> dict[str, Any]:
    """Keep details JSON-friendly and short; never log secrets by mistake."""
    clean: dict[str, Any] = {}
    for key, value in detail.items():
        if ("password" in key or "token" in key or "secret" in key) and key != "via_api_token":
            continue
        if isinstance(value, str):
            value = value[:500]
        elif not isinstance(value, int | float | bool | list | dict | type(None)):
            value = str(value)[:500]
        clean[key] = value
    return clean
