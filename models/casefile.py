"""The prosecution case file (issue 10): stage transitions, deadlines, challan scrutiny,
persons across cases, the witness register, exhibits with their chain of custody, and outcomes per
accused. (Court holidays: ``models.calendar.CourtHoliday``, shared with the hearings calendar.)

The rules live in ``casework/``; these tables record what happened. Dates a user states (the day a
challan was received, a judgment's date) are ``date`` values in the court's calendar; when a row was
written is a UTC ``datetime``. Columns the monitoring area aggregates on (stage, dates, rule, result,
objection code) carry indexes.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, utcnow
from models.users import User


class CaseTransition(Base):
    """One move of a case from a stage to the next: when it happened, who recorded it, why."""

    __tablename__ = "case_transitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    from_stage: Mapped[str] = mapped_column(String(30), default="")  # "" for the case's first stage
    to_stage: Mapped[str] = mapped_column(String(30), index=True)
    happened_on: Mapped[date] = mapped_column(index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    actor: Mapped[User | None] = relationship()


class CaseDeadline(Base):
    """A statutory deadline of a case computed by ``casework.deadlines`` (``subject_id``: the accused's
    person id for per-accused rules, 0 for the whole case)."""

    __tablename__ = "case_deadlines"
    __table_args__ = (UniqueConstraint("case_id", "rule_id", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    rule_id: Mapped[str] = mapped_column(String(60), index=True)
    subject_id: Mapped[int] = mapped_column(Integer, default=0)
    anchor_on: Mapped[date] = mapped_column()
    due_on: Mapped[date] = mapped_column(index=True)
    met_on: Mapped[date | None] = mapped_column(default=None, index=True)
    met_source: Mapped[str] = mapped_column(String(10), default="")  # "stage" or "manual"
    met_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Scrutiny(Base):
    """One examination of a police report (challan): returned with objections, or accepted."""

    __tablename__ = "scrutinies"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    received_on: Mapped[date | None] = mapped_column(default=None)
    decision: Mapped[str] = mapped_column(String(10), index=True)  # returned | accepted
    decided_on: Mapped[date] = mapped_column(index=True)
    prosecutor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    remarks: Mapped[str] = mapped_column(Text, default="")
    # (document id, page number) pairs of the police report examined
    pages: Mapped[list[list[int]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    prosecutor: Mapped[User | None] = relationship()
    objections: Mapped[list[ScrutinyObjection]] = relationship(
        back_populates="scrutiny", cascade="all, delete-orphan", order_by="ScrutinyObjection.id")


class ScrutinyObjection(Base):
    """An objection raised in a scrutiny (``code`` from the checklist data), open until resolved."""

    __tablename__ = "scrutiny_objections"

    id: Mapped[int] = mapped_column(primary_key=True)
    scrutiny_id: Mapped[int] = mapped_column(ForeignKey("scrutinies.id", ondelete="CASCADE"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(40), index=True)
    text: Mapped[str] = mapped_column(Text, default="")
    resolved_on: Mapped[date | None] = mapped_column(default=None, index=True)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    resolution_note: Mapped[str] = mapped_column(Text, default="")

    scrutiny: Mapped[Scrutiny] = relationship(back_populates="objections")


class Person(Base):
    """A person across cases (accused, complainant, victim, witness). ``name_key``/``block_key`` are
    ``casework.persons`` sound keys for finding candidates in SQL; a person confirmed to be another
    keeps its row with ``merged_into_id`` set."""

    __tablename__ = "persons"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    father_name: Mapped[str] = mapped_column(String(200), default="")
    cnic: Mapped[str | None] = mapped_column(String(15), unique=True, default=None)
    name_key: Mapped[str] = mapped_column(String(200), default="")
    block_key: Mapped[str] = mapped_column(String(60), default="", index=True)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), default=None, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PersonMatchSuggestion(Base):
    """"These two persons may be one", for a prosecutor to confirm or reject."""

    __tablename__ = "person_match_suggestions"
    __table_args__ = (UniqueConstraint("person_id", "candidate_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    score: Mapped[float] = mapped_column(Float)
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    decided_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Witness(Base):
    """The witness register of a case: kind, court process (summons/warrants), examination."""

    __tablename__ = "witnesses"
    __table_args__ = (UniqueConstraint("case_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    process: Mapped[str] = mapped_column(String(30), default="none")
    process_issued_on: Mapped[date | None] = mapped_column(default=None)
    process_returnable_on: Mapped[date | None] = mapped_column(default=None)
    examined_on: Mapped[date | None] = mapped_column(default=None, index=True)
    given_up_on: Mapped[date | None] = mapped_column(default=None)
    given_up_reason: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    # statements: [[document id, page number], ...]
    statement_pages: Mapped[list[list[int]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    person: Mapped[Person] = relationship(lazy="joined")


class Exhibit(Base):
    """Case property: description, recovery memo page, malkhana entry, FSL dispatch and result."""

    __tablename__ = "exhibits"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(40))  # e.g. "P-1" as marked in court
    description: Mapped[str] = mapped_column(Text)
    recovered_on: Mapped[date | None] = mapped_column(default=None)
    recovery_memo_document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), default=None)
    recovery_memo_page_no: Mapped[int | None] = mapped_column(Integer, default=None)
    malkhana_entry: Mapped[str] = mapped_column(String(60), default="")
    fsl_sent_on: Mapped[date | None] = mapped_column(default=None)
    fsl_result_on: Mapped[date | None] = mapped_column(default=None)
    fsl_result: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    custody: Mapped[list[CustodyEntry]] = relationship(
        back_populates="exhibit", cascade="all, delete-orphan", order_by="CustodyEntry.id")


class CustodyEntry(Base):
    """One hand-over in an exhibit's chain of custody (who handed what to whom, when, why)."""

    __tablename__ = "custody_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    exhibit_id: Mapped[int] = mapped_column(ForeignKey("exhibits.id", ondelete="CASCADE"), index=True)
    handed_on: Mapped[date] = mapped_column()
    from_holder: Mapped[str] = mapped_column(String(200))
    to_holder: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[str] = mapped_column(String(300), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    exhibit: Mapped[Exhibit] = relationship(back_populates="custody")


class Outcome(Base):
    """The judgment for one accused: result, sentence, date and court."""

    __tablename__ = "outcomes"
    __table_args__ = (UniqueConstraint("case_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    result: Mapped[str] = mapped_column(String(20), index=True)
    sentence: Mapped[str] = mapped_column(Text, default="")
    judgment_on: Mapped[date] = mapped_column(index=True)
    court: Mapped[str] = mapped_column(String(200))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    person: Mapped[Person] = relationship(lazy="joined")


def as_pairs(value: Any) -> list[tuple[int, int]]:
    """Stored [[document id, page no], ...] as tuples (tolerates older or hand-edited rows)."""
    pairs: list[tuple[int, int]] = []
    for item in value or []:
        if isinstance(item, list | tuple) and len(item) == 2:
            pairs.append((int(item[0]), int(item[1])))
    return pairs
