"""Versions of one paper document (issue 15, kind 2): a re-scan becomes the current version of the
document it re-scans, or both are kept on purpose.

A version group is every document sharing ``version_group_id`` (the first version's id). Making ``new``
a version of ``old``: ``old`` is superseded by ``new`` (it stays readable as history, its original
untouched, but leaves the search index), ``new`` gets the next ``version_no``, inherits the case link
when it has none, and takes over ``old``'s case-law entry (curated metadata and the citations pointing
at it are kept; the duplicate entry extraction may have made from the re-scan is removed). Both must be
current documents of the same district. Flask-free: the web layer checks scope and permissions.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from i18n import N_
from models import CaseLaw, Document, DocumentStatus, RescanMatch, RescanStatus

VERSIONABLE = (DocumentStatus.EXTRACTING, DocumentStatus.INDEXING, DocumentStatus.INDEXED)


class VersionError(ValueError):
    """The two documents cannot be versions of each other; ``message`` is for the clerk."""

    def __init__(self, message: str, **values: object) -> None:
        super().__init__(message % values if values else message)
        self.message = message
        self.values = values


def group_id(document: Document) -> int:
    return document.version_group_id or document.id


def history(session: Session, document: Document) -> list[Document]:
    """Every version of ``document``'s group, oldest first (just ``[document]`` when it has none)."""
    gid = group_id(document)
    rows = list(session.scalars(select(Document).where(
        (Document.version_group_id == gid) | (Document.id == gid)).order_by(Document.version_no, Document.id)))
    return rows or [document]


def make_version(session: Session, new: Document, old: Document, user_id: int | None) -> list[int]:
    """Make ``new`` the current version of ``old``'s document; returns the ids to re-index (the old one
    is removed from the index by its index job). Raises ``VersionError``."""
    _check(new, old)
    gid = group_id(old)
    top = session.scalar(select(func.max(Document.version_no)).where(
        (Document.version_group_id == gid) | (Document.id == gid))) or 1
    now = datetime.now(UTC)
    old.version_group_id = gid
    new.version_group_id = gid
    new.version_no = top + 1
    old.superseded_by_id = new.id
    old.superseded_at = now
    if new.case_id is None:
        new.case_id = old.case_id
    _move_case_law(session, new, old)
    for match in session.scalars(select(RescanMatch).where(RescanMatch.document_id == new.id,
                                                           RescanMatch.match_document_id == old.id)):
        match.status, match.decided_by_id, match.decided_at = RescanStatus.VERSIONED, user_id, now
    session.flush()
    return [old.id, new.id]


def keep_both(session: Session, match: RescanMatch, user_id: int | None) -> None:
    """The clerk says the two documents are different papers (or both wanted): the finding is closed."""
    if match.status != RescanStatus.PENDING:
        raise VersionError(N_("This finding was already decided."))
    match.status, match.decided_by_id, match.decided_at = RescanStatus.KEPT_BOTH, user_id, datetime.now(UTC)
    session.flush()


def _check(new: Document, old: Document) -> None:
    if new.id == old.id or (group_id(new) == group_id(old) and new.version_group_id is not None):
        raise VersionError(N_("These are already versions of the same document."))
    if new.district_id != old.district_id:
        raise VersionError(N_("Versions must belong to the same district."))
    for doc in (new, old):
        if doc.superseded_by_id is not None:
            raise VersionError(N_("Document %(id)s is already an earlier version of document %(by)s."),
                               id=doc.id, by=doc.superseded_by_id)
        if doc.status not in VERSIONABLE:
            raise VersionError(N_("Document %(id)s is not finished (%(status)s); wait until it is read."),
                               id=doc.id, status=str(doc.status))


def _move_case_law(session: Session, new: Document, old: Document) -> None:
    old_law = session.scalar(select(CaseLaw).where(CaseLaw.document_id == old.id))
    if old_law is None:
        return
    new_law = session.scalar(select(CaseLaw).where(CaseLaw.document_id == new.id))
    if new_law is not None:
        session.delete(new_law)
        session.flush()
    old_law.document_id = new.id
