"""Urdu interface (issue 16): language preferences

Revision ID: 0010_i18n
Revises: 0009_monitoring
Create Date: 2026-11-30

Each user's interface language and digit style (both nullable: unset follows the browser's
Accept-Language and the language's usual digits).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_i18n"
down_revision: str | None = "0009_monitoring"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("language", sa.String(length=8), nullable=True))
        batch.add_column(sa.Column("digits", sa.String(length=10), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("digits")
        batch.drop_column("language")
