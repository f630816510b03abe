"""The case-law knowledge base: judgments with their reported citations and the citations they make."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, utcnow
from models.documents import Document


class CaseLaw(Base):
    __tablename__ = "case_law"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), unique=True)
    # Normalised reported citation (legalrefs key), e.g. "PLD 2009 SC 53"; empty when unreported.
    citation: Mapped[str] = mapped_column(String(120), default="", index=True)
    case_number: Mapped[str] = mapped_column(String(120), default="")
    court: Mapped[str] = mapped_column(String(200), default="")
    decided_on: Mapped[date | None] = mapped_column(default=None)
    parties: Mapped[str] = mapped_column(String(500), default="")
    judge: Mapped[str] = mapped_column(String(300), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    curated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    document: Mapped[Document] = relationship()
    citations_made: Mapped[list[CaseLawCitation]] = relationship(
        back_populates="citing", cascade="all, delete-orphan", foreign_keys="CaseLawCitation.citing_id"
    )


class CaseLawCitation(Base):
    """Judgment ``citing`` cites ``cited_key``; ``cited_id`` is set when that judgment is in the collection."""

    __tablename__ = "case_law_citations"
    __table_args__ = (UniqueConstraint("citing_id", "cited_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    citing_id: Mapped[int] = mapped_column(ForeignKey("case_law.id", ondelete="CASCADE"), index=True)
    cited_key: Mapped[str] = mapped_column(String(120), index=True)
    cited_id: Mapped[int | None] = mapped_column(ForeignKey("case_law.id"), index=True, default=None)
    occurrences: Mapped[int] = mapped_column(Integer, default=1)

    citing: Mapped[CaseLaw] = relationship(back_populates="citations_made", foreign_keys=[citing_id])
    cited: Mapped[CaseLaw | None] = relationship(foreign_keys=[cited_id])
