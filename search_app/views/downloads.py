"""Safe file responses: RFC 6266/5987 ``Content-Disposition`` from a stored display name, and paths
that come only from the database and must stay inside the file store."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from urllib.parse import quote

from i18n import N_

_UNSAFE_ASCII = re.compile(r"[^A-Za-z0-9._ ()-]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\"\\/]")


class StoredFileMissingError(Exception):
    """A stored path is missing or points outside the file store (clerk-readable message, marked for
    translation: show ``gettext(message)``)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _UNSAFE_ASCII.sub("_", folded).strip(" ._")


def content_disposition(display_name: str, fallback: str, disposition: str = "attachment") -> str:
    """``attachment; filename="ascii"; filename*=UTF-8''percent-encoded``.

    The ASCII form keeps what it can of the name (Urdu names collapse, so ``fallback``, e.g.
    ``document-12.pdf``, is used when nothing readable is left); the UTF-8 form keeps the full name.
    Quotes, backslashes, slashes and control characters never reach the header.
    """
    name = _CONTROL.sub("_", display_name).strip(" .") or fallback
    base, dot, extension = name.rpartition(".")
    if not dot:
        base, extension = name, ""
    ascii_base = _ascii(base)
    ascii_name = f"{ascii_base}.{_ascii(extension)}".rstrip(".") if ascii_base else fallback
    return f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def stored_path(root: Path, relative: str | None) -> Path:
    """``root/relative`` if it exists and stays inside ``root`` (defence against a corrupted row)."""
    if not relative:
        raise StoredFileMissingError(N_("No stored file is recorded for this item."))
    base = root.resolve()
    path = (base / relative).resolve()
    if not path.is_relative_to(base):
        raise StoredFileMissingError(N_("The stored file path is invalid; ask an administrator to check it."))
    if not path.is_file():
        raise StoredFileMissingError(N_("The stored file is missing from the file store."))
    return path
