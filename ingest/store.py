"""The file store: immutable originals addressed by SHA-256, and derived page images.

Paths are derived from the hash only (``originals/ab/cd/<sha256>``), never from a client-chosen name
(ASVS 5.3.2; ``secure_filename`` collapses Urdu names, facts B2). A file is streamed to a temporary file
in the same folder while it is hashed and measured, then renamed into place atomically and made
read-only, so a reader never sees half a file and a crash leaves only a temp file behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

CHUNK = 1 << 20
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
READ_ONLY = 0o444


class FileTooLargeError(Exception):
    def __init__(self, limit_bytes: int) -> None:
        super().__init__(f"file exceeds {limit_bytes} bytes")
        self.limit_bytes = limit_bytes


@dataclass(frozen=True, slots=True)
class StoredBlob:
    sha256: str
    size_bytes: int
    relative_path: str
    head: bytes  # first bytes, for content sniffing
    created: bool  # False when the same bytes were already stored


def file_sha256(path: Path) -> str:
    """SHA-256 (hex) of the file at ``path``, read in ``CHUNK``-sized pieces."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def original_relative_path(sha256: str) -> str:
    """``originals/ab/cd/<sha256>``; refuses anything that is not a lower-case hex SHA-256."""
    if not _SHA256.match(sha256):
        raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
    return f"originals/{sha256[:2]}/{sha256[2:4]}/{sha256}"


def quarantine_relative_path(sha256: str) -> str:
    """``quarantine/ab/cd/<sha256>``: a file refused at intake (only administrators may download it)."""
    return "quarantine/" + original_relative_path(sha256).removeprefix("originals/")


def derived_page_relative_path(sha256: str, page_no: int, suffix: str = "jpg") -> str:
    """``derived/ab/cd/<sha256>/page-0001.jpg``: the viewer image of one page of one original."""
    if page_no < 1:
        raise ValueError("page_no is 1-based")
    return f"derived/{sha256[:2]}/{sha256[2:4]}/{sha256}/page-{page_no:04d}.{suffix}"


class FileStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, relative: str) -> Path:
        path = (self.root / relative).resolve()
        if not path.is_relative_to(self.root.resolve()):
            raise ValueError(f"path {relative!r} leaves the file store")
        return path

    def put_original(self, stream: IO[bytes], max_bytes: int, head_bytes: int = 1024) -> StoredBlob:
        """Stream ``stream`` into the store. Raises ``FileTooLargeError`` past ``max_bytes`` (nothing
        is kept). Storing the same bytes twice keeps the first file untouched."""
        tmp_dir = self.root / "tmp"
        tmp_dir.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        head = b""
        fd, tmp_name = tempfile.mkstemp(dir=tmp_dir, prefix="upload-")
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    if size > max_bytes:
                        raise FileTooLargeError(max_bytes)
                    if len(head) < head_bytes:
                        head += chunk[: head_bytes - len(head)]
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            sha = digest.hexdigest()
            relative = original_relative_path(sha)
            final = self.root / relative
            if final.exists():
                with contextlib.suppress(OSError):  # "in use now": a sweep of orphans (store_check) spares it
                    os.utime(final)
                return StoredBlob(sha, size, relative, head, created=False)
            final.parent.mkdir(parents=True, exist_ok=True)
            os.chmod(tmp, READ_ONLY)
            os.replace(tmp, final)  # atomic within one file system (tmp/ is inside the store)
            return StoredBlob(sha, size, relative, head, created=True)
        finally:
            tmp.unlink(missing_ok=True)

    def quarantine(self, blob: StoredBlob) -> str:
        """Move a just-stored original that intake refused to ``quarantine/`` (atomic rename); returns
        its new relative path. Called only for bytes no accepted document uses (the sniff is a pure
        function of the bytes, so the same bytes are never both accepted and refused)."""
        source = self.root / blob.relative_path
        relative = quarantine_relative_path(blob.sha256)
        target = self.root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            source.unlink(missing_ok=True)
        elif source.exists():
            os.replace(source, target)
        return relative

    def discard(self, relative: str) -> None:
        """Remove a stored file that no row refers to (intake failed after storing it)."""
        self.path(relative).unlink(missing_ok=True)

    def write_derived(self, relative: str, data: bytes) -> Path:
        """Write a derived file atomically (re-running a page job replaces it, never half-writes it)."""
        final = self.path(relative)
        final.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=final.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.chmod(tmp_name, 0o644)
            os.replace(tmp_name, final)
        finally:
            Path(tmp_name).unlink(missing_ok=True)
        return final
