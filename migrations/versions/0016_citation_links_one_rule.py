"""Every stored citation link re-resolved by one rule

Revision ID: 0016_citation_links_one_rule
Revises: 0015_collection_name_any_case
Create Date: 2026-12-02

A citation a judgment makes (``case_law_citations.cited_key``) links (``cited_id``) to the judgment of
the collection reported at that key. Before this release the link was made three ways that disagreed:

- ingest linked only by a judgment's MAIN citation, so a page citing a parallel report was left
  unlinked (cited-by and the citation graph missed it);
- a librarian's edit of a judgment's citations pointed every citation of its keys at that judgment,
  even a pending one of one district, taking a published judgment's citers from every other district;
- undoing that edit unlinked them, though the published judgment still carried the key; and a
  judgment given a citation its own text makes was linked to itself.

The rule now (``caselaw.network.resolve_keys``): of the judgments carrying the key (main or parallel
citation), a published one, then the oldest (lowest id); never the citing judgment itself; none: NULL.
This applies it to every row saved before, with plain SQL over the stored rows and the rule written
out here (no application code, so later changes to the network module do not change what this
migration does). Run ``cmms reindex`` after it: cited-by counts are indexed.
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016_citation_links_one_rule"
down_revision: str | None = "0015_collection_name_any_case"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PUBLISHED = "published"  # case_law.status of a librarian-approved judgment


def _keys(citation: str | None, parallel: object) -> list[str]:
    stored = json.loads(parallel) if isinstance(parallel, str) else parallel
    listed = [k for k in stored if isinstance(k, str) and k] if isinstance(stored, list) else []
    return [k for k in dict.fromkeys([citation or "", *listed]) if k]


def upgrade() -> None:
    bind = op.get_bind()
    carriers: dict[str, list[tuple[bool, int]]] = {}
    for row_id, status, citation, parallel in bind.execute(sa.text(
            "SELECT id, status, citation, parallel_citations FROM case_law ORDER BY id")).all():
        for key in _keys(citation, parallel):
            carriers.setdefault(key, []).append((status != PUBLISHED, row_id))
    for ranked in carriers.values():
        ranked.sort()
    links = bind.execute(sa.text("SELECT id, citing_id, cited_key, cited_id FROM case_law_citations")).all()
    for link_id, citing_id, key, cited_id in links:
        target = next((row_id for _, row_id in carriers.get(key, []) if row_id != citing_id), None)
        if target != cited_id:
            bind.execute(sa.text("UPDATE case_law_citations SET cited_id = :target WHERE id = :id"),
                         {"target": target, "id": link_id})


def downgrade() -> None:
    # The links are true either way; the older code made fewer of them.
    pass
