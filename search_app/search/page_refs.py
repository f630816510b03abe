"""Reference spans of given pages, read from the database (the system of record) for the snippets."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session

from models import Entity, Page
from search_app.search.reference_hits import REFERENCE_KINDS, PageRefs, RefSpan, entity_span

MAX_PAGES = 500


def load_page_refs(session: Session, pages: Sequence[tuple[int, int]]) -> dict[tuple[int, int], PageRefs]:
    """``{(document_id, page_no): PageRefs}`` for up to ``MAX_PAGES`` pages (two queries in all).

    The pages come from an Elasticsearch answer that was already limited to the user's scope."""
    wanted = list(dict.fromkeys(pages))[:MAX_PAGES]
    if not wanted:
        return {}
    rows = session.execute(
        select(Page.id, Page.document_id, Page.page_no, func.coalesce(Page.corrected_text, Page.text))
        .where(tuple_(Page.document_id, Page.page_no).in_(wanted))
    ).all()
    by_id = {int(pid): (int(doc), int(no), str(text or "")) for pid, doc, no, text in rows}
    spans: dict[int, list[RefSpan]] = defaultdict(list)
    if by_id:
        for entity in session.scalars(
            select(Entity).where(Entity.page_id.in_(list(by_id)), Entity.kind.in_(REFERENCE_KINDS))
        ):
            spans[int(entity.page_id)].append(
                entity_span(entity.kind, entity.key, entity.attrs, entity.start, entity.end)
            )
    return {(doc, no): PageRefs(text, tuple(spans[pid])) for pid, (doc, no, text) in by_id.items()}
