"""Index and alias names. Every index name carries the mapping version; readers and writers only
ever use the alias, so a rebuild can swap a new index in without downtime."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal, Protocol

IndexKind = Literal["pages", "documents"]
KINDS: tuple[IndexKind, ...] = ("pages", "documents")


class IndexSettings(Protocol):
    """The part of ``config.Settings`` the indexer needs (kept narrow so tests can pass anything)."""

    @property
    def es_index_prefix(self) -> str: ...


@dataclass(frozen=True)
class IndexNames:
    prefix: str
    mapping_version: int

    @classmethod
    def from_settings(cls, settings: IndexSettings) -> IndexNames:
        from indexer.mappings import MAPPING_VERSION

        return cls(settings.es_index_prefix, MAPPING_VERSION)

    def alias(self, kind: IndexKind) -> str:
        """``cmms-pages``: the name every search and write uses."""
        return f"{self.prefix}-{kind}"

    def initial(self, kind: IndexKind) -> str:
        """``cmms-pages-v1``: the first concrete index of this mapping version."""
        return f"{self.prefix}-{kind}-v{self.mapping_version}"

    def rebuilt(self, kind: IndexKind, now: datetime | None = None) -> str:
        """``cmms-pages-v1-20261128t101500123456``: a fresh concrete index for a rebuild."""
        stamp = (now or datetime.now(UTC)).strftime("%Y%m%dt%H%M%S%f")
        return f"{self.initial(kind)}-{stamp}"

    def pattern(self, kind: IndexKind) -> str:
        """Wildcard matching every concrete index of ``kind`` (any mapping version)."""
        return f"{self.prefix}-{kind}-v*"
