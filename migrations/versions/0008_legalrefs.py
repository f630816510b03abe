"""legal references round 2 (issue 14)

Revision ID: 0008_legalrefs
Revises: 0007_caselaw
Create Date: 2026-11-30

A placeholder in the planned chain until its area lands; an empty revision changes nothing.
"""

from collections.abc import Sequence

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision: str = "0008_legalrefs"
down_revision: str | None = "0007_caselaw"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
