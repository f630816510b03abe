"""Elasticsearch index design, bulk indexing and zero-downtime rebuilds.

Public API (the pipeline, CLI and web app call exactly these):
``index_document``, ``delete_document``, ``rebuild``, ``ensure_indices``, ``IndexNames``, ``write``,
``BulkAction``, ``BulkIndexError``, ``IndexerError``.
"""

from indexer.aliases import ensure_indices, swap_alias
from indexer.bulk import BulkAction, BulkOptions, BulkReport, write
from indexer.errors import BulkIndexError, DocumentNotFoundError, IndexerError, IndexMissingError, ItemFailure
from indexer.names import IndexNames
from indexer.reindex import IndexedDocument, RebuildReport, delete_document, index_document, rebuild

__all__ = [
    "BulkAction", "BulkIndexError", "BulkOptions", "BulkReport", "DocumentNotFoundError", "IndexMissingError",
    "IndexNames", "IndexedDocument", "IndexerError", "ItemFailure", "RebuildReport", "delete_document",
    "ensure_indices", "index_document", "rebuild", "swap_alias", "write",
]
