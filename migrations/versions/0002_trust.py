"""trust (issue 8): audit chain, MFA, API tokens, login counters

Revision ID: 0002_trust
Revises: 86aa5ca2f284
Create Date: 2026-11-30

- ``audit_events`` gains the object's district and the hash chain (existing events are chained here,
  in id order); ``audit_chain_head`` and ``audit_checkpoints`` are new.
- The audit table becomes append-only: on PostgreSQL a trigger refuses UPDATE and TRUNCATE for every
  role, and DELETE except of events older than the one-year retention floor while ``cmms audit purge``
  has set ``cmms.audit_purge_before`` in its transaction; SQLite gets UPDATE/DELETE triggers.
- Users gain the TOTP columns; recovery codes, remembered devices and API tokens are new tables.
"""

import hashlib
import json
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0002_trust"
down_revision: str | None = "86aa5ca2f284"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GENESIS = "0" * 64

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION cmms_audit_append_only() RETURNS trigger AS $$
DECLARE
    purge_before timestamptz;
BEGIN
    IF TG_OP = 'DELETE' THEN
        purge_before := nullif(current_setting('cmms.audit_purge_before', true), '')::timestamptz;
        IF purge_before IS NOT NULL AND purge_before <= now() - interval '365 days'
           AND OLD.at < purge_before THEN
            RETURN OLD;
        END IF;
    END IF;
    RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""
PG_TRIGGERS = [
    "CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events "
    "FOR EACH ROW EXECUTE FUNCTION cmms_audit_append_only()",
    "CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events "
    "FOR EACH STATEMENT EXECUTE FUNCTION cmms_audit_append_only()",
]
SQLITE_TRIGGERS = [
    "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events "
    "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END",
    # SQLite has no session settings: purging there goes through `cmms audit purge`, which drops and
    # re-creates this trigger inside its own transaction.
    "CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events "
    "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END",
]


def _utc_text(moment: datetime) -> str:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _chain_existing(connection: sa.Connection) -> tuple[int, str]:
    """Chain the events written before this revision (same canonical form as models.audit)."""
    rows = connection.execute(sa.text(
        "SELECT id, at, user_id, username, action, object_type, object_id, ip_address, success, detail "
        "FROM audit_events ORDER BY id")).fetchall()
    previous, last_id = GENESIS, 0
    for new_id, row in enumerate(rows, start=1):
        detail = row.detail if isinstance(row.detail, dict) else json.loads(row.detail or "{}")
        at = row.at if isinstance(row.at, datetime) else datetime.fromisoformat(str(row.at))
        content = [new_id, _utc_text(at), row.user_id, row.username, row.action, row.object_type,
                   row.object_id, None, row.ip_address, bool(row.success), detail, previous]
        text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        connection.execute(sa.text("UPDATE audit_events SET id = :new_id, prev_hash = :prev, row_hash = :hash "
                                   "WHERE id = :old_id"),
                           {"new_id": new_id, "prev": previous, "hash": digest, "old_id": row.id})
        previous, last_id = digest, new_id
    return last_id, previous


def upgrade() -> None:
    with op.batch_alter_table("audit_events") as batch:
        batch.add_column(sa.Column("district_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=False, server_default=GENESIS))
        batch.add_column(sa.Column("row_hash", sa.String(length=64), nullable=False, server_default=""))
        batch.create_index(batch.f("ix_audit_events_district_id"), ["district_id"], unique=False)
    op.create_table(
        "audit_chain_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_event_id", sa.Integer(), nullable=False),
        sa.Column("last_hash", sa.String(length=64), nullable=False),
        sa.Column("since_checkpoint", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_chain_head")),
    )
    op.create_table(
        "audit_checkpoints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("row_hash", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("signature", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_checkpoints")),
    )
    with op.batch_alter_table("audit_checkpoints") as batch:
        batch.create_index(batch.f("ix_audit_checkpoints_event_id"), ["event_id"], unique=False)

    connection = op.get_bind()
    last_id, last_hash = _chain_existing(connection)
    connection.execute(sa.text("INSERT INTO audit_chain_head (id, last_event_id, last_hash, since_checkpoint) "
                               "VALUES (1, :id, :hash, :n)"), {"id": last_id, "hash": last_hash, "n": last_id})

    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("mfa_secret", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("mfa_enabled_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("mfa_last_step", sa.Integer(), nullable=False, server_default="0"))
    op.create_table(
        "mfa_recovery_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_mfa_recovery_codes_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mfa_recovery_codes")),
    )
    with op.batch_alter_table("mfa_recovery_codes") as batch:
        batch.create_index(batch.f("ix_mfa_recovery_codes_user_id"), ["user_id"], unique=False)
    op.create_table(
        "mfa_trusted_devices",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_mfa_trusted_devices_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_mfa_trusted_devices")),
    )
    with op.batch_alter_table("mfa_trusted_devices") as batch:
        batch.create_index(batch.f("ix_mfa_trusted_devices_user_id"), ["user_id"], unique=False)
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("scope", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_api_tokens_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    with op.batch_alter_table("api_tokens") as batch:
        batch.create_index(batch.f("ix_api_tokens_user_id"), ["user_id"], unique=False)

    if connection.dialect.name == "postgresql":
        op.execute(PG_FUNCTION)
        for statement in PG_TRIGGERS:
            op.execute(statement)
    elif connection.dialect.name == "sqlite":
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)


def downgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_events_append_only ON audit_events")
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_truncate ON audit_events")
        op.execute("DROP FUNCTION IF EXISTS cmms_audit_append_only()")
    elif connection.dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_delete")
    for table in ("api_tokens", "mfa_trusted_devices", "mfa_recovery_codes", "audit_checkpoints",
                  "audit_chain_head"):
        op.drop_table(table)
    with op.batch_alter_table("users") as batch:
        batch.drop_column("mfa_last_step")
        batch.drop_column("mfa_enabled_at")
        batch.drop_column("mfa_secret")
    with op.batch_alter_table("audit_events") as batch:
        batch.drop_index(batch.f("ix_audit_events_district_id"))
        batch.drop_column("row_hash")
        batch.drop_column("prev_hash")
        batch.drop_column("district_id")
