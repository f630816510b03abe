"""Is every original still there, unchanged? The file store checked against ``stored_files``.

SQL and the immutable originals are the system of record, so an original that is missing, or whose
bytes no longer match their SHA-256, is data loss and must be found before anyone needs the file. The
check also lists what a crash can leave behind without losing anything: an original stored just
before its row was committed (an *orphan*: no row names it) and half-written temporary files. Those
are removed only when not modified for ``sweep_after`` before the check began (an upload in flight has
its file before its row; storing bytes that are already there touches the file), and only if still
no row names them just before removal.

``check_store`` reads every row once (ordered by hash) and walks ``originals/`` and ``quarantine/``;
with ``full`` it re-hashes every original (reads every byte: minutes for a large store).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ingest.store import FileStore, file_sha256
from models import StoredFile

STORED_DIRS = ("originals", "quarantine")
TEMP_PATTERNS = (("tmp", "upload-*"), ("derived", ".tmp-*"))


@dataclass
class StoreReport:
    """What ``check_store`` found. ``missing`` / ``wrong_size`` / ``wrong_hash``: SHA-256 of rows whose
    file is lost or damaged (the check fails); ``orphans`` / ``temp_files``: relative paths left by a
    crash (harmless); ``removed``: those deleted by the sweep."""

    rows: int = 0
    bytes_checked: int = 0
    missing: list[str] = field(default_factory=list)
    wrong_size: list[str] = field(default_factory=list)
    wrong_hash: list[str] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)
    temp_files: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.missing or self.wrong_size or self.wrong_hash)

    def summary(self) -> str:
        state = "OK" if self.ok else "DAMAGED"
        return (f"{state}: {self.rows} original(s) in the database; {len(self.missing)} missing, "
                f"{len(self.wrong_size)} with the wrong size, {len(self.wrong_hash)} whose bytes changed; "
                f"{len(self.orphans)} orphan file(s), {len(self.temp_files)} temporary file(s); "
                f"{len(self.removed)} removed")


def _files(root: Path, folder: str, pattern: str = "*") -> Iterator[Path]:
    base = root / folder
    if base.is_dir():
        yield from (p for p in base.rglob(pattern) if p.is_file())


def _old(path: Path, cutoff: datetime) -> bool:
    return datetime.fromtimestamp(path.stat().st_mtime, UTC) < cutoff


def check_store(session: Session, store: FileStore, *, full: bool = False, sweep_after: timedelta | None = None,
                now: datetime | None = None) -> StoreReport:
    """Check every ``stored_files`` row against its file (exists, size, and with ``full`` its
    SHA-256); list orphans and temporary files and, when ``sweep_after`` is given, delete those not
    modified for that long. Reads only the database."""
    report = StoreReport()
    cutoff = (now or datetime.now(UTC)) - (sweep_after or timedelta(0))  # taken before anything is read
    known: set[str] = set()
    for row in session.scalars(select(StoredFile).order_by(StoredFile.sha256).execution_options(yield_per=2000)):
        report.rows += 1
        known.add(row.relative_path)
        path = store.path(row.relative_path)
        if not path.is_file():
            report.missing.append(row.sha256)
            continue
        if path.stat().st_size != row.size_bytes:
            report.wrong_size.append(row.sha256)
            continue
        if full:
            report.bytes_checked += row.size_bytes
            if file_sha256(path) != row.sha256:
                report.wrong_hash.append(row.sha256)
    root = store.root
    for folder in STORED_DIRS:
        report.orphans.extend(str(p.relative_to(root)) for p in _files(root, folder)
                              if str(p.relative_to(root)) not in known)
    for folder, pattern in TEMP_PATTERNS:
        report.temp_files.extend(str(p.relative_to(root)) for p in _files(root, folder, pattern))
    if sweep_after is not None:
        orphans = set(report.orphans)
        for relative in [*report.orphans, *report.temp_files]:
            path = root / relative
            if not path.is_file() or not _old(path, cutoff):
                continue
            if relative in orphans and session.scalar(  # a row committed since the rows were read
                    select(StoredFile.sha256).where(StoredFile.relative_path == relative)) is not None:
                continue
            os.chmod(path, 0o644)  # originals are read-only
            path.unlink()
            report.removed.append(relative)
    return report
