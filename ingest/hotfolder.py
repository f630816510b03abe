"""The watched hot folder for scanner output.

Polling, not inotify: scanners usually write to a network share (SMB/NFS), where inotify events do not
arrive, and a scan is written over seconds, so an event would fire too early anyway. A file is taken
only once its size and modification time have not changed for ``settle_s`` seconds. Files are taken
from the top folder and from one level of sub-folders named after a district (``hotfolder/Peshawar/``);
after intake each file is moved to ``done/`` (taken in; its processing status is in the web app) or
``failed/`` (refused at intake, with ``<name>.reason.txt`` beside it).
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from config import Settings
from ingest.intake import IntakeRequest, IntakeResult, OnOutcome, OutcomeStatus, ingest_paths

log = logging.getLogger(__name__)

DONE, FAILED = "done", "failed"
_SKIP_SUFFIXES = (".part", ".tmp", ".crdownload", "~", ".reason.txt")


@dataclass(frozen=True, slots=True)
class Observation:
    size: int
    mtime_ns: int
    first_seen: float  # monotonic time this (size, mtime) was first seen


class SettleTracker:
    """Remembers each file's last (size, mtime) and says when it has been stable for ``settle_s``."""

    def __init__(self, settle_s: float) -> None:
        self.settle_s = settle_s
        self._seen: dict[Path, Observation] = {}

    def observe(self, path: Path, size: int, mtime_ns: int, now: float) -> bool:
        """Record one look at ``path``; True when it is ready to be taken."""
        previous = self._seen.get(path)
        if previous is None or (previous.size, previous.mtime_ns) != (size, mtime_ns):
            self._seen[path] = Observation(size, mtime_ns, now)
            return False
        return now - previous.first_seen >= self.settle_s

    def forget(self, path: Path) -> None:
        self._seen.pop(path, None)

    def prune(self, existing: set[Path]) -> None:
        for path in [p for p in self._seen if p not in existing]:
            del self._seen[path]


def candidates(root: Path) -> Iterator[tuple[Path, str | None]]:
    """(file, district folder name or None) for every file waiting in the hot folder."""
    if not root.is_dir():
        return
    for entry in sorted(root.iterdir()):
        if _skipped(entry):
            continue
        if entry.is_file():
            yield entry, None
        elif entry.is_dir() and entry.name not in (DONE, FAILED):
            for child in sorted(entry.iterdir()):
                if child.is_file() and not _skipped(child):
                    yield child, entry.name


def _skipped(path: Path) -> bool:
    return path.name.startswith(".") or path.name.endswith(_SKIP_SUFFIXES)


def ready_files(
    root: Path, tracker: SettleTracker, now: float | None = None
) -> list[tuple[Path, str | None]]:
    """Files whose size has settled; the tracker keeps state between calls."""
    now = time.monotonic() if now is None else now
    ready: list[tuple[Path, str | None]] = []
    present: set[Path] = set()
    for path, district in candidates(root):
        try:
            stat = path.stat()
        except FileNotFoundError:
            continue
        present.add(path)
        if tracker.observe(path, stat.st_size, stat.st_mtime_ns, now):
            ready.append((path, district))
    tracker.prune(present)
    return ready


def move_processed(root: Path, path: Path, ok: bool, reason: str = "") -> Path:
    """Move ``path`` to ``done/`` or ``failed/`` (never overwriting), with a reason file for failures."""
    target_dir = root / (DONE if ok else FAILED)
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / path.name
    if target.exists():
        target = (
            target_dir
            / f"{path.stem}-{time.strftime('%Y%m%d%H%M%S')}-{time.monotonic_ns() % 10**6}{path.suffix}"
        )
    shutil.move(str(path), target)
    if not ok and reason:
        target.with_name(target.name + ".reason.txt").write_text(reason + "\n", encoding="utf-8")
    return target


def take_ready(
    session: Session,
    settings: Settings,
    root: Path,
    ready: list[tuple[Path, str | None]],
    request_for: Callable[[str | None], IntakeRequest | None],
    on_outcome: OnOutcome | None = None,
) -> list[IntakeResult]:
    """Ingest settled files, one batch per district folder, then move each to done/ or failed/.
    Files whose folder names no known district are left in place (and logged by the caller)."""
    groups: dict[str | None, list[Path]] = {}
    for path, folder in ready:
        groups.setdefault(folder, []).append(path)
    results = []
    for folder, paths in groups.items():
        request = request_for(folder)
        if request is None:
            continue
        result = ingest_paths(session, settings, request, paths, on_outcome)
        for path, outcome in zip(paths, result.outcomes, strict=True):
            ok = outcome.status in (OutcomeStatus.ACCEPTED, OutcomeStatus.DUPLICATE)
            try:
                move_processed(root, path, ok, outcome.message)
            except OSError as exc:  # one file that cannot be moved never stops the others
                log.warning("hot folder: could not move %r: %s", outcome.filename, exc)
        results.append(result)
    return results
