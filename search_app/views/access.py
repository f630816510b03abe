"""Shared plumbing of the search, viewer, case-law and API views: the request's database session,
the user's search scope, and loading a document only if the user may see it.

A document outside the user's scope is answered exactly like a missing one (404) so its existence
is not revealed, and the refusal is audited as a denied access (``auth.scope.document_or_404``).
Published judgments (documents with a case-law entry) are visible to every user, as in the search
service's scope, so a case-law hit always opens.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import CaseLaw, Document, User
from search_app.audit import audit
from search_app.auth import get_user
from search_app.auth.scope import Scope as DistrictScope
from search_app.auth.scope import can_see_document, document_or_404
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
    message: str | None = None, **detail: object,
) -> NoReturn:
    """Audit a refused or failed access and answer ``status`` (404 by default)."""
    get_session().rollback()
    audit(action, object_type, object_id, success=False, reason=reason, **detail)
    abort(status, description=message)


def the_user() -> User:
    """The logged-in user (the app's login gate runs before every view; this is defence in depth)."""
    user = get_user()
    if user is None:
        abort(401)
    return user


def search_scope(user: User) -> Scope:
    """The user's district scope (auth.scope decides) in the search service's terms; the service puts
    it inside every Elasticsearch query."""
    districts = DistrictScope.of(user)
    if districts.allowed_district_ids is None:
        return Scope.everything()
    return Scope.districts(districts.allowed_district_ids)


def is_case_law(session: Session, document: Document) -> bool:
    return session.scalar(select(CaseLaw.id).where(CaseLaw.document_id == document.id)) is not None


def visible_document(session: Session, document_id: int, action: str) -> Document:
    """The document, or a 404 (audited as denied) when it is missing or outside the user's scope."""
    document = session.get(Document, document_id)
    if document is not None and not can_see_document(document) and is_case_law(session, document):
        return document
    return document_or_404(session, document_id, action)
