"""Shared plumbing of the search, viewer, case-law and API views: the request's database session,
the user's search scope, and loading a document only if the user may see it.

A document outside the user's scope is answered exactly like a missing one (404) so its existence
is not revealed, and the refusal is audited as a denied access (``auth.scope.document_or_404``).
Reading and writing use different predicates (``auth.scope``): published judgments are readable by
every user, so a case-law hit always opens, but only librarians may change them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

from flask import abort
from sqlalchemy.orm import Session

from models import Document, User
from search_app.audit import audit
from search_app.auth import get_user
from search_app.auth.scope import Scope as ObjectScope
from search_app.auth.scope import document_or_404, document_read_filter
from search_app.db import get_session
from search_app.search import Scope


@contextmanager
def db_session() -> Iterator[Session]:
    """The request's session as one unit of work: committed on success, rolled back on an exception.
    (``audit`` commits its event at once, so denials survive the rollback.)"""
    session = get_session()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise


def deny(
    action: str, object_type: str, object_id: int | str, reason: str, status: int = 404,
    message: str | None = None, district_id: int | None = None, **detail: Any,
) -> NoReturn:
    """Audit a refused or failed access and answer ``status`` (404 by default)."""
    get_session().rollback()
    audit(action, object_type, object_id, success=False, district_id=district_id, reason=reason, **detail)
    abort(status, description=message)


def the_user() -> User:
    """The logged-in user (the app's login gate runs before every view; this is defence in depth)."""
    user = get_user()
    if user is None:
        abort(401)
    return user


def search_scope(user: User) -> Scope:
    """The user's read scope (auth.scope decides, sealed cases included) in the search service's terms;
    the service puts its filter inside every Elasticsearch query."""
    scope = ObjectScope.of(user)
    return Scope.from_filter(document_read_filter(scope, get_session()))



def visible_document(session: Session, document_id: int, action: str) -> Document:
    """The document, or a 404 (audited as denied) when it is missing or outside the user's READ scope
    (WRITE scope for a write ``action`` such as ``edit``)."""
    return document_or_404(session, document_id, action)
