"""Sealed matters: the one rule deciding who may see a sealed case, as an SQL condition, an
Elasticsearch filter clause and a Python check. Free of Flask, so the web's object scope
(``search_app.auth.scope``: ``Scope.sealed`` is applied through ``case_restrictions`` to every read and
write predicate and to ``document_read_filter``), the calendar's queries (which take their conditions
from that scope) and the reminder program all apply the same rule.

A sealed case (juvenile accused, identity of a victim of a sexual offence, protected witnesses in a
terrorism case) exists only for:
- its assigned prosecutor,
- supervisors of its district (a supervisor with the case's district among their own districts, or a
  province-level supervisor, ``all_districts``),
- administrators.
For everyone else it does not exist: the case, its documents and pages (its judgment even once
published as case law), hearings, deadlines, persons' case lists, search hits and facet counts all
leave it out, and loading it by id is a 404.

``SealedAccess.of(user)`` is the user's side; ``case_condition()`` is the SQL condition on ``cases``;
``search_filter(session)`` the Elasticsearch clause (documents of sealed cases carry ``sealed: true`` in
the index; the clause also excludes hidden sealed cases by id, so a case sealed a moment ago is hidden
before its documents are re-indexed); ``allows(case)`` the same rule for a loaded case.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, or_, select, true
from sqlalchemy.orm import Session

from models import Case, Role, User

SEAL_REASONS = ("juvenile_accused", "sexual_offence_victim", "protected_witness", "other")

JsonDict = dict[str, Any]


@dataclass(frozen=True)
class SealedAccess:
    """``everything``: sees every sealed case; else the sealed cases where ``user_id`` is the assigned
    prosecutor or the case's district is in ``supervised_district_ids``. The default (nobody) sees no
    sealed case: what derived data for "every reader of a district" may use."""

    everything: bool = False
    user_id: int | None = None
    supervised_district_ids: frozenset[int] = frozenset()

    @classmethod
    def of(cls, user: User | None) -> SealedAccess:
        if user is None:
            return cls()
        role = str(user.role)
        if role == Role.ADMIN or (role == Role.SUPERVISOR and user.all_districts):
            return cls(everything=True, user_id=user.id)
        supervised = user.district_ids if role == Role.SUPERVISOR else frozenset()
        return cls(user_id=user.id, supervised_district_ids=frozenset(supervised))

    def _may_see_sealed(self) -> ColumnElement[bool]:
        own = Case.assigned_prosecutor_id == self.user_id if self.user_id is not None else false()
        if self.supervised_district_ids:
            return or_(own, Case.district_id.in_(sorted(self.supervised_district_ids)))
        return own

    def case_condition(self) -> ColumnElement[bool]:
        """SQL condition over ``cases``: the case is not sealed, or this user may see it."""
        if self.everything:
            return true()
        return or_(Case.sealed.is_(False), self._may_see_sealed())

    def hidden_cases(self) -> Select[tuple[int]]:
        """``select(case ids)`` of sealed cases this user may not see."""
        if self.everything:
            return select(Case.id).where(false())
        return select(Case.id).where(and_(Case.sealed.is_(True), ~self._may_see_sealed()))

    def allows(self, case: Case) -> bool:
        """The same rule in Python, for an already loaded case."""
        if self.everything or not case.sealed:
            return True
        return (self.user_id is not None and case.assigned_prosecutor_id == self.user_id) or (
            case.district_id in self.supervised_district_ids)

    def search_filter(self, session: Session | None) -> JsonDict | None:
        """The Elasticsearch clause (a filter on page and document records): records not marked
        ``sealed``, or of a sealed case this user may see; never one of a hidden sealed case (by
        ``case_id``). None when every sealed case is visible. Without ``session`` (no database at hand)
        only the ``sealed`` mark is used: records of sealed cases are hidden."""
        if self.everything:
            return None
        if session is None:
            return sealed_clause(frozenset(), frozenset())
        visible = session.scalars(select(Case.id).where(Case.sealed.is_(True), self._may_see_sealed()))
        return sealed_clause(frozenset(visible), frozenset(session.scalars(self.hidden_cases())))


def sealed_clause(visible: frozenset[int], hidden: frozenset[int]) -> JsonDict:
    """The clause of :meth:`SealedAccess.search_filter` for the sealed case ids a user sees (``visible``)
    and those hidden from them (``hidden``)."""
    should: list[JsonDict] = [{"bool": {"must_not": [{"term": {"sealed": True}}]}}]
    clause: JsonDict = {"bool": {"should": should, "minimum_should_match": 1}}
    if visible:
        should.append({"terms": {"case_id": [str(i) for i in sorted(visible)]}})
    if hidden:
        clause["bool"]["must_not"] = [{"terms": {"case_id": [str(i) for i in sorted(hidden)]}}]
    return clause
