"""The case-law knowledge base: judgments with their record, publication status and reported citations;
the citations they make and how they treat them; librarians' curation (headnotes, collections, tags)
and prosecutors' practice notes."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, utcnow
from models.documents import Document
from models.users import User


class CaseLawStatus(StrEnum):
    """A judgment is case law for its own district until a librarian approves its record; then it is
    published province-wide. A withdrawn judgment goes back to its district."""

    PENDING = "pending"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


class Treatment(StrEnum):
    """How a citing judgment treats a precedent (a citator's vocabulary)."""

    FOLLOWED = "followed"
    RELIED_UPON = "relied_upon"
    DISTINGUISHED = "distinguished"
    OVERRULED = "overruled"
    DOUBTED = "doubted"
    REFERRED = "referred"


NEGATIVE_TREATMENTS = (Treatment.OVERRULED, Treatment.DOUBTED)


class CaseLaw(Base):
    __tablename__ = "case_law"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), unique=True)
    # Normalised reported citation (legalrefs key), e.g. "PLD 2009 SC 53"; empty when unreported.
    citation: Mapped[str] = mapped_column(String(120), default="", index=True)
    # Other reports of the same judgment (legalrefs keys), e.g. ["SCP 2019 231"].
    parallel_citations: Mapped[list[str]] = mapped_column(JSON, default=list)
    case_number: Mapped[str] = mapped_column(String(120), default="")  # the first of case_numbers
    case_numbers: Mapped[list[str]] = mapped_column(JSON, default=list)
    court: Mapped[str] = mapped_column(String(200), default="")
    decided_on: Mapped[date | None] = mapped_column(default=None)
    parties: Mapped[str] = mapped_column(String(500), default="")
    judge: Mapped[str] = mapped_column(String(300), default="")  # the author judge
    bench: Mapped[list[str]] = mapped_column(JSON, default=list)
    result: Mapped[str] = mapped_column(String(30), default="")  # caselaw.record.JudgmentResult
    appealed_from_court: Mapped[str] = mapped_column(String(200), default="")
    appealed_from_case: Mapped[str] = mapped_column(String(200), default="")
    appealed_from_date: Mapped[date | None] = mapped_column(default=None)
    summary: Mapped[str] = mapped_column(Text, default="")
    # field -> the value the record extractor last read, JSON form (ingest.caselaw.upsert_record): a field
    # still holding it was set by no person, so a later, better reading may replace it
    machine_values: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[CaseLawStatus] = mapped_column(String(20), default=CaseLawStatus.PENDING, index=True)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    approved_at: Mapped[datetime | None] = mapped_column(default=None)
    curated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(default=None, onupdate=utcnow)

    document: Mapped[Document] = relationship()
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])
    citations_made: Mapped[list[CaseLawCitation]] = relationship(
        back_populates="citing", cascade="all, delete-orphan", foreign_keys="CaseLawCitation.citing_id"
    )
    headnotes: Mapped[list[CaseLawHeadnote]] = relationship(
        back_populates="case_law", cascade="all, delete-orphan", order_by="CaseLawHeadnote.language"
    )
    tags: Mapped[list[CaseLawTag]] = relationship(cascade="all, delete-orphan", order_by="CaseLawTag.tag")

    @hybrid_property
    def is_published(self) -> bool:
        """Approved by a librarian, so case law province-wide (``caselaw.publication``). One rule in two
        forms: on a row it is a bool; on the class (or an alias) the SQL condition,
        ``select(CaseLaw).where(CaseLaw.is_published)``."""
        return self.status == CaseLawStatus.PUBLISHED

    @property
    def citation_keys(self) -> list[str]:
        """Every reported citation of this judgment (keys), the main one first."""
        keys = [self.citation] if self.citation else []
        return keys + [k for k in (self.parallel_citations or []) if k and k not in keys]


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


