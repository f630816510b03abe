"""SQLAlchemy models: the system of record (with the immutable originals in the file store)."""

from models.audit import AuditEvent, SavedSearch, record_audit
from models.base import Base, make_engine, make_session_factory, session_scope, utcnow
from models.caselaw import CaseLaw, CaseLawCitation
from models.cases import Case, Hearing, Party, PoliceStation
from models.documents import Batch, CaseLinkSuggestion, Document, Entity, Page, StoredFile
from models.enums import (
    BatchSource,
    CaseStage,
    DocType,
    DocumentStatus,
    FileKind,
    PageStatus,
    PartyRole,
    Role,
    SuggestionStatus,
    TextSource,
)
from models.users import District, User, user_districts
from models.web_sessions import WebSession

__all__ = [
    "AuditEvent", "Base", "Batch", "BatchSource", "Case", "CaseLaw", "CaseLawCitation",
    "CaseLinkSuggestion", "CaseStage", "District", "DocType", "Document", "DocumentStatus", "Entity",
    "FileKind", "Hearing", "Page", "PageStatus", "Party", "PartyRole", "PoliceStation", "Role",
    "SavedSearch", "StoredFile", "SuggestionStatus", "TextSource", "User", "WebSession", "make_engine",
    "make_session_factory", "record_audit", "session_scope", "user_districts", "utcnow",
]
