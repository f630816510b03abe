"""Object scope: the ONE place that decides which objects a user may READ and which they may WRITE.

``search_app.auth.policy`` decides which *actions* a role has; this module decides which *objects*.
Every decision is a small predicate in three forms kept side by side, so a rule changes in one place:

- an SQL condition (``*_read_condition(scope)`` / ``*_write_condition(scope)``) that views put inside
  their query (``select(Case).where(case_read_condition(scope))``), never a filter applied afterwards;
- an Elasticsearch filter (``document_read_filter``) that the search service puts inside every query;
- for the pipeline, the same conditions evaluated for :meth:`Scope.readers_of` a district: derived
  data (FIR auto-links, link suggestions, the case typed at upload, case fields copied into the index)
  is computed inside the scope of the object it is written on, i.e. what *every* reader of that
  object may read.

Read and write are separate predicates everywhere. Case law is *published* when a librarian has
approved its record (``CaseLaw.status == published``): published case law is readable in every district
(``published_caselaw_condition``, used for READS only); a judgment awaiting approval (or withdrawn) is
read only in its own district. Writing case law (records, curation, the text of a judgment) belongs to
holders of ``caselaw.write`` (librarians, administrators): every published judgment, and the judgments of
their own districts before publication; never to a district's clerks once a judgment is published.

Shape (for the areas extending it):

    district_condition(column, scope)        the district wall, on any district_id column
    case_restrictions(scope)                 extra conditions on ``cases``: sealed cases (``casework.sealed``)
    case_exists_condition(scope)             the same, as one condition (outside it a case does not exist)
    case_read_condition / case_write_condition
    published_caselaw_condition(entity)      which CaseLaw rows are published (librarian-approved)
    published_document_condition()           documents that are published case law
    document_read_condition / document_write_condition
    caselaw_read_condition / caselaw_write_condition (on CaseLaw or an alias; caselaw_visibility is the
                                             read condition as a callable, for caselaw.network)
    batch_read_condition, intake_document_condition, review_document_condition
    hearing_read_condition, hearing_write_condition, calendar_case_condition (the calendar's cases)
    court_condition, court_manage_condition, holiday_read_condition, holiday_manage_condition
    document_read_filter(scope, db)          the Elasticsearch form of document_read_condition (sealed cases
                                             by the index's ``sealed`` flag and by case id, hence ``db``)

Sealed cases (issue 10): the rule is ``casework.sealed.SealedAccess`` (Flask-free; the assigned
prosecutor, the supervisors of the case's district and administrators see a sealed case), carried by
``Scope.sealed`` and applied through :func:`case_restrictions`, so every predicate above (cases,
documents of the case, its judgment even once published as case law, hearings, the calendar, derived
data) and the Elasticsearch filter leave out a sealed case the scope may not see. For that user it does
not exist: lists and facets omit it and loading it by id is the same 404 as a missing object.

Loading one object by id goes through ``case_or_404`` / ``document_or_404`` / ``object_or_404``: a
missing object and one outside the scope get the same 404, and the refusal is audited as a denied
access (the audit row keeps the object's district, so that district's supervisors see it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, and_, false, not_, or_, select, true
from sqlalchemy.orm import InstrumentedAttribute, Session

from casework.sealed import SealedAccess
from i18n import N_
from models import (
    Batch,
    Case,
    CaseLaw,
    Court,
    CourtHoliday,
    District,
    Document,
    Hearing,
    PracticeNote,
    Role,
    User,
)

T = TypeVar("T", bound=tuple[Any, ...])
Row = TypeVar("Row")
JsonDict = dict[str, Any]

# Actions that change an object: loading for one of them checks the WRITE predicate.
WRITE_ACTIONS = frozenset({"edit", "create", "delete", "decide", "correct", "upload", "confirm", "retry",
                           "replace", "version", "schedule", "outcome", "curate", "treatment"})
PUBLICATION_ACTIONS = frozenset({"approve", "withdraw"})


@dataclass(frozen=True)
class Scope:
    """Who is asking, as far as object scope is concerned.

    ``allowed_district_ids`` None means every district (administrators, province-level users);
    ``role`` None means "any reader of these districts" (the narrowest one): see :meth:`readers_of`;
    ``sealed``: which sealed cases the user sees (``casework.sealed``; the default sees none).
    """

    allowed_district_ids: frozenset[int] | None
    user_id: int | None = None
    role: Role | None = None
    sealed: SealedAccess = field(default_factory=SealedAccess)

    @classmethod
    def of(cls, user: User | None) -> Scope:
        if user is None:
            return cls(frozenset())  # nobody: sees nothing
        role = Role(str(user.role))
        if user.all_districts:
            return cls(None, user.id, role, SealedAccess.of(user))
        return cls(user.district_ids, user.id, role, SealedAccess.of(user))

    @classmethod
    def readers_of(cls, district_id: int | None, *, of_sealed_case: bool = False) -> Scope:
        """Every reader of an object of ``district_id``: what derived data on that object may use. Not
        every reader sees a sealed case, so nothing is derived from one (no FIR auto-link, no link
        suggestion) -- except onto the sealed case's own documents (``of_sealed_case``), whose readers
        are exactly the case's readers (a document linked to a sealed case is sealed with it)."""
        sealed = SealedAccess(everything=True) if of_sealed_case else SealedAccess()
        return cls(frozenset() if district_id is None else frozenset({district_id}), sealed=sealed)

    @property
    def is_everything(self) -> bool:
        return self.allowed_district_ids is None

    def allows(self, district_id: int | None) -> bool:
        """The district wall alone (no role, no object rules)."""
        if self.allowed_district_ids is None:
            return True
        return district_id is not None and district_id in self.allowed_district_ids

    def holds(self, permission: str) -> bool:
        """Whether the role holds ``permission``. A role-less scope (the readers of a district) holds
        the reading permissions every reader has: the derived-data rule reads cases and documents."""
        from search_app.auth.policy import load_policy

        if self.role is None:
            return permission in DERIVATION_PERMISSIONS
        entry = load_policy().permissions.get(permission)
        return entry is not None and self.role in entry.roles


