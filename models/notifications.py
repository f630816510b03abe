"""Notifications: in-app messages, their e-mail delivery state, per-user preferences and the daily
digests. ``notify.notify`` is the one way to create a notification; ``notify.sender`` delivers.

Idempotency: ``(user_id, key)`` is unique, so a reminder source that runs twice creates one
notification; an e-mail moves pending -> sending (claimed by one sender) -> sent, so two senders
never both send it; a digest is one row per user and local day.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class Notification(Base):
    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("user_id", "key"),
        Index("ix_notifications_email_status", "email_status"),
        Index("ix_notifications_user_read", "user_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(200))  # what makes it unique for the user
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str] = mapped_column(String(500), default="")  # path inside the app, e.g. /hearings/5
    # The case it names (None: about no case). Subjects name the case (its FIR), so the inbox, the API
    # and e-mail show it only while the user may still read that case (sealed, moved to another
    # district, the user moved): ``notify.service.visible_condition``.
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), default=None,
                                                index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(default=None)
    # none (in-app only) | pending | sending | sent | failed | digest (waits for the digest) | digested
    # | expired | withheld (the user no longer reads the case it names)
    email_status: Mapped[str] = mapped_column(String(12), default="none")
    email_attempts: Mapped[int] = mapped_column(Integer, default=0)
    email_claimed_at: Mapped[datetime | None] = mapped_column(default=None)
    emailed_at: Mapped[datetime | None] = mapped_column(default=None)
    email_error: Mapped[str] = mapped_column(String(300), default="")


class NotificationPreference(Base):
    """A user's e-mail address for notifications and, per kind, ``immediate``, ``digest`` or
    ``off`` (kinds and their defaults: ``notify/data/kinds.toml``). ``digest_hour`` is local."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    email: Mapped[str] = mapped_column(String(254), default="")
    modes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    digest_hour: Mapped[int] = mapped_column(Integer, default=7)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class NotificationDigest(Base):
    """The digest e-mail of one user for one local day (the row is the claim; one per day)."""

    __tablename__ = "notification_digests"
    __table_args__ = (UniqueConstraint("user_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column()
    status: Mapped[str] = mapped_column(String(12), default="sending")  # sending | sent | failed
    items: Mapped[int] = mapped_column(Integer, default=0)
    claimed_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(default=None)
    error: Mapped[str] = mapped_column(Text, default="")
