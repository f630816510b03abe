"""Publication of case law: a judgment becomes province-wide case law when a librarian approves its
record; until then (and after a withdrawal) it is visible in its own district only. Published records
and their text are edited by librarians only.

Rules, not Flask: the web layer asks these functions and audits what they change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import false, or_, select, text, update
from sqlalchemy.orm import Session

from caselaw import network
from i18n import N_
from models import CaseLaw, CaseLawStatus, Document

# Who curates case law and who may correct a judgment's text is the permission table's
# (``caselaw.write``, ``caselaw.approve``) and the scope's (``search_app.auth.scope.caselaw_write_condition``
# and ``document_write_condition``: once published, a judgment's text is the librarians' alone).

# Approvals take one lock, so two librarians approving two copies of one judgment at the same moment
# cannot both find "no published twin": PostgreSQL's transaction-level advisory lock under this key.
APPROVAL_LOCK_KEY = 0x434D4D53_0001  # "CMMS", 1

REQUIRED_FOR_APPROVAL = {
    "case_number": N_("case number"), "court": N_("court"), "decided_on": N_("decision date"),
    "parties": N_("parties"),
}


class PublicationError(ValueError):
    """An approval or withdrawal that cannot happen; ``message``/``params`` are shown to the librarian."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params


@dataclass(frozen=True)
class Change:
    """What a publication step changed (for the audit trail), and the judgments (ids) whose incoming
    citation links moved with it (``relinked``: their cited-by counts are to be re-indexed)."""

    old: str
    new: str
    relinked: tuple[int, ...] = ()


def missing_for_approval(entry: CaseLaw) -> list[str]:
    """Record fields a librarian must check and fill before approving (labels, for translation)."""
    return [label for name, label in REQUIRED_FOR_APPROVAL.items() if not getattr(entry, name)]


def _case_number_key(number: str) -> str:
    return re.sub(r"[^0-9a-z]", "", number.casefold())


def same_judgment(entry: CaseLaw, other: CaseLaw) -> bool:
    """Whether two records are one judgment: the same file (SHA-256), or the same court, decision date
    and a case number in common (case numbers compared without spaces, dots and dashes:
    "Crl.A. 95/2019" = "Crl.A.95-2019")."""
    if entry.document is not None and other.document is not None and entry.document.sha256 == other.document.sha256:
        return True
    if not (entry.decided_on and entry.decided_on == other.decided_on):
        return False
    if " ".join(entry.court.casefold().split()) != " ".join(other.court.casefold().split()):
        return False
    mine = {_case_number_key(n) for n in [entry.case_number, *(entry.case_numbers or [])] if n}
    theirs = {_case_number_key(n) for n in [other.case_number, *(other.case_numbers or [])] if n}
    return bool(mine & theirs - {""})


def published_twin(session: Session, entry: CaseLaw) -> CaseLaw | None:
    """The published record of the same judgment (``same_judgment``) from another upload, usually
    another district's: a judgment is published once. Superseded versions are left out."""
    same_file = Document.sha256.in_([entry.document.sha256] if entry.document else [])
    same_day = CaseLaw.decided_on == entry.decided_on if entry.decided_on else false()
    candidates = session.scalars(
        select(CaseLaw).join(Document, Document.id == CaseLaw.document_id)
        .where(CaseLaw.is_published, CaseLaw.id != entry.id, Document.superseded_by_id.is_(None),
               or_(same_file, same_day))
        .order_by(CaseLaw.id))
    return next((c for c in candidates if same_judgment(entry, c)), None)


def approve(entry: CaseLaw, user_id: int, now: datetime | None = None, twin: CaseLaw | None = None) -> Change:
    """Publish ``entry`` province-wide. Raises ``PublicationError`` when already published, when the
    record lacks a case number, court, decision date or parties (a record to trust comes first), or
    when ``twin`` (``published_twin``) shows the same judgment is already published: it is then
    found once in every district, and this copy stays in its own."""
    if entry.is_published:
        raise PublicationError(N_("This judgment is already published."))
    missing = missing_for_approval(entry)
    if missing:
        raise PublicationError(N_("Complete the record before approving it: %(fields)s."),
                               fields=", ".join(missing))
    if twin is not None:
        raise PublicationError(N_("The same judgment is already published as case law no. %(id)s (%(citation)s): "
                                  "every district reads that one. This copy stays in its district."),
                               id=twin.id, citation=twin.citation or twin.case_number)
    old = str(entry.status)
    entry.status = CaseLawStatus.PUBLISHED
    entry.approved_by_id = user_id
    entry.approved_at = now or datetime.now(UTC)
    return Change(old, str(entry.status))


def serialise_approvals(session: Session, entry: CaseLaw) -> None:
    """Take the approval lock for the rest of ``session``'s transaction, then reload ``entry``, so what
    follows sees every approval committed before. PostgreSQL: ``pg_advisory_xact_lock``; SQLite: a
    no-op write on the entry's row, which takes the database's single write lock (a second approval
    waits for it, up to the connection's busy timeout). Released by commit or rollback."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": APPROVAL_LOCK_KEY})
    else:
        session.execute(update(CaseLaw).where(CaseLaw.id == entry.id).values(status=CaseLaw.status)
                        .execution_options(synchronize_session=False))
    session.refresh(entry)


def approve_once(session: Session, entry: CaseLaw, user_id: int, now: datetime | None = None) -> Change:
    """``approve`` under the approval lock, against the published records as they are once it is held:
    of two copies of one judgment approved at the same moment, one is published and the other refused
    (``PublicationError``), as if they had been approved one after the other."""
    serialise_approvals(session, entry)
    change = approve(entry, user_id, now, twin=published_twin(session, entry))
    return Change(change.old, change.new, tuple(network.relink_keys(session, entry.citation_keys)))


def withdraw(entry: CaseLaw, session: Session | None = None) -> Change:
    """Take ``entry`` back to its district (for example a record found wrong after publication). With
    ``session``, the citations of its reports are re-resolved (a published copy elsewhere now wins:
    ``network.resolve_keys``)."""
    if not entry.is_published:
        raise PublicationError(N_("Only a published judgment can be withdrawn."))
    entry.status = CaseLawStatus.WITHDRAWN
    relinked = tuple(network.relink_keys(session, entry.citation_keys)) if session is not None else ()
    return Change(str(CaseLawStatus.PUBLISHED), str(entry.status), relinked)
