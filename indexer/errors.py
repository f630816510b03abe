"""Typed failures of the indexer. Each carries a stable ``code`` and a clerk-readable remedy."""

from __future__ import annotations

from dataclasses import dataclass


class IndexerError(Exception):
    """Base class: something prevented pages from reaching (or leaving) Elasticsearch."""

    code = "indexer"

    def __init__(self, message: str, remedy: str) -> None:
        super().__init__(f"{message} What to do: {remedy}")
        self.message = message
        self.remedy = remedy


@dataclass(frozen=True)
class ItemFailure:
    """One bulk item Elasticsearch refused, after any retries."""

    doc_id: str
    index: str
    status: int
    error_type: str
    reason: str

    @property
    def retryable(self) -> bool:
        return is_retryable(self.status, self.error_type)


# 429 = back-pressure; 5xx = node trouble; 403 cluster_block_exception = disk flood-stage (releases by
# itself once disk is freed), so all of these are "try again later", never a bad document.
RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})


def is_retryable(status: int, error_type: str) -> bool:
    return status in RETRYABLE_STATUSES or (status == 403 and error_type == "cluster_block_exception")


class BulkIndexError(IndexerError):
    """Some items were not indexed even after retries; ``failures`` lists every one of them."""

    code = "bulk_failed"

    def __init__(self, failures: list[ItemFailure], succeeded: int) -> None:
        self.failures = failures
        self.succeeded = succeeded
        shown = "; ".join(f"{f.doc_id}: {f.status} {f.error_type} ({f.reason[:120]})" for f in failures[:5])
        more = f" and {len(failures) - 5} more" if len(failures) > 5 else ""
        retryable = all(f.retryable for f in failures)
        remedy = (
            "Elasticsearch is overloaded or its disk is nearly full; the job will be retried later."
            if retryable
            else "A page could not be stored in the search index; report the document to an administrator."
        )
        super().__init__(f"{len(failures)} search-index item(s) failed: {shown}{more}.", remedy)

    @property
    def retryable(self) -> bool:
        return all(f.retryable for f in self.failures)


class IndexMissingError(IndexerError):
    code = "index_missing"

    def __init__(self, alias: str) -> None:
        super().__init__(
            f"The search index '{alias}' does not exist.",
            "Run 'cmms index rebuild' (or start the stack once) to create it.",
        )


class DocumentNotFoundError(IndexerError):
    code = "document_not_found"

    def __init__(self, document_id: int) -> None:
        super().__init__(f"Document {document_id} is not in the database.", "Check the document id.")
