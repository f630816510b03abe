"""scheduling calendar (issue 11): hearings, conflicts, notifications, feeds

Revision ID: 0006_calendar
Revises: 0005_casefile
Create Date: 2026-11-30

Courts; hearings as courts run them (session, time, courtroom, judge, prosecutor, result,
adjournment reason and who asked, next date); witnesses summoned (linked to the witness register
that 0005 creates); overrides of scheduling warnings; notifications with e-mail state, preferences
and digests; calendar feed tokens. Court holidays live in the table 0005 creates (one table for
deadlines and hearings). Existing hearings keep their date, court text, purpose text and outcome;
new NOT NULL columns get a server default so rows already present are valid.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_calendar"
down_revision: str | None = "0005_casefile"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "courts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["district_id"], ["districts.id"], name=op.f("fk_courts_district_id_districts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_courts")),
        sa.UniqueConstraint("district_id", "name", name=op.f("uq_courts_district_id_name")),
    )
    with op.batch_alter_table("courts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_courts_district_id"), ["district_id"], unique=False)

    with op.batch_alter_table("hearings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("session", sa.String(length=10), nullable=False, server_default="morning"))
        batch_op.add_column(sa.Column("starts_at", TZ, nullable=True))
        batch_op.add_column(sa.Column("court_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("courtroom", sa.String(length=60), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("judge", sa.String(length=200), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("prosecutor_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("result", sa.String(length=40), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("adjournment_reason", sa.String(length=40), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("adjournment_requested_by", sa.String(length=20), nullable=False,
                                      server_default=""))
        batch_op.add_column(sa.Column("next_date", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("next_hearing_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("notes", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("created_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("created_at", TZ, nullable=True))
        batch_op.add_column(sa.Column("updated_at", TZ, nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_hearings_court_id_courts"), "courts", ["court_id"], ["id"])
        batch_op.create_foreign_key(batch_op.f("fk_hearings_prosecutor_id_users"), "users", ["prosecutor_id"], ["id"])
        batch_op.create_foreign_key(batch_op.f("fk_hearings_created_by_id_users"), "users", ["created_by_id"], ["id"])
        batch_op.create_foreign_key(batch_op.f("fk_hearings_next_hearing_id_hearings"), "hearings",
                                    ["next_hearing_id"], ["id"], ondelete="SET NULL")
        batch_op.create_index("ix_hearings_court_day", ["court_id", "scheduled_for"], unique=False)
        batch_op.create_index("ix_hearings_prosecutor_day", ["prosecutor_id", "scheduled_for"], unique=False)
    # The model has no server defaults (Python-side defaults); they were only for rows already present.
    with op.batch_alter_table("hearings", schema=None) as batch_op:
        for column in ("session", "courtroom", "judge", "result", "adjournment_reason",
                       "adjournment_requested_by", "notes"):
            batch_op.alter_column(column, server_default=None)

    op.create_table(
        "hearing_witnesses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hearing_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("cnic", sa.String(length=15), nullable=False),
        sa.Column("witness_id", sa.Integer(), nullable=True),
        sa.Column("attended", sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(["hearing_id"], ["hearings.id"], name=op.f("fk_hearing_witnesses_hearing_id_hearings"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["witness_id"], ["witnesses.id"], name=op.f("fk_hearing_witnesses_witness_id_witnesses"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hearing_witnesses")),
    )
    with op.batch_alter_table("hearing_witnesses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hearing_witnesses_hearing_id"), ["hearing_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_hearing_witnesses_cnic"), ["cnic"], unique=False)
        batch_op.create_index(batch_op.f("ix_hearing_witnesses_witness_id"), ["witness_id"], unique=False)

    op.create_table(
        "hearing_conflict_overrides",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hearing_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("other_hearing_id", sa.Integer(), nullable=True),
        sa.Column("warning", sa.String(length=500), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("at", TZ, nullable=False),
        sa.ForeignKeyConstraint(["hearing_id"], ["hearings.id"],
                                name=op.f("fk_hearing_conflict_overrides_hearing_id_hearings"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_hearing_conflict_overrides_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hearing_conflict_overrides")),
    )
    with op.batch_alter_table("hearing_conflict_overrides", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hearing_conflict_overrides_hearing_id"), ["hearing_id"], unique=False)

    op.create_table(
        "calendar_feed_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("hint", sa.String(length=8), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("revoked_at", TZ, nullable=True),
        sa.Column("last_used_at", TZ, nullable=True),
        sa.Column("use_count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_calendar_feed_tokens_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_feed_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_calendar_feed_tokens_token_hash")),
    )
    with op.batch_alter_table("calendar_feed_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_calendar_feed_tokens_user_id"), ["user_id"], unique=False)

    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("link", sa.String(length=500), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("read_at", TZ, nullable=True),
        sa.Column("email_status", sa.String(length=12), nullable=False),
        sa.Column("email_attempts", sa.Integer(), nullable=False),
        sa.Column("email_claimed_at", TZ, nullable=True),
        sa.Column("emailed_at", TZ, nullable=True),
        sa.Column("email_error", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_notifications_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
        sa.UniqueConstraint("user_id", "key", name=op.f("uq_notifications_user_id_key")),
    )
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.create_index("ix_notifications_email_status", ["email_status"], unique=False)
        batch_op.create_index("ix_notifications_user_read", ["user_id", "read_at"], unique=False)

    op.create_table(
        "notification_preferences",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("modes", sa.JSON(), nullable=False),
        sa.Column("digest_hour", sa.Integer(), nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_notification_preferences_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_notification_preferences")),
    )

    op.create_table(
        "notification_digests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("items", sa.Integer(), nullable=False),
        sa.Column("claimed_at", TZ, nullable=False),
        sa.Column("sent_at", TZ, nullable=True),
        sa.Column("error", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_notification_digests_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_digests")),
        sa.UniqueConstraint("user_id", "day", name=op.f("uq_notification_digests_user_id_day")),
    )


def downgrade() -> None:
    op.drop_table("notification_digests")
    op.drop_table("notification_preferences")
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_index("ix_notifications_user_read")
        batch_op.drop_index("ix_notifications_email_status")
    op.drop_table("notifications")
    with op.batch_alter_table("calendar_feed_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calendar_feed_tokens_user_id"))
    op.drop_table("calendar_feed_tokens")
    with op.batch_alter_table("hearing_conflict_overrides", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hearing_conflict_overrides_hearing_id"))
    op.drop_table("hearing_conflict_overrides")
    with op.batch_alter_table("hearing_witnesses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hearing_witnesses_witness_id"))
        batch_op.drop_index(batch_op.f("ix_hearing_witnesses_cnic"))
        batch_op.drop_index(batch_op.f("ix_hearing_witnesses_hearing_id"))
    op.drop_table("hearing_witnesses")
    with op.batch_alter_table("hearings", schema=None) as batch_op:
        batch_op.drop_index("ix_hearings_prosecutor_day")
        batch_op.drop_index("ix_hearings_court_day")
        batch_op.drop_constraint(batch_op.f("fk_hearings_next_hearing_id_hearings"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_hearings_created_by_id_users"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_hearings_prosecutor_id_users"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_hearings_court_id_courts"), type_="foreignkey")
        for column in ("updated_at", "created_at", "created_by_id", "notes", "next_hearing_id", "next_date",
                       "adjournment_requested_by", "adjournment_reason", "result", "prosecutor_id", "judge",
                       "courtroom", "court_id", "starts_at", "session"):
            batch_op.drop_column(column)
    with op.batch_alter_table("courts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_courts_district_id"))
    op.drop_table("courts")
