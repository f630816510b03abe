"""Read helpers over the case-file tables for other areas (no Flask; the caller applies scope).

``case_witnesses`` is what the calendar's "witnesses summoned for a hearing" links to: a stable
witness id, the person's CNIC and the register's process status.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Person, Witness


@dataclass(frozen=True)
class WitnessInfo:
    """One register entry: ``id`` is the witness's stable id (``witnesses.id``)."""

    id: int
    case_id: int
    person_id: int
    name: str
    father_name: str
    cnic: str
    kind: str
    process: str
    process_returnable_on: date | None
    examined_on: date | None
    given_up_on: date | None

    @property
    def pending(self) -> bool:
        """Still to be examined (neither examined nor given up)."""
        return self.examined_on is None and self.given_up_on is None


def case_witnesses(session: Session, case_id: int, *, pending_only: bool = False) -> list[WitnessInfo]:
    """The case's witness register in entry order. The caller must have checked the case is in scope."""
    rows = session.execute(select(Witness, Person).join(Person, Witness.person_id == Person.id)
                           .where(Witness.case_id == case_id).order_by(Witness.id))
    out = [WitnessInfo(w.id, w.case_id, p.id, p.name, p.father_name, p.cnic or "", w.kind, w.process,
                       w.process_returnable_on, w.examined_on, w.given_up_on) for w, p in rows]
    return [w for w in out if w.pending] if pending_only else out
