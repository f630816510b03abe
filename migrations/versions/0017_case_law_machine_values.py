"""What the record extractor last read, per field of a case-law entry

Revision ID: 0017_case_law_machine_values
Revises: 0016_citation_links_one_rule
Create Date: 2026-12-02

``case_law.machine_values`` (JSON object, field -> the value ``caselaw.record`` last read, in JSON form)
lets a later extraction tell a value the machine set (still equal to its reading) from one a person or
the corpus index set (different), so better rules or a corrected page can replace the first and never
the second (``ingest.caselaw.upsert_record``). Existing entries get ``{}``: nothing is known of who set
their values, so re-reading them only fills empty fields, as before.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017_case_law_machine_values"
down_revision: str | None = "0016_citation_links_one_rule"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("case_law", schema=None) as batch_op:
        batch_op.add_column(sa.Column("machine_values", sa.JSON(), nullable=False, server_default="{}"))
    # the default only fills existing rows; new rows get theirs from the application (as the model says)
    with op.batch_alter_table("case_law", schema=None) as batch_op:
        batch_op.alter_column("machine_values", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("case_law", schema=None) as batch_op:
        batch_op.drop_column("machine_values")
