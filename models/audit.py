"""Append-only audit trail: who did what, when, from where."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.base import Base, utcnow


class AuditEvent(Base):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True, default=None)
    # Kept as text too, so the trail survives a renamed or removed account.
    username: Mapped[str] = mapped_column(String(64), default="")
    action: Mapped[str] = mapped_column(String(40), index=True)  # login, search, view, download, edit, ...
    object_type: Mapped[str] = mapped_column(String(40), default="")
    object_id: Mapped[str] = mapped_column(String(64), default="")
    ip_address: Mapped[str] = mapped_column(String(64), default="")
    success: Mapped[bool] = mapped_column(Boolean, default=True)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class SavedSearch(Base):
    __tablename__ = "saved_searches"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    query: Mapped[str] = mapped_column(String(1000))
    filters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


def record_audit(
    session: Session,
    *,
    action: str,
    user_id: int | None = None,
    username: str = "",
    object_type: str = "",
    object_id: str | int = "",
    ip_address: str = "",
    success: bool = True,
    **detail: Any,
) -> AuditEvent:
    """Add one audit event to ``session`` (the caller's transaction commits it with the action)."""
    event = AuditEvent(
        action=action, user_id=user_id, username=username, object_type=object_type,
        object_id=str(object_id), ip_address=ip_address, success=success, detail=detail,
    )
    session.add(event)
    return event
