"""RQ entry points: ids in, nothing out. Each delegates to ``jobs.stages`` with the process's context."""

from __future__ import annotations

from jobs import stages
from jobs.context import current


def prepare_document(document_id: int) -> None:
    stages.prepare_document(current(), int(document_id))


def read_page(page_id: int) -> None:
    stages.read_page(current(), int(page_id))


def extract_document(document_id: int) -> None:
    stages.extract_document(current(), int(document_id))


def index_document(document_id: int) -> None:
    stages.index_document(current(), int(document_id))
