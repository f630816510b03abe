"""Closed vocabularies stored as strings (portable across SQLite and PostgreSQL)."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    DATA_ENTRY = "data_entry"
    PROSECUTOR = "prosecutor"
    LIBRARIAN = "librarian"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


class CaseStage(StrEnum):
    INVESTIGATION = "investigation"
    CHALLAN_SUBMITTED = "challan_submitted"
    TRIAL = "trial"
    JUDGMENT = "judgment"
    APPEAL = "appeal"
    CLOSED = "closed"


class PartyRole(StrEnum):
    COMPLAINANT = "complainant"
    ACCUSED = "accused"
    VICTIM = "victim"
    WITNESS = "witness"
    OTHER = "other"


class DocType(StrEnum):
    JUDGMENT = "judgment"
    FIR = "fir"
    CHARGE_SHEET = "charge_sheet"
    STATEMENT = "statement"
    MEDICAL_REPORT = "medical_report"
    ORDER = "order"
    OTHER = "other"


class FileKind(StrEnum):
    PDF = "pdf"
    TIFF = "tiff"
    JPEG = "jpeg"
    PNG = "png"


class BatchSource(StrEnum):
    UPLOAD = "upload"
    CLI = "cli"
    HOT_FOLDER = "hot_folder"


class DocumentStatus(StrEnum):
    """Lifecycle of a document. The database, not Redis, is the truth about progress."""

    RECEIVED = "received"          # original stored, not yet split into pages
    PROCESSING = "processing"      # pages are being read (text layer or OCR)
    EXTRACTING = "extracting"      # entities and links being extracted
    INDEXING = "indexing"          # being written to Elasticsearch
    INDEXED = "indexed"            # searchable
    FAILED = "failed"              # see error_code / error_message
    DUPLICATE = "duplicate"        # same bytes as duplicate_of_id; nothing stored or indexed again


class PageStatus(StrEnum):
    PENDING = "pending"
    TEXT_DONE = "text_done"
    FAILED = "failed"


class TextSource(StrEnum):
    TEXT_LAYER = "text_layer"
    OCR = "ocr"
    CORRECTED = "corrected"


class SuggestionStatus(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"