class CitationTreatment(Base):
    """How judgment ``citing_id`` treats the precedent ``cited_key``: the sentence(s) citing it, the
    treatment suggested from cue phrases (data, kept even after review) and the librarian's decision.

    Keyed by (citing, cited key), not by the citation row, so re-extracting a judgment keeps decisions."""

    __tablename__ = "citation_treatments"
    __table_args__ = (UniqueConstraint("citing_id", "cited_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    citing_id: Mapped[int] = mapped_column(ForeignKey("case_law.id", ondelete="CASCADE"), index=True)
    cited_key: Mapped[str] = mapped_column(String(120), index=True)
    sentence: Mapped[str] = mapped_column(Text, default="")
    page_no: Mapped[int | None] = mapped_column(default=None)
    suggested: Mapped[str] = mapped_column(String(20), default="")  # Treatment value
    cue: Mapped[str] = mapped_column(String(200), default="")  # the cue phrase that suggested it
    treatment: Mapped[str | None] = mapped_column(String(20), default=None, index=True)  # confirmed
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    confirmed_at: Mapped[datetime | None] = mapped_column(default=None)

    citing: Mapped[CaseLaw] = relationship(foreign_keys=[citing_id])
    confirmed_by: Mapped[User | None] = relationship(foreign_keys=[confirmed_by_id])


class CaseLawHeadnote(Base):
    """A structured headnote in one language ("en" or "ur"): question of law, what was held, the
    sections (legalrefs statute keys) and keywords. Text is kept exactly as typed (line breaks too)."""

    __tablename__ = "case_law_headnotes"
    __table_args__ = (UniqueConstraint("case_law_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_law_id: Mapped[int] = mapped_column(ForeignKey("case_law.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(String(8))
    question: Mapped[str] = mapped_column(Text, default="")
    held: Mapped[str] = mapped_column(Text, default="")
    sections: Mapped[list[str]] = mapped_column(JSON, default=list)
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    case_law: Mapped[CaseLaw] = relationship(back_populates="headnotes")


class CaseLawTag(Base):
    __tablename__ = "case_law_tags"
    __table_args__ = (UniqueConstraint("case_law_id", "tag"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_law_id: Mapped[int] = mapped_column(ForeignKey("case_law.id", ondelete="CASCADE"), index=True)
    tag: Mapped[str] = mapped_column(String(60), index=True)


class CaseLawCollection(Base):
    """A librarian's topical collection, e.g. "bail in narcotics cases". Names are unique whatever their
    case (``lower(name)``, migration 0015), so two librarians cannot both create "Bail" and "bail"."""

    __tablename__ = "case_law_collections"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    items: Mapped[list[CaseLawCollectionItem]] = relationship(
        back_populates="collection", cascade="all, delete-orphan", order_by="CaseLawCollectionItem.position"
    )


Index("uq_case_law_collections_name_lower", func.lower(CaseLawCollection.name), unique=True)


class CaseLawCollectionItem(Base):
    __tablename__ = "case_law_collection_items"
    __table_args__ = (UniqueConstraint("collection_id", "case_law_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    collection_id: Mapped[int] = mapped_column(ForeignKey("case_law_collections.id", ondelete="CASCADE"),
                                               index=True)
    case_law_id: Mapped[int] = mapped_column(ForeignKey("case_law.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str] = mapped_column(Text, default="")
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    added_at: Mapped[datetime] = mapped_column(default=utcnow)

    collection: Mapped[CaseLawCollection] = relationship(back_populates="items")
    case_law: Mapped[CaseLaw] = relationship()


class PracticeNote(Base):
    """A prosecutor's note on a judgment or a statute section, visible province-wide (the department's
    knowledge network). Exactly one of ``case_law_id``/``statute_key`` is set; every edit is audited."""

    __tablename__ = "practice_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_law_id: Mapped[int | None] = mapped_column(ForeignKey("case_law.id", ondelete="CASCADE"), index=True,
                                                    default=None)
    statute_key: Mapped[str] = mapped_column(String(80), default="", index=True)
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(default=None)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)

    author: Mapped[User] = relationship(foreign_keys=[author_id])
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])
    case_law: Mapped[CaseLaw | None] = relationship()

    @property
    def author_name(self) -> str:
        """The author as pages and the API show them (full name, else username)."""
        return self.author.full_name or self.author.username

    @property
    def editor_name(self) -> str:
        """Who last edited the note, shown like the author; "" when never edited or the editor is unknown."""
        editor = self.updated_by
        return (editor.full_name or editor.username) if editor else ""
