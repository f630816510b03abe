"""Case records: FIR-based criminal cases, their parties and hearings."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, utcnow
from models.enums import CaseStage, PartyRole
from models.users import District, User


class PoliceStation(Base):
    __tablename__ = "police_stations"
    __table_args__ = (UniqueConstraint("district_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"))

    district: Mapped[District] = relationship(lazy="joined")


class Case(Base):
    __tablename__ = "cases"
    # An FIR is identified by its number, year and police station.
    __table_args__ = (UniqueConstraint("fir_number", "fir_year", "police_station_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fir_number: Mapped[str] = mapped_column(String(32))
    fir_year: Mapped[int] = mapped_column(Integer)
    police_station_id: Mapped[int] = mapped_column(ForeignKey("police_stations.id"))
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"), index=True)
    title: Mapped[str] = mapped_column(String(300), default="")
    # Normalised statute keys from legalrefs, e.g. ["PPC 302(b)", "PPC 34"].
    sections: Mapped[list[str]] = mapped_column(JSON, default=list)
    stage: Mapped[CaseStage] = mapped_column(String(30), default=CaseStage.INVESTIGATION)
    court: Mapped[str] = mapped_column(String(200), default="")
    court_case_number: Mapped[str] = mapped_column(String(64), default="")
    assigned_prosecutor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    police_station: Mapped[PoliceStation] = relationship(lazy="joined")
    district: Mapped[District] = relationship(lazy="joined")
    assigned_prosecutor: Mapped[User | None] = relationship(foreign_keys=[assigned_prosecutor_id])
    parties: Mapped[list[Party]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="Party.id"
    )
    hearings: Mapped[list[Hearing]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="Hearing.scheduled_for"
    )

    @property
    def fir_label(self) -> str:
        return f"FIR {self.fir_number}/{self.fir_year}, PS {self.police_station.name}"


class Party(Base):
    __tablename__ = "parties"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[PartyRole] = mapped_column(String(20))
    cnic: Mapped[str] = mapped_column(String(15), default="")

    case: Mapped[Case] = relationship(back_populates="parties")


class Hearing(Base):
    """One entry of the hearings calendar."""

    __tablename__ = "hearings"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    scheduled_for: Mapped[date] = mapped_column(index=True)
    court: Mapped[str] = mapped_column(String(200), default="")
    purpose: Mapped[str] = mapped_column(String(200), default="")
    outcome: Mapped[str] = mapped_column(Text, default="")

    case: Mapped[Case] = relationship(back_populates="hearings")
