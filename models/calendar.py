"""The hearings calendar: courts, hearings as courts run them, the witnesses summoned for each (linked
to the case file's witness register), the overrides of scheduling warnings, the court holidays (the
one table of dated closed days, used by deadlines too), and the tokens of personal calendar feeds.

A hearing's ``scheduled_for`` is the court's calendar day in Asia/Karachi; ``starts_at`` (when the
court fixed a time) is a UTC instant. Codes (session, purpose, result, adjournment reason, who asked)
come from the lists in ``scheduling/data/hearings.toml``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, utcnow
from models.users import District, User

if TYPE_CHECKING:
    from models.casefile import Witness
    from models.cases import Case


class Court(Base):
    """A court the department appears before (e.g. "Additional Sessions Judge-II, Peshawar")."""

    __tablename__ = "courts"
    __table_args__ = (UniqueConstraint("district_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40), default="")  # court_kinds code
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    district: Mapped[District] = relationship(lazy="joined")


class Hearing(Base):
    """One date of a case before a court."""

    __tablename__ = "hearings"
    __table_args__ = (
        Index("ix_hearings_court_day", "court_id", "scheduled_for"),
        Index("ix_hearings_prosecutor_day", "prosecutor_id", "scheduled_for"),
        # a case's latest hearing and its next date (the monitoring area's UN indicator), by index alone
        Index("ix_hearings_case_day", "case_id", "scheduled_for"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    scheduled_for: Mapped[date] = mapped_column(index=True)  # the court's day (Asia/Karachi)
    session: Mapped[str] = mapped_column(String(10), default="morning")
    starts_at: Mapped[datetime | None] = mapped_column(default=None)  # UTC, when a time is fixed
    court_id: Mapped[int | None] = mapped_column(ForeignKey("courts.id"), default=None)
    court: Mapped[str] = mapped_column(String(200), default="")  # the court's name as shown
    courtroom: Mapped[str] = mapped_column(String(60), default="")
    judge: Mapped[str] = mapped_column(String(200), default="")
    purpose: Mapped[str] = mapped_column(String(200), default="")  # purposes code
    prosecutor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    result: Mapped[str] = mapped_column(String(40), default="")  # results code; '' = not recorded
    outcome: Mapped[str] = mapped_column(Text, default="")  # the proceedings in words
    adjournment_reason: Mapped[str] = mapped_column(String(40), default="")
    adjournment_requested_by: Mapped[str] = mapped_column(String(20), default="")
    next_date: Mapped[date | None] = mapped_column(default=None)
    next_hearing_id: Mapped[int | None] = mapped_column(
        ForeignKey("hearings.id", ondelete="SET NULL"), default=None)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    created_at: Mapped[datetime | None] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(default=utcnow, onupdate=utcnow)

    case: Mapped[Case] = relationship(back_populates="hearings")
    court_ref: Mapped[Court | None] = relationship(lazy="joined")
    prosecutor: Mapped[User | None] = relationship(foreign_keys=[prosecutor_id])
    witnesses: Mapped[list[HearingWitness]] = relationship(
        back_populates="hearing", cascade="all, delete-orphan", order_by="HearingWitness.id")
    overrides: Mapped[list[ConflictOverride]] = relationship(
        back_populates="hearing", cascade="all, delete-orphan", order_by="ConflictOverride.id")


class HearingWitness(Base):
    """A witness summoned for a hearing. ``witness_id`` is the entry in the case's witness register
    (``models.casefile.Witness``); ``name`` and ``cnic`` are what the summons says (copied from the
    register when linked; kept for rows summoned before the register existed). ``attended`` is None
    until the outcome is recorded."""

    __tablename__ = "hearing_witnesses"

    id: Mapped[int] = mapped_column(primary_key=True)
    hearing_id: Mapped[int] = mapped_column(ForeignKey("hearings.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    cnic: Mapped[str] = mapped_column(String(15), default="", index=True)
    witness_id: Mapped[int | None] = mapped_column(ForeignKey("witnesses.id", ondelete="SET NULL"), default=None,
                                                   index=True)
    attended: Mapped[bool | None] = mapped_column(Boolean, default=None)

    hearing: Mapped[Hearing] = relationship(back_populates="witnesses")
    register: Mapped[Witness | None] = relationship(lazy="joined")


class ConflictOverride(Base):
    """A scheduling warning someone saw and overrode, with their reason."""

    __tablename__ = "hearing_conflict_overrides"

    id: Mapped[int] = mapped_column(primary_key=True)
    hearing_id: Mapped[int] = mapped_column(ForeignKey("hearings.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    other_hearing_id: Mapped[int | None] = mapped_column(Integer, default=None)
    warning: Mapped[str] = mapped_column(String(500), default="")
    reason: Mapped[str] = mapped_column(Text)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    at: Mapped[datetime] = mapped_column(default=utcnow)

    hearing: Mapped[Hearing] = relationship(back_populates="overrides")
    user: Mapped[User | None] = relationship()


class CourtHoliday(Base):
    """A dated day the courts do not sit (Eid, Ashura, a vacation, a local holiday), for the whole
    province (``district_id`` None) or one district. Weekly closed days and fixed-date gazetted
    holidays are data (``casework/data/court_calendar.toml``); ``casework.court_calendar`` combines
    both into the one calendar deadlines and hearing warnings use. ``source``: the notification."""

    __tablename__ = "court_holidays"
    __table_args__ = (UniqueConstraint("day", "district_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(index=True)
    name: Mapped[str] = mapped_column(String(200))
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"), default=None)
    source: Mapped[str] = mapped_column(String(300), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    district: Mapped[District | None] = relationship(lazy="joined")


class CalendarFeedToken(Base):
    """A personal iCalendar feed address. Only the SHA-256 of the token is stored; ``hint`` (its
    first characters) lets the owner recognise it. Revoked tokens stay for the audit trail."""

    __tablename__ = "calendar_feed_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hint: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    last_used_at: Mapped[datetime | None] = mapped_column(default=None)
    use_count: Mapped[int] = mapped_column(Integer, default=0)

    user: Mapped[User] = relationship()
