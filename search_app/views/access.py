"""Shared plumbing of the search, viewer, case-law and API views: the request's database session,
the user's search scope, and loading a document only if the user may see it.

A document outside the user's scope is answered exactly like a missing one (404) so its existence
is not revealed, and the refusal is audited as a denied access.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import abort, current_app
from sqlalchemy.orm import Session

from models import Document, User, session_scope
from search_app import services
from search_app.audit import audit
from search_app.auth import current_user
from search_app.auth.scope import can_see_document
from search_app.search import Scope


@contextmanager
def db_session() -> Iterator[Session]:
    """One unit of work on the app's database (commit on success)."""
    with session_scope(services(current_app).session_factory) as session:
        yield session


def the_user() -> User:
    """The logged-in user as the ORM object (views are all behind login)."""
    user = current_user._get_current_object() if hasattr(current_user, "_get_current_object") else current_user
    return user  # type: ignore[no-any-return]


def search_scope(user: User) -> Scope:
    """The districts this user's searches are limited to (enforced inside every ES query)."""
    if user.all_districts:
        return Scope.everything()
    return Scope.districts(user.district_ids)


def visible_document(session: Session, document_id: int, action: str) -> Document:
    """The document, or a 404 (audited as denied) when it is missing or outside the user's scope."""
    document = session.get(Document, document_id)
    if document is None:
        audit(action, "document", document_id, success=False, reason="not_found")
        abort(404)
    if not can_see_document(document):
        audit(action, "document", document_id, success=False, reason="out_of_scope")
        abort(404)
    return document
