"""Bulk writes that never lose an item silently.

The ``elasticsearch.helpers`` bulk functions stop sending later chunks after a failed one and retry
nothing by default (facts file B3). Here every item's result is read; items refused for a transient
reason (429, 5xx, flood-stage 403) are retried with randomised exponential backoff; the rest are
collected and raised together as ``BulkIndexError`` after all chunks were sent.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from elasticsearch import ApiError, Elasticsearch
from elasticsearch import ConnectionError as ESConnectionError
from elasticsearch import ConnectionTimeout as ESConnectionTimeout

from indexer.errors import BulkIndexError, ItemFailure, is_retryable

log = logging.getLogger(__name__)

Refresh = bool | Literal["wait_for"]


@dataclass(frozen=True)
class BulkAction:
    """One write: ``index`` (create or overwrite by id) or ``delete`` (missing counts as done)."""

    op: Literal["index", "delete"]
    index: str
    doc_id: str
    source: dict[str, Any] | None = None

    def lines(self) -> list[dict[str, Any]]:
        header: dict[str, Any] = {self.op: {"_index": self.index, "_id": self.doc_id}}
        return [header] if self.op == "delete" else [header, self.source or {}]

    def size_bytes(self) -> int:
        return sum(len(json.dumps(line, ensure_ascii=False).encode()) + 1 for line in self.lines())


@dataclass(frozen=True)
class BulkOptions:
    # Facts file A5: start at a few hundred docs and stay well below "a couple tens of MB".
    chunk_size: int = 500
    max_chunk_bytes: int = 10 * 1024 * 1024
    max_retries: int = 5
    initial_backoff_s: float = 0.5
    max_backoff_s: float = 30.0
    refresh: Refresh = False


@dataclass
class BulkReport:
    succeeded: int = 0
    retried: int = 0
    failures: list[ItemFailure] = field(default_factory=list)


def chunks(actions: Iterable[BulkAction], options: BulkOptions) -> Iterator[list[BulkAction]]:
    batch: list[BulkAction] = []
    size = 0
    for action in actions:
        action_size = action.size_bytes()
        if batch and (len(batch) >= options.chunk_size or size + action_size > options.max_chunk_bytes):
            yield batch
            batch, size = [], 0
        batch.append(action)
        size += action_size
    if batch:
        yield batch


def _item_outcome(action: BulkAction, item: dict[str, Any]) -> ItemFailure | None:
    result = item.get(action.op, {})
    status = int(result.get("status", 500))
    if status < 300 or (action.op == "delete" and status == 404):
        return None
    error = result.get("error") or {}
    if isinstance(error, str):
        error = {"type": "error", "reason": error}
    return ItemFailure(
        doc_id=action.doc_id, index=action.index, status=status,
        error_type=str(error.get("type", "unknown")), reason=str(error.get("reason", "")),
    )


def _send(es: Elasticsearch, batch: Sequence[BulkAction], refresh: Refresh) -> list[ItemFailure]:
    """One bulk request; a failure of the whole request counts as a retryable failure of each item."""
    operations = [line for action in batch for line in action.lines()]
    try:
        response = es.bulk(operations=operations, refresh=refresh)
    except (ESConnectionError, ESConnectionTimeout) as exc:
        return [ItemFailure(a.doc_id, a.index, 503, "connection_error", str(exc)) for a in batch]
    except ApiError as exc:
        error_type = "request_error"
        if isinstance(exc.body, dict):
            error_type = str((exc.body.get("error") or {}).get("type", error_type))
        return [ItemFailure(a.doc_id, a.index, exc.meta.status, error_type, str(exc)) for a in batch]
    if not response.get("errors"):
        return []
    items = response["items"]
    failures = [_item_outcome(action, item) for action, item in zip(batch, items, strict=True)]
    return [f for f in failures if f is not None]


def _backoff(attempt: int, options: BulkOptions) -> float:
    ceiling = min(options.max_backoff_s, options.initial_backoff_s * 2**attempt)
    return random.uniform(ceiling / 2, ceiling)


def _write_chunk(
    es: Elasticsearch, batch: list[BulkAction], options: BulkOptions, report: BulkReport,
    sleep: Callable[[float], None],
) -> None:
    pending = batch
    for attempt in range(options.max_retries + 1):
        failures = _send(es, pending, options.refresh)
        retryable = [f for f in failures if is_retryable(f.status, f.error_type)]
        report.failures.extend(f for f in failures if not is_retryable(f.status, f.error_type))
        report.succeeded += len(pending) - len(failures)
        if not retryable:
            return
        if attempt == options.max_retries:
            report.failures.extend(retryable)
            return
        retry_ids = {f.doc_id for f in retryable}
        pending = [a for a in pending if a.doc_id in retry_ids]
        report.retried += len(pending)
        delay = _backoff(attempt, options)
        log.warning("bulk: %d item(s) refused (%s); retrying in %.1fs", len(pending),
                    retryable[0].error_type, delay)
        sleep(delay)


def write(
    es: Elasticsearch,
    actions: Iterable[BulkAction],
    options: BulkOptions | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> BulkReport:
    """Send every action, check every item, retry transient refusals.

    Raises ``BulkIndexError`` listing every item that still failed, after ALL chunks were sent (one bad
    page never keeps the rest of a rebuild out of the index). Returns the report when all succeeded.
    """
    options = options or BulkOptions()
    report = BulkReport()
    for batch in chunks(actions, options):
        _write_chunk(es, batch, options, report, sleep)
    if report.failures:
        raise BulkIndexError(report.failures, report.succeeded)
    return report