# What the narrowest reader of a district reads: the district's cases and documents (never another
# district's) and published case law. Derived data on an object may use only these.
DERIVATION_PERMISSIONS = frozenset({"case.read", "document.read", "caselaw.read", "hearing.read"})


def current_scope() -> Scope:
    from search_app.auth import get_user

    return Scope.of(get_user())


# --- SQL predicates -----------------------------------------------------------------------------------


def district_condition(column: InstrumentedAttribute[Any] | ColumnElement[Any], scope: Scope) -> ColumnElement[bool]:
    """``column`` (a district id) inside the scope's districts."""
    if scope.allowed_district_ids is None:
        return true()
    if not scope.allowed_district_ids:
        return false()
    return column.in_(sorted(scope.allowed_district_ids))


def case_restrictions(scope: Scope) -> list[ColumnElement[bool]]:
    """Conditions on ``cases`` besides the district wall: a sealed case only for those the sealed-case
    rule lets see it (``casework.sealed.SealedAccess.case_condition``). They apply to case reads, case
    writes, hearings, and to documents linked to a case (their judgments too, even published)."""
    if scope.sealed.everything:
        return []
    return [scope.sealed.case_condition()]


def case_exists_condition(scope: Scope) -> ColumnElement[bool]:
    """:func:`case_restrictions` as one condition on ``cases``: outside it a case does not exist for the
    scope at all (not even as "a case outside your districts" in a calendar warning)."""
    return and_(true(), *case_restrictions(scope))


def case_read_condition(scope: Scope) -> ColumnElement[bool]:
    if not scope.holds("case.read"):
        return false()
    return and_(district_condition(Case.district_id, scope), *case_restrictions(scope))


def case_write_condition(scope: Scope) -> ColumnElement[bool]:
    if not scope.holds("case.write"):
        return false()
    return and_(district_condition(Case.district_id, scope), *case_restrictions(scope))


