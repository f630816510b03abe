"""Peer review of case files (issue 12): who reviews which case, the checklist answers, findings with
their severity and pages, the prosecutor's answer to each finding, the supervisor's sign-off, the
history of every step, and the review rotations supervisors set per district.

The rules live in ``monitoring/`` (``monitoring.review`` decides what a user may do next; the checklist
and severities are data in ``monitoring/data/review.toml``); these tables record what happened. A
review keeps the case's prosecutor and stage at assignment (the checklist is chosen by stage; the
prosecutor is the one who answers). Columns the dashboards aggregate on carry indexes.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, utcnow
from models.users import User


class CaseReview(Base):
    """One peer review of a case. ``status``: assigned -> in_review -> awaiting_answers (findings to
    answer) -> awaiting_sign_off -> signed_off; ``withdrawn`` when a supervisor cancels it."""

    __tablename__ = "case_reviews"
    __table_args__ = (Index("ix_case_reviews_reviewer_status", "reviewer_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    prosecutor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None, index=True)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    assigned_via: Mapped[str] = mapped_column(String(10), default="supervisor")  # supervisor | rotation
    checklist: Mapped[str] = mapped_column(String(30))  # checklist id from monitoring/data/review.toml
    stage: Mapped[str] = mapped_column(String(30))  # the case's stage when the review was assigned
    status: Mapped[str] = mapped_column(String(20), default="assigned", index=True)
    due_on: Mapped[date | None] = mapped_column(default=None)
    note: Mapped[str] = mapped_column(Text, default="")  # the supervisor's instructions
    assigned_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    submitted_at: Mapped[datetime | None] = mapped_column(default=None)
    signed_off_at: Mapped[datetime | None] = mapped_column(default=None)
    signed_off_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    sign_off_note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    reviewer: Mapped[User] = relationship(foreign_keys=[reviewer_id], lazy="joined")
    prosecutor: Mapped[User | None] = relationship(foreign_keys=[prosecutor_id], lazy="joined")
    checks: Mapped[list[ReviewCheck]] = relationship(
        back_populates="review", cascade="all, delete-orphan", order_by="ReviewCheck.id")
    findings: Mapped[list[ReviewFinding]] = relationship(
        back_populates="review", cascade="all, delete-orphan", order_by="ReviewFinding.id")
    events: Mapped[list[ReviewEvent]] = relationship(
        back_populates="review", cascade="all, delete-orphan", order_by="ReviewEvent.id")


class ReviewCheck(Base):
    """The reviewer's answer to one checklist item: yes (in order), no (a finding is due) or n/a."""

    __tablename__ = "review_checks"
    __table_args__ = (UniqueConstraint("review_id", "item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("case_reviews.id", ondelete="CASCADE"), index=True)
    item: Mapped[str] = mapped_column(String(60))
    answer: Mapped[str] = mapped_column(String(5))  # yes | no | na
    note: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)

    review: Mapped[CaseReview] = relationship(back_populates="checks")


class ReviewFinding(Base):
    """A finding of a review: what is wrong, how serious, where in the file (document and page pairs),
    and the case prosecutor's answer."""

    __tablename__ = "review_findings"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("case_reviews.id", ondelete="CASCADE"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    item: Mapped[str] = mapped_column(String(60), default="", index=True)  # checklist item ('' = general)
    severity: Mapped[str] = mapped_column(String(10), index=True)  # minor | major | critical
    text: Mapped[str] = mapped_column(Text)
    # [[document id, page number], ...] of the case's documents
    pages: Mapped[list[list[int]]] = mapped_column(JSON, default=list)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    answer_kind: Mapped[str] = mapped_column(String(12), default="")  # '' | corrected | explained | disputed
    answer: Mapped[str] = mapped_column(Text, default="")
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    answered_at: Mapped[datetime | None] = mapped_column(default=None)

    review: Mapped[CaseReview] = relationship(back_populates="findings")


class ReviewEvent(Base):
    """One step in a review's history (assigned, reassigned, checklist saved, finding added, submitted,
    answered, signed off, withdrawn), with who and when; ``detail`` holds the step's facts."""

    __tablename__ = "review_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("case_reviews.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(30))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    review: Mapped[CaseReview] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship(lazy="joined")


class ReviewRotation(Base):
    """A district's review rotation: the reviewers in turn (``members``, user ids in order) and the
    last one who was given a case (the next assignment goes to the one after)."""

    __tablename__ = "review_rotations"

    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id", ondelete="CASCADE"), primary_key=True)
    members: Mapped[list[int]] = mapped_column(JSON, default=list)
    last_user_id: Mapped[int | None] = mapped_column(Integer, default=None)
    cases_per_run: Mapped[int] = mapped_column(Integer, default=5)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


__all__ = ["CaseReview", "ReviewCheck", "ReviewEvent", "ReviewFinding", "ReviewRotation"]
