"""Intake batches, immutable originals, documents, pages and extracted entities."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, utcnow
from models.enums import (
    BatchSource,
    DocType,
    DocumentStatus,
    FileKind,
    PageStatus,
    SuggestionStatus,
    TextSource,
)
from models.users import District, User


class Batch(Base):
    """One act of intake: an upload, a `cmms ingest` run or a hot-folder pick-up."""

    __tablename__ = "batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[BatchSource] = mapped_column(String(20))
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"), index=True)
    language_hint: Mapped[str] = mapped_column(String(20), default="auto")
    doc_type: Mapped[DocType] = mapped_column(String(30), default=DocType.OTHER)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), default=None)
    fir_hint: Mapped[str] = mapped_column(String(64), default="")
    # What the clerk wrote on the batch: a name, the box or file number of the paper, free notes.
    name: Mapped[str] = mapped_column(String(200), default="")
    box_number: Mapped[str] = mapped_column(String(100), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    # Who ran it when there is no CMMS user (``cmms ingest`` records the operator's name).
    operator_name: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    operator: Mapped[User | None] = relationship()
    district: Mapped[District] = relationship()
    documents: Mapped[list[Document]] = relationship(back_populates="batch", order_by="Document.id")


class StoredFile(Base):
    """An immutable original, stored once under its SHA-256."""

    __tablename__ = "stored_files"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[FileKind | None] = mapped_column(String(10), default=None)
    # Path relative to the file store, derived from the hash: never from a client-supplied name.
    relative_path: Mapped[str] = mapped_column(String(200))
    # Refused at intake (not a PDF or image): kept under quarantine/, downloadable by administrators only.
    quarantined: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Document(Base):
    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"), index=True)
    sha256: Mapped[str] = mapped_column(ForeignKey("stored_files.sha256"), index=True)
    # Display only: the name the clerk's file had. Never used to build a path.
    original_filename: Mapped[str] = mapped_column(String(255))
    kind: Mapped[FileKind | None] = mapped_column(String(10), default=None)
    doc_type: Mapped[DocType] = mapped_column(String(30), default=DocType.OTHER)
    title: Mapped[str] = mapped_column(String(300), default="")
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True, default=None)
    language_hint: Mapped[str] = mapped_column(String(20), default="auto")
    status: Mapped[DocumentStatus] = mapped_column(String(20), default=DocumentStatus.RECEIVED, index=True)
    error_code: Mapped[str | None] = mapped_column(String(40), default=None)
    error_message: Mapped[str | None] = mapped_column(Text, default=None)
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), default=None)
    page_count: Mapped[int] = mapped_column(Integer, default=0)
    pages_done: Mapped[int] = mapped_column(Integer, default=0)
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False)
    # Last RQ job enqueued for this document's current stage; the reconciler checks it still exists.
    job_id: Mapped[str | None] = mapped_column(String(64), default=None)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # Versions (re-scans): every version of one paper document shares ``version_group_id`` (the first
    # version's id); the current one has ``superseded_by_id`` None. Superseded documents stay readable
    # (history) but are not in the search index. A failed document replaced by a new upload is
    # superseded by it too.
    version_group_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), default=None, index=True)
    version_no: Mapped[int] = mapped_column(Integer, default=1)
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), default=None, index=True)
    superseded_at: Mapped[datetime | None] = mapped_column(default=None)
    indexed_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow, index=True)

    batch: Mapped[Batch] = relationship(back_populates="documents")
    stored_file: Mapped[StoredFile] = relationship()
    district: Mapped[District] = relationship()
    pages: Mapped[list[Page]] = relationship(
        back_populates="document", cascade="all, delete-orphan", order_by="Page.page_no"
    )


class Page(Base):
    __tablename__ = "pages"
    __table_args__ = (UniqueConstraint("document_id", "page_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    page_no: Mapped[int] = mapped_column(Integer)  # 1-based
    status: Mapped[PageStatus] = mapped_column(String(20), default=PageStatus.PENDING, index=True)
    source: Mapped[TextSource | None] = mapped_column(String(20), default=None)
    text: Mapped[str] = mapped_column(Text, default="")  # machine text (text layer or OCR), kept
    corrected_text: Mapped[str | None] = mapped_column(Text, default=None)
    corrected_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    corrected_at: Mapped[datetime | None] = mapped_column(default=None)
    # The person who last corrected or confirmed the page from the review queue (clears needs_review).
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    reviewed_at: Mapped[datetime | None] = mapped_column(default=None)
    # Compact word list: [[text, left, top, width, height, confidence, char_start, char_end], ...]
    words: Mapped[list[list[Any]]] = mapped_column(JSON, default=list)
    mean_confidence: Mapped[float | None] = mapped_column(Float, default=None)
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False)
    # ReviewReason codes (models.enums) explaining needs_review; empty when nothing is doubtful.
    review_reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    language: Mapped[str] = mapped_column(String(20), default="")
    engine: Mapped[str] = mapped_column(String(40), default="")
    engine_version: Mapped[str] = mapped_column(String(40), default="")
    width: Mapped[int] = mapped_column(Integer, default=0)
    height: Mapped[int] = mapped_column(Integer, default=0)
    dpi: Mapped[int] = mapped_column(Integer, default=0)
    rotation: Mapped[int] = mapped_column(Integer, default=0)
    skew_angle: Mapped[float | None] = mapped_column(Float, default=None)
    preprocessing: Mapped[list[str]] = mapped_column(JSON, default=list)
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)
    # Derived page image in the file store (relative path), for the viewer.
    image_path: Mapped[str | None] = mapped_column(String(200), default=None)
    error_code: Mapped[str | None] = mapped_column(String(40), default=None)
    error_message: Mapped[str | None] = mapped_column(Text, default=None)
    job_id: Mapped[str | None] = mapped_column(String(64), default=None)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    document: Mapped[Document] = relationship(back_populates="pages")
    entities: Mapped[list[Entity]] = relationship(
        back_populates="page", cascade="all, delete-orphan", order_by="Entity.start"
    )

    @property
    def effective_text(self) -> str:
        """What search and the viewer show: a person's correction wins over machine text."""
        return self.corrected_text if self.corrected_text is not None else self.text


class Entity(Base):
    """One extracted entity or legal reference, with its character span in the page's text."""

    __tablename__ = "entities"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("pages.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)  # person, org, place, date, statute, ...
    key: Mapped[str] = mapped_column(String(200), index=True)  # normalised form
    raw: Mapped[str] = mapped_column(String(500))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(20))  # "rules" or "spacy"
    attrs: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    page: Mapped[Page] = relationship(back_populates="entities")


class CaseLinkSuggestion(Base):
    """A candidate case for a document, kept for a person to confirm or reject."""

    __tablename__ = "case_link_suggestions"
    __table_args__ = (UniqueConstraint("document_id", "case_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(300))
    score: Mapped[float] = mapped_column(Float, default=0.0)
    status: Mapped[SuggestionStatus] = mapped_column(String(20), default=SuggestionStatus.PENDING)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    decided_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