def published_caselaw_condition(entity: Any = CaseLaw) -> ColumnElement[bool]:
    """Which ``case_law`` rows are published: their record approved by a librarian (``caselaw.publication``),
    so readable in every district. ``entity``: ``CaseLaw`` or an alias of it. Use it for READS only;
    Elasticsearch holds the same fact as ``published`` (:func:`published_caselaw_filter`)."""
    condition: ColumnElement[bool] = entity.is_published  # the rule itself: models.caselaw.CaseLaw.is_published
    return condition


def is_published_caselaw(entry: CaseLaw | None) -> bool:
    """Python form of :func:`published_caselaw_condition` (the indexer writes ``published`` from it)."""
    return entry is not None and entry.is_published


def published_document_condition() -> ColumnElement[bool]:
    """Documents that are published case law."""
    return Document.id.in_(select(CaseLaw.document_id).where(published_caselaw_condition()))


def _own_judgments(scope: Scope) -> ColumnElement[bool]:
    """Judgment documents of the scope's districts (any publication status), as a condition on
    ``Document``: those with a case-law record."""
    return and_(district_condition(Document.district_id, scope), _document_case_condition(scope),
                Document.id.in_(select(CaseLaw.document_id)))


def _reads_own_judgments(scope: Scope) -> bool:
    """Who reads the judgments of their districts before publication: readers of the district's
    documents, and the librarians who curate and approve them."""
    return scope.holds("caselaw.read") and (scope.holds("document.read") or scope.holds("caselaw.write"))


def _document_case_condition(scope: Scope) -> ColumnElement[bool]:
    """A document linked to a case is only as visible as the case's restrictions allow."""
    restrictions = case_restrictions(scope)
    if not restrictions:
        return true()
    return or_(Document.case_id.is_(None),
               Document.case_id.in_(select(Case.id).where(and_(*restrictions))))


def document_read_condition(scope: Scope) -> ColumnElement[bool]:
    """District documents (for roles that read documents), published case law (for every role holding
    ``caselaw.read``) and, for librarians, the judgments of their districts awaiting approval."""
    parts: list[ColumnElement[bool]] = []
    if scope.holds("document.read"):
        parts.append(and_(district_condition(Document.district_id, scope), _document_case_condition(scope)))
    if scope.holds("caselaw.read"):
        parts.append(and_(published_document_condition(), _document_case_condition(scope)))
        if _reads_own_judgments(scope) and not scope.holds("document.read"):
            parts.append(_own_judgments(scope))
    return or_(*parts) if parts else false()


def document_write_condition(scope: Scope) -> ColumnElement[bool]:
    """District material for ``document.correct`` holders (not published case law: once approved, a
    judgment's text is the province's); judgments for ``caselaw.write`` holders (librarians) as far as
    :func:`caselaw_write_condition` reaches: every published one, and those of their districts."""
    parts: list[ColumnElement[bool]] = []
    if scope.holds("document.correct"):
        parts.append(and_(district_condition(Document.district_id, scope), _document_case_condition(scope),
                          not_(published_document_condition())))
    if scope.holds("caselaw.write"):
        parts.append(Document.id.in_(select(CaseLaw.document_id).where(caselaw_write_condition(scope))))
    return or_(*parts) if parts else false()


def caselaw_read_condition(scope: Scope, entity: Any = CaseLaw) -> ColumnElement[bool]:
    """Case law the scope reads (``entity``: ``CaseLaw`` or an alias): published judgments for every
    ``caselaw.read`` holder; the judgments of one's districts awaiting approval (or withdrawn) for those
    who read the district's documents and for its librarians."""
    if not scope.holds("caselaw.read"):
        return false()
    if scope.is_everything and _reads_own_judgments(scope) and not case_restrictions(scope):
        return true()
    published = and_(published_caselaw_condition(entity), _caselaw_case_condition(scope, entity))
    if not _reads_own_judgments(scope):
        return published
    own = select(Document.id).where(district_condition(Document.district_id, scope), _document_case_condition(scope))
    return or_(published, entity.document_id.in_(own))


def _caselaw_case_condition(scope: Scope, entity: Any) -> ColumnElement[bool]:
    """A judgment of a sealed case the scope may not see stays hidden even once published."""
    if not case_restrictions(scope):
        return true()
    return entity.document_id.in_(select(Document.id).where(_document_case_condition(scope)))


