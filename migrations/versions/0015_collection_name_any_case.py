"""Collection names unique whatever their case

Revision ID: 0015_collection_name_any_case
Revises: 0014_fir_identity_one_form
Create Date: 2026-12-02

The curation form refuses a collection named like an existing one in another case ("bail in narcotics
cases" beside "Bail in Narcotics Cases"), but two librarians saving at the same moment could both pass
that check. A unique index on ``lower(name)`` closes the race in the database (the form's message is
kept: the view turns the index's refusal into the same sentence).

Collections saved before the check may already differ only in case. The index cannot be made over
them, and merging two librarians' collections is a person's decision, so every later one of such a
group (by id) is renamed ``<name> (2)``, ``(3)``..., each rename logged at WARNING with its id; nothing
is merged or deleted. ``lower`` is the database's own (ASCII-only on SQLite, Unicode on PostgreSQL),
so the duplicates are found by the same function the index uses.
"""

import logging
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015_collection_name_any_case"
down_revision: str | None = "0014_fir_identity_one_form"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger("cmms.migrations")

INDEX = "uq_case_law_collections_name_lower"
NAME_LENGTH = 200  # case_law_collections.name is String(200)


def _free_name(name: str, taken: set[str], lower: "sa.engine.Connection") -> str:
    """``name (n)`` for the smallest n >= 2 whose lower form (the database's) is not taken."""
    n = 2
    while True:
        suffix = f" ({n})"
        candidate = name[: NAME_LENGTH - len(suffix)] + suffix
        key = lower.execute(sa.text("SELECT lower(:name)"), {"name": candidate}).scalar_one()
        if key not in taken:
            return candidate
        n += 1


def upgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, name, lower(name) FROM case_law_collections ORDER BY id")).all()
    taken: set[str] = {key for _, _, key in rows}
    first: dict[str, int] = {}
    for row_id, name, key in rows:
        if key not in first:
            first[key] = row_id
            continue
        renamed = _free_name(name, taken, bind)
        taken.add(bind.execute(sa.text("SELECT lower(:name)"), {"name": renamed}).scalar_one())
        bind.execute(sa.text("UPDATE case_law_collections SET name = :name WHERE id = :id"),
                     {"name": renamed, "id": row_id})
        log.warning("collection %s %r renamed %r: collection %s has the same name in another case "
                    "(merge them by hand if they are one)", row_id, name, renamed, first[key])
    op.create_index(INDEX, "case_law_collections", [sa.text("lower(name)")], unique=True)


def downgrade() -> None:
    # The renamed collections keep their new names: which of them were renamed is in the upgrade's log.
    op.drop_index(INDEX, table_name="case_law_collections")
