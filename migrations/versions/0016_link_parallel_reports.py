"""Citations of a judgment's parallel report link to it

Revision ID: 0016_link_parallel_reports
Revises: 0015_collection_name_any_case
Create Date: 2026-12-02

Until this release, ingest linked a citation found in a judgment's text (``case_law_citations``) to
the judgment in the collection only by that judgment's MAIN citation: a page citing ``1999 SCMR
1000``, the parallel report of a judgment filed as ``PLD 1999 SC 50``, was left unlinked (``cited_id``
NULL), so cited-by and the citation graph missed it until a librarian edited the cited judgment's
citations. Ingest now resolves every report (``caselaw.network.resolve_keys``); this links the rows
saved before it, the same way (only rows not linked yet; a judgment's citation of itself is not a
link). Plain SQL over the stored rows, no application code, so later changes to the network module do
not change what this migration does. Run ``cmms reindex`` after it (cited-by counts are indexed).
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016_link_parallel_reports"
down_revision: str | None = "0015_collection_name_any_case"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, parallel_citations FROM case_law ORDER BY id")).all()
    for case_law_id, stored in rows:
        keys = json.loads(stored) if isinstance(stored, str) else stored
        keys = [k for k in (keys or []) if isinstance(k, str) and k]
        if not keys:
            continue
        bind.execute(
            sa.text("UPDATE case_law_citations SET cited_id = :id"
                    " WHERE cited_id IS NULL AND citing_id != :id AND cited_key IN :keys")
            .bindparams(sa.bindparam("keys", expanding=True)),
            {"id": case_law_id, "keys": keys})


def downgrade() -> None:
    # The links are true either way; the older code simply did not make them.
    pass