def caselaw_write_condition(scope: Scope, entity: Any = CaseLaw) -> ColumnElement[bool]:
    """Case law the scope changes (records, curation, publication, the judgment's text): ``caselaw.write``
    holders curate every published judgment (the collection is province-wide) and the judgments of their
    own districts before publication -- never a judgment of a sealed case they may not see."""
    if not scope.holds("caselaw.write"):
        return false()
    if scope.is_everything:
        return _caselaw_case_condition(scope, entity)
    published = and_(published_caselaw_condition(entity), _caselaw_case_condition(scope, entity))
    own = select(Document.id).where(district_condition(Document.district_id, scope), _document_case_condition(scope))
    return or_(published, entity.document_id.in_(own))


def caselaw_visibility(scope: Scope | None = None) -> Callable[[Any], ColumnElement[bool]]:
    """:func:`caselaw_read_condition` as a callable on ``CaseLaw`` or an alias of it (what
    ``caselaw.network`` takes to limit both ends of a citation)."""
    scope = scope or current_scope()

    def visible(entity: Any = CaseLaw) -> ColumnElement[bool]:
        return caselaw_read_condition(scope, entity)

    return visible


def practice_note_read_condition(scope: Scope) -> ColumnElement[bool]:
    """Practice notes the scope reads, as a condition on ``PracticeNote``: one policy for every list and
    fetch (web, API, statute pages, the record page, the edit form). A note on a judgment is read by
    exactly those who read the judgment (:func:`caselaw_read_condition`: before approval and after a
    withdrawal, its district's readers only); a note on a statute section alone by every ``caselaw.read``
    holder. Notes are not indexed in Elasticsearch, so there is no ES form."""
    if not scope.holds("caselaw.read"):
        return false()
    on_judgment = PracticeNote.case_law_id.in_(select(CaseLaw.id).where(caselaw_read_condition(scope)))
    return or_(PracticeNote.case_law_id.is_(None), on_judgment)


def batch_read_condition(scope: Scope) -> ColumnElement[bool]:
    return district_condition(Batch.district_id, scope) if scope.holds("intake.use") else false()


def intake_document_condition(scope: Scope) -> ColumnElement[bool]:
    """Documents of one's districts as intake work (failed files, retries, replacements, re-scan
    versions): for ``intake.use`` holders, never published case law."""
    if not scope.holds("intake.use"):
        return false()
    return and_(district_condition(Document.district_id, scope), _document_case_condition(scope),
                not_(published_document_condition()))


def review_document_condition(scope: Scope) -> ColumnElement[bool]:
    """Documents whose pages the scope reviews (the review queue and "the text is right"): those whose
    text it may correct (:func:`document_write_condition`)."""
    return document_write_condition(scope) if scope.holds("review.read") else false()


def calendar_case_condition(scope: Scope, write: bool = False) -> ColumnElement[bool]:
    """Cases whose hearings the scope reads (or schedules, ``write``), as a condition on ``cases``: the
    calendar's queries join hearings to cases and filter with it (``scheduling.store.in_scope``)."""
    if not scope.holds("hearing.write" if write else "hearing.read"):
        return false()
    return and_(district_condition(Case.district_id, scope), *case_restrictions(scope))


def court_condition(scope: Scope) -> ColumnElement[bool]:
    """The courts of one's districts (picked in hearing forms and filters; kept by ``calendar.manage``)."""
    return district_condition(Court.district_id, scope)


def court_manage_condition(scope: Scope) -> ColumnElement[bool]:
    return court_condition(scope) if scope.holds("calendar.manage") else false()


def holiday_read_condition(scope: Scope) -> ColumnElement[bool]:
    """Province-wide holidays and those of one's districts."""
    return or_(CourtHoliday.district_id.is_(None), district_condition(CourtHoliday.district_id, scope))


def holiday_manage_condition(scope: Scope) -> ColumnElement[bool]:
    """Holidays one may remove: one's districts' (province-wide ones: province-level users only)."""
    if not scope.holds("calendar.manage"):
        return false()
    return true() if scope.is_everything else district_condition(CourtHoliday.district_id, scope)


