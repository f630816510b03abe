"""District scope: the ONE place that decides which cases and documents a user may see.

Scope is enforced in the database query (``scoped_cases``/``scoped_documents`` add the district
condition), not by filtering results afterwards. Loading one object by id goes through
``case_or_404``/``document_or_404``: an object outside the scope is answered exactly like a missing
one (404), so its existence does not leak, and the refusal is audited as a denied access.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from flask import abort
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from models import Case, District, Document, User
from search_app.auth import get_user

T = TypeVar("T", bound=tuple[Any, ...])


@dataclass(frozen=True)
class Scope:
    """``allowed_district_ids`` None means every district (admins, province-level users)."""

    allowed_district_ids: frozenset[int] | None

    @classmethod
    def of(cls, user: User | None) -> Scope:
        if user is None:
            return cls(frozenset())  # nobody: sees nothing
        if user.all_districts:
            return cls(None)
        return cls(user.district_ids)

    @property
    def is_everything(self) -> bool:
        return self.allowed_district_ids is None

    def allows(self, district_id: int | None) -> bool:
        if self.allowed_district_ids is None:
            return True
        return district_id is not None and district_id in self.allowed_district_ids


def current_scope() -> Scope:
    return Scope.of(get_user())


def scoped_cases(stmt: Select[T], scope: Scope | None = None) -> Select[T]:
    """``stmt`` (which selects from ``cases``) limited to the scope's districts."""
    scope = scope or current_scope()
    if scope.allowed_district_ids is None:
        return stmt
    return stmt.where(Case.district_id.in_(sorted(scope.allowed_district_ids)))


def scoped_documents(stmt: Select[T], scope: Scope | None = None) -> Select[T]:
    """``stmt`` (which selects from ``documents``) limited to the scope's districts."""
    scope = scope or current_scope()
    if scope.allowed_district_ids is None:
        return stmt
    return stmt.where(Document.district_id.in_(sorted(scope.allowed_district_ids)))


def scoped_districts(db: Session, scope: Scope | None = None) -> list[District]:
    """Districts the user may pick in a form (case, intake, filters), by name."""
    scope = scope or current_scope()
    stmt = select(District).order_by(District.name)
    if scope.allowed_district_ids is not None:
        stmt = stmt.where(District.id.in_(sorted(scope.allowed_district_ids)))
    return list(db.scalars(stmt))


def can_see_case(case: Case, scope: Scope | None = None) -> bool:
    return (scope or current_scope()).allows(case.district_id)


def can_see_document(doc: Document, scope: Scope | None = None) -> bool:
    return (scope or current_scope()).allows(doc.district_id)


def case_or_404(db: Session, case_id: int, action: str = "view") -> Case:
    """The case if it exists and is in scope; otherwise 404, audited as a denied access."""
    from search_app.audit import audit

    case = db.get(Case, case_id)
    if case is None or not can_see_case(case):
        audit(action, "case", case_id, success=False,
              reason="not_found" if case is None else "out_of_scope")
        abort(404)
    return case


def document_or_404(db: Session, document_id: int, action: str = "view") -> Document:
    """The document if it exists and is in scope; otherwise 404, audited as a denied access."""
    from search_app.audit import audit

    doc = db.get(Document, document_id)
    if doc is None or not can_see_document(doc):
        audit(action, "document", document_id, success=False,
              reason="not_found" if doc is None else "out_of_scope")
        abort(404)
    return doc
