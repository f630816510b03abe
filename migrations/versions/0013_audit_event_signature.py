"""Audit events signed one by one

Revision ID: 0013_audit_event_signature
Revises: 0012_mfa_secret_encrypted
Create Date: 2026-12-01

``audit_events.row_mac``: HMAC-SHA256 of the event's id and hash with the audit signing key, written
with the event, so the events after the last signed checkpoint cannot be rewritten unnoticed either.
Events from before have "" (the key is a setting, not available here, and the table is append-only);
``verify_chain`` requires a signature on every event after the first signed one.
``audit_chain_head.head_mac`` signs which event is the newest, so deleting the newest events shows.
Plain ADD COLUMNs (no table rebuild), so the append-only triggers are neither fired nor dropped.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_audit_event_signature"
down_revision: str | None = "0012_mfa_secret_encrypted"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("audit_events", sa.Column("row_mac", sa.String(length=64), server_default="", nullable=False))
    op.add_column("audit_chain_head", sa.Column("head_mac", sa.String(length=64), server_default="", nullable=False))


def downgrade() -> None:
    op.drop_column("audit_chain_head", "head_mac")
    op.drop_column("audit_events", "row_mac")