def hearing_read_condition(scope: Scope) -> ColumnElement[bool]:
    return Hearing.case_id.in_(select(Case.id).where(calendar_case_condition(scope)))


def hearing_write_condition(scope: Scope) -> ColumnElement[bool]:
    return Hearing.case_id.in_(select(Case.id).where(calendar_case_condition(scope, write=True)))


# --- Elasticsearch ------------------------------------------------------------------------------------


def published_caselaw_filter() -> JsonDict:
    """ES form of :func:`published_document_condition` (the indexer writes ``published`` from
    :func:`is_published_caselaw`)."""
    return {"term": {"published": True}}


def district_filter(district_ids: frozenset[int]) -> JsonDict:
    return {"terms": {"district_id": sorted(str(i) for i in district_ids)}}


def document_read_filter(scope: Scope, db: Session | None = None) -> JsonDict | None:
    """ES form of :func:`document_read_condition`; None means no restriction. The sealed-case part
    (``casework.sealed.SealedAccess.search_filter``) reads the sealed cases' ids through ``db``, so a
    case sealed a moment ago is hidden before its documents are re-indexed; without ``db`` only the
    index's ``sealed`` flag is used."""
    base = _district_read_filter(scope)
    sealed = scope.sealed.search_filter(db)
    if sealed is None:
        return base
    if base is None:
        return sealed
    return {"bool": {"filter": [base, sealed]}}


def _district_read_filter(scope: Scope) -> JsonDict | None:
    reads_documents = scope.holds("document.read")
    if reads_documents and scope.allowed_district_ids is None:
        return None
    should: list[JsonDict] = []
    if reads_documents and scope.allowed_district_ids is not None:
        should.append(district_filter(scope.allowed_district_ids))
    if scope.holds("caselaw.read"):
        should.append(published_caselaw_filter())
        if _reads_own_judgments(scope) and not reads_documents:
            judgments: JsonDict = {"term": {"is_case_law": True}}
            if scope.allowed_district_ids is None:
                should.append(judgments)
            elif scope.allowed_district_ids:
                should.append({"bool": {"filter": [district_filter(scope.allowed_district_ids), judgments]}})
    if not should:
        return {"bool": {"must_not": [{"match_all": {}}]}}
    return {"bool": {"should": should, "minimum_should_match": 1}}


# --- compatibility helpers (older views call these) -----------------------------------------------------


def scoped_cases(stmt: Select[T], scope: Scope | None = None) -> Select[T]:
    """``stmt`` (which selects from ``cases``) limited to the cases the scope may read."""
    return stmt.where(case_read_condition(scope or current_scope()))


def scoped_documents(stmt: Select[T], scope: Scope | None = None) -> Select[T]:
    """``stmt`` (which selects from ``documents``) limited to the documents the scope may read."""
    return stmt.where(document_read_condition(scope or current_scope()))


def scoped_districts(db: Session, scope: Scope | None = None) -> list[District]:
    """Districts the user may pick in a form (case, intake, filters), by name."""
    scope = scope or current_scope()
    stmt = select(District).where(district_condition(District.id, scope)).order_by(District.name)
    return list(db.scalars(stmt))


# --- loading one object --------------------------------------------------------------------------------


def object_or_404(db: Session, model: type[Row], object_id: int, condition: ColumnElement[bool], *,
                  action: str, object_type: str, district_of: Callable[[Row], int | None] | None = None,
                  readable: ColumnElement[bool] | None = None) -> Row:
    """The row of ``model`` with ``object_id`` if ``condition`` holds for it; otherwise the same 404
    for a missing and an out-of-scope object, audited as a denied access with the object's district
    (so the supervisors of that district see the attempt). Ids outside 64 bits are simply missing.

    ``readable`` (for a write): an object the user may read but not change answers 403, like an action
    the role lacks (its existence is no secret to this reader; a clerk is told it is not theirs to change)."""
    from flask import abort

    from search_app.audit import audit

    pk = model.id  # type: ignore[attr-defined]
    row = db.scalar(select(model).where(pk == object_id, condition)) if _fits(object_id) else None
    if row is not None:
        return row
    existing = db.get(model, object_id) if _fits(object_id) else None
    district_id = district_of(existing) if (existing is not None and district_of) else None
    if existing is not None and readable is not None and db.scalar(select(pk).where(pk == object_id, readable)):
        audit(action, object_type, object_id, success=False, district_id=district_id, reason="read_only")
        abort(403, description=N_("You may read this, but it is not yours to change."))
    audit(action, object_type, object_id, success=False, district_id=district_id,
          reason="not_found" if existing is None else "out_of_scope")
    abort(404)


