"""page reading (issue 9): per-page evidence and review reasons

Revision ID: 0003_ocr
Revises: 0002_trust
Create Date: 2026-11-30

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_ocr"
down_revision: str | None = "0002_trust"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("pages") as batch:
        batch.add_column(sa.Column("review_reasons", sa.JSON(), nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("pages") as batch:
        batch.drop_column("review_reasons")
