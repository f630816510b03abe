"""Districts, users and roles. A user's districts bound everything they may see."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, utcnow
from models.enums import Role

user_districts = Table(
    "user_districts",
    Base.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("district_id", ForeignKey("districts.id", ondelete="CASCADE"), primary_key=True),
)


class District(Base):
    __tablename__ = "districts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    province: Mapped[str] = mapped_column(String(100), default="Khyber Pakhtunkhwa")

    def __repr__(self) -> str:
        return f"District({self.id}, {self.name!r})"


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(String(20))
    # Admins and province-level supervisors see every district; everyone else only theirs.
    all_districts: Mapped[bool] = mapped_column(Boolean, default=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(default=None)
    last_login_at: Mapped[datetime | None] = mapped_column(default=None)
    password_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    # TOTP (RFC 6238): base32 seed once enrolment is confirmed; the last accepted time step (no replay).
    # the TOTP secret, encrypted ("f1:" + Fernet token, search_app.auth.mfa_secrets)
    mfa_secret: Mapped[str | None] = mapped_column(String(255), default=None)
    mfa_enabled_at: Mapped[datetime | None] = mapped_column(default=None)
    mfa_last_step: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Interface language ("en", "ur") and digits ("western", "eastern"); None: from the browser
    # (Accept-Language) and the language's default (i18n.languages).
    language: Mapped[str | None] = mapped_column(String(8), default=None)
    digits: Mapped[str | None] = mapped_column(String(10), default=None)

    districts: Mapped[list[District]] = relationship(secondary=user_districts, lazy="selectin")

    @property
    def district_ids(self) -> frozenset[int]:
        return frozenset(d.id for d in self.districts)

    def __repr__(self) -> str:
        return f"User({self.id}, {self.username!r}, {self.role})"
