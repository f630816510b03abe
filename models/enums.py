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
    """Stage ids of the case lifecycle. The lifecycle itself (labels, order, transitions, who may make
    them) is data in ``casework/data/stages.toml``; a unit test keeps these members equal to it."""

    FIR_REGISTERED = "fir_registered"
    UNDER_INVESTIGATION = "under_investigation"
    INTERIM_REPORT = "interim_report"
    CHALLAN_RECEIVED = "challan_received"
    UNDER_SCRUTINY = "under_scrutiny"
    RETURNED_WITH_OBJECTIONS = "returned_with_objections"
    ACCEPTED = "accepted"
    SUBMITTED_TO_COURT = "submitted_to_court"
    CHARGE_FRAMED = "charge_framed"
    PROSECUTION_EVIDENCE = "prosecution_evidence"
    DEFENCE = "defence"
    ARGUMENTS = "arguments"
    JUDGMENT = "judgment"
    APPEAL_OR_REVISION = "appeal_or_revision"
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
    HEIF = "heif"  # HEIC/HEIF phone photos (read through pillow-heif)


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


class ReviewReason(StrEnum):
    """Why a page needs a person (the review queue's reasons). Set by the page reader, cleared when a
    person corrects or confirms the page."""

    EMPTY = "empty"                              # no words read at all
    LOW_CONFIDENCE = "low_confidence"            # mean word confidence under the setting
    FEW_WORDS = "few_words"                      # far fewer words than the page's ink suggests
    TEXT_LAYER_DOUBT = "text_layer_doubt"        # the PDF text layer looks wrong or incomplete
    PARTIAL_IMAGE = "partial_image"              # the image decoded only in part
    ENGINE_DISAGREEMENT = "engine_disagreement"  # two readings disagree strongly
    LANGUAGE_UNSURE = "language_unsure"          # script/language could not be told
    READ_FAILED = "read_failed"                  # the page could not be read at all
    HANDWRITTEN_DATE = "handwritten_date"        # the decision date was read from handwriting by machine


class SuggestionStatus(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"
