"""Intake and review tables (issue 15): page fingerprints for re-scan detection and the re-scan
findings a clerk decides on.

Columns added to existing tables for the same area live on their models: ``Batch.name/box_number/
notes/operator_name``, ``Document.version_group_id/version_no/superseded_by_id/superseded_at``,
``Page.reviewed_by_id/reviewed_at`` and ``StoredFile.quarantined``.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class RescanStatus(StrEnum):
    """What the clerk decided about a suspected re-scan."""

    PENDING = "pending"          # shown on the batch page, waiting for a person
    VERSIONED = "versioned"      # the new document became the current version of the earlier one
    KEPT_BOTH = "kept_both"      # two documents on purpose (e.g. a certified copy with new stamps)


class PageFingerprint(Base):
    """Perceptual image hash and text MinHash of one read page (``ingest.neardup``).

    ``image_hash`` is the 64-bit pHash of the viewer image as a signed integer (SQL has no unsigned
    64-bit type); ``text_signature`` is the MinHash signature (``NUM_PERM`` 32-bit values) of the page's
    word 3-shingles, null when the page has too few words to compare.
    """

    __tablename__ = "page_fingerprints"

    page_id: Mapped[int] = mapped_column(ForeignKey("pages.id", ondelete="CASCADE"), primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"), index=True)
    page_no: Mapped[int] = mapped_column(Integer)
    image_hash: Mapped[int | None] = mapped_column(BigInteger, default=None)
    text_signature: Mapped[list[int] | None] = mapped_column(JSON, default=None)
    word_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PageTextBand(Base):
    """One LSH band of a page's text MinHash: pages sharing a band are candidate re-scans."""

    __tablename__ = "page_text_bands"

    id: Mapped[int] = mapped_column(primary_key=True)
    band_key: Mapped[int] = mapped_column(BigInteger, index=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("pages.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"), index=True)


class RescanMatch(Base):
    """"Looks like a re-scan of #N, pages 3-5": a new document whose pages match an earlier document
    of the same district. ``pages`` is ``[[new_page_no, old_page_no, image_distance, text_similarity],
    ...]`` (distance in pHash bits, similarity an estimated Jaccard 0..1; null when not measurable)."""

    __tablename__ = "rescan_matches"
    __table_args__ = (UniqueConstraint("document_id", "match_document_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    match_document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"), index=True)
    pages: Mapped[list[list[Any]]] = mapped_column(JSON, default=list)
    score: Mapped[float] = mapped_column(Float, default=0.0)
    status: Mapped[RescanStatus] = mapped_column(String(20), default=RescanStatus.PENDING, index=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    decided_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
