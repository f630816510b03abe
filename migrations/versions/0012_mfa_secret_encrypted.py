"""TOTP secrets encrypted at rest

Revision ID: 0012_mfa_secret_encrypted
Revises: 0011_notification_case
Create Date: 2026-12-01

``users.mfa_secret`` grows to hold ``f1:`` + a Fernet token (~143 characters) instead of the plain
32-character base32 secret. The key is a setting outside the database, so this migration cannot
encrypt existing secrets: each is encrypted at its user's next good code (``search_app.auth.mfa``).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_mfa_secret_encrypted"
down_revision: str | None = "0011_notification_case"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.alter_column("mfa_secret", existing_type=sa.String(length=64), type_=sa.String(length=255),
                           existing_nullable=True)


def downgrade() -> None:
    # An encrypted secret does not fit the old column: those users enrol again (recovery codes go too).
    op.execute("DELETE FROM mfa_recovery_codes WHERE user_id IN (SELECT id FROM users WHERE length(mfa_secret) > 64)")
    op.execute("UPDATE users SET mfa_secret = NULL, mfa_enabled_at = NULL, mfa_last_step = 0 "
               "WHERE length(mfa_secret) > 64")
    with op.batch_alter_table("users") as batch:
        batch.alter_column("mfa_secret", existing_type=sa.String(length=255), type_=sa.String(length=64),
                           existing_nullable=True)