def _fits(object_id: int) -> bool:
    return -(2**63) <= object_id < 2**63


def case_or_404(db: Session, case_id: int, action: str = "view", scope: Scope | None = None) -> Case:
    """The case if it exists and the scope may read it (or write it, for a write ``action``)."""
    scope = scope or current_scope()
    write = action in WRITE_ACTIONS
    return object_or_404(db, Case, case_id, case_write_condition(scope) if write else case_read_condition(scope),
                         action=action, object_type="case", district_of=lambda c: c.district_id,
                         readable=case_read_condition(scope) if write else None)


def document_or_404(db: Session, document_id: int, action: str = "view", scope: Scope | None = None) -> Document:
    """The document if it exists and the scope may read it (or write it, for a write ``action``)."""
    scope = scope or current_scope()
    write = action in WRITE_ACTIONS
    return object_or_404(db, Document, document_id,
                         document_write_condition(scope) if write else document_read_condition(scope),
                         action=action, object_type="document", district_of=lambda d: d.district_id,
                         readable=document_read_condition(scope) if write else None)


def caselaw_or_404(db: Session, caselaw_id: int, action: str = "view", scope: Scope | None = None) -> CaseLaw:
    """The case-law entry if it exists and the scope may read it (or write it, for a write ``action``,
    including ``approve``/``withdraw``); audited like the others with the judgment's district."""
    scope = scope or current_scope()
    write = action in WRITE_ACTIONS or action in PUBLICATION_ACTIONS
    return object_or_404(db, CaseLaw, caselaw_id,
                         caselaw_write_condition(scope) if write else caselaw_read_condition(scope),
                         action=action, object_type="case_law", district_of=_judgment_district,
                         readable=caselaw_read_condition(scope) if write else None)


# The objects a write route may name, for the wording of a refusal by role (policy ``[objects]``): the URL
# argument that carries the object's id, and the condition under which the scope reads it.
READABLE_OBJECTS: dict[str, tuple[str, Callable[[Scope], ColumnElement[bool]], Any]] = {
    "case_law": ("caselaw_id", caselaw_read_condition, CaseLaw),
    "document": ("document_id", document_read_condition, Document),
}


def reads_object(kind: str, view_args: dict[str, Any], scope: Scope | None = None) -> bool:
    """Whether the current user reads the object of ``kind`` that the URL (``view_args``) names: a write
    refused by role is then "not yours to change" rather than "your role does not allow". False for an
    id that is missing, out of range or out of scope, so a refusal never tells which ids exist.

    Raises ``KeyError`` for a kind not in ``READABLE_OBJECTS`` (the policy table names only known kinds)."""
    from search_app.db import get_session

    arg, condition, model = READABLE_OBJECTS[kind]
    object_id = view_args.get(arg)
    if not isinstance(object_id, int) or not _fits(object_id):
        return False
    scope = scope or current_scope()
    return get_session().scalar(select(model.id).where(model.id == object_id, condition(scope))) is not None


def _judgment_district(entry: CaseLaw) -> int | None:
    return entry.document.district_id if entry.document is not None else None


def hearing_or_404(db: Session, hearing_id: int, action: str = "view", scope: Scope | None = None) -> Hearing:
    """The hearing if it exists and the scope may read it (or change it, for a write ``action``)."""
    scope = scope or current_scope()
    write = action in WRITE_ACTIONS
    return object_or_404(db, Hearing, hearing_id,
                         hearing_write_condition(scope) if write else hearing_read_condition(scope),
                         action=action, object_type="hearing", district_of=lambda h: h.case.district_id,
                         readable=hearing_read_condition(scope) if write else None)
