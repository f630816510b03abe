"""SQLAlchemy models: the system of record (with the immutable originals in the file store)."""

from models.audit import AuditChainHead, AuditCheckpoint, AuditEvent, SavedSearch, record_audit
from models.base import Base, make_engine, make_session_factory, session_scope, utcnow
from models.calendar import CalendarFeedToken, ConflictOverride, Court, CourtHoliday, HearingWitness
from models.casefile import (
    CaseDeadline,
    CaseTransition,
    CustodyEntry,
    Exhibit,
    Outcome,
    Person,
    PersonMatchSuggestion,
    Scrutiny,
    ScrutinyObjection,
    Witness,
)
from models.caselaw import (
    NEGATIVE_TREATMENTS,
    CaseLaw,
    CaseLawCitation,
    CaseLawCollection,
    CaseLawCollectionItem,
    CaseLawHeadnote,
    CaseLawStatus,
    CaseLawTag,
    CitationTreatment,
    PracticeNote,
    Treatment,
)
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
    ReviewReason,
    Role,
    SuggestionStatus,
    TextSource,
)
from models.intake import PageFingerprint, PageTextBand, RescanMatch, RescanStatus
from models.monitoring import CaseReview, ReviewCheck, ReviewEvent, ReviewFinding, ReviewRotation
from models.notifications import Notification, NotificationDigest, NotificationPreference
from models.trust import ApiToken, MfaRecoveryCode, MfaTrustedDevice
from models.users import District, User, user_districts
from models.web_sessions import WebSession

__all__ = [
    "NEGATIVE_TREATMENTS",
    "ApiToken",
    "AuditChainHead",
    "AuditCheckpoint",
    "AuditEvent",
    "Base",
    "Batch",
    "BatchSource",
    "CalendarFeedToken",
    "Case",
    "CaseLaw",
    "CaseLawCitation",
    "CaseLawCollection",
    "CaseLawCollectionItem",
    "CaseLawHeadnote",
    "CaseLawStatus",
    "CaseLawTag",
    "CaseLinkSuggestion",
    "CaseStage",
    "CitationTreatment",
    "ConflictOverride",
    "Court",
    "CourtHoliday",
    "District",
    "DocType",
    "Document",
    "DocumentStatus",
    "Entity",
    "FileKind",
    "Hearing",
    "HearingWitness",
    "MfaRecoveryCode",
    "MfaTrustedDevice",
    "Notification",
    "NotificationDigest",
    "NotificationPreference",
    "Page",
    "PageFingerprint",
    "PageStatus",
    "PageTextBand",
    "Party",
    "PartyRole",
    "PoliceStation",
    "PracticeNote",
    "RescanMatch",
    "RescanStatus",
    "ReviewReason",
    "Role",
    "SavedSearch",
    "StoredFile",
    "SuggestionStatus",
    "TextSource",
    "Treatment",
    "User",
    "WebSession",
    "make_engine",
    "make_session_factory",
    "record_audit",
    "session_scope",
    "user_districts",
    "utcnow",
]
__all__ += ["PageFingerprint", "PageTextBand", "RescanMatch", "RescanStatus"]  # intake area
__all__ += ["CaseDeadline", "CaseTransition", "CustodyEntry", "Exhibit", "Outcome", "Person",  # case file
            "PersonMatchSuggestion", "Scrutiny", "ScrutinyObjection", "Witness"]
__all__ += ["CaseReview", "ReviewCheck", "ReviewEvent", "ReviewFinding", "ReviewRotation"]  # monitoring area
