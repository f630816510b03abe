"""Case records: FIR-based criminal cases and their parties (hearings: ``models.calendar``)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, utcnow
from models.calendar import Hearing
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
    # A stage id from casework/data/stages.toml; changed only through a recorded CaseTransition.
    stage: Mapped[CaseStage] = mapped_column(String(30), default=CaseStage.FIR_REGISTERED, index=True)
    fir_date: Mapped[date | None] = mapped_column(default=None)  # the day the FIR was recorded (s.154 CrPC)
    court: Mapped[str] = mapped_column(String(200), default="")
    court_case_number: Mapped[str] = mapped_column(String(64), default="")
    assigned_prosecutor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    notes: Mapped[str] = mapped_column(Text, default="")
    # Sealed matters (juvenile accused, victim of a sexual offence, protected witnesses): visible only to
    # the assigned prosecutor, the district's supervisors and administrators (casework/sealed.py, applied
    # by search_app/auth/scope.py).
    sealed: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    sealed_reason: Mapped[str] = mapped_column(String(30), default="")
    sealed_at: Mapped[datetime | None] = mapped_column(default=None)
    sealed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    police_station: Mapped[PoliceStation] = relationship(lazy="joined")
    district: Mapped[District] = relationship(lazy="joined")
    assigned_prosecutor: Mapped[User | None] = relationship(foreign_keys=[assigned_prosecutor_id])
    sealed_by: Mapped[User | None] = relationship(foreign_keys=[sealed_by_id])
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
    father_name: Mapped[str] = mapped_column(String(200), default="")
    # The person across cases (models.casefile.Person), linked when the party is saved.
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), default=None, index=True)

    case: Mapped[Case] = relationship(back_populates="parties")
