"""monitoring (issue 12): peer review and dashboard summaries

Revision ID: 0009_monitoring
Revises: 0008_legalrefs
Create Date: 2026-11-30

Peer reviews of case files (reviews, checklist answers, findings with the prosecutor's answers, the
history of each review) and the review rotations supervisors set per district. One index on hearings
(case, day) lets the dashboards find each case's latest hearing and next date from the index alone.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_monitoring"
down_revision: str | None = "0008_legalrefs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "case_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=False),
        sa.Column("prosecutor_id", sa.Integer(), nullable=True),
        sa.Column("assigned_by_id", sa.Integer(), nullable=True),
        sa.Column("assigned_via", sa.String(length=10), nullable=False),
        sa.Column("checklist", sa.String(length=30), nullable=False),
        sa.Column("stage", sa.String(length=30), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("assigned_at", TZ, nullable=False),
        sa.Column("submitted_at", TZ, nullable=True),
        sa.Column("signed_off_at", TZ, nullable=True),
        sa.Column("signed_off_by_id", sa.Integer(), nullable=True),
        sa.Column("sign_off_note", sa.Text(), nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_case_reviews_case_id_cases"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["reviewer_id"], ["users.id"], name=op.f("fk_case_reviews_reviewer_id_users")),
        sa.ForeignKeyConstraint(["prosecutor_id"], ["users.id"], name=op.f("fk_case_reviews_prosecutor_id_users")),
        sa.ForeignKeyConstraint(["assigned_by_id"], ["users.id"], name=op.f("fk_case_reviews_assigned_by_id_users")),
        sa.ForeignKeyConstraint(["signed_off_by_id"], ["users.id"],
                                name=op.f("fk_case_reviews_signed_off_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_reviews")),
    )
    with op.batch_alter_table("case_reviews", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_reviews_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_reviews_prosecutor_id"), ["prosecutor_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_reviews_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_reviews_assigned_at"), ["assigned_at"], unique=False)
        batch_op.create_index("ix_case_reviews_reviewer_status", ["reviewer_id", "status"], unique=False)

    op.create_table(
        "review_checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(length=60), nullable=False),
        sa.Column("answer", sa.String(length=5), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("answered_at", TZ, nullable=False),
        sa.ForeignKeyConstraint(["review_id"], ["case_reviews.id"], name=op.f("fk_review_checks_review_id_case_reviews"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_checks")),
        sa.UniqueConstraint("review_id", "item", name=op.f("uq_review_checks_review_id_item")),
    )
    with op.batch_alter_table("review_checks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_checks_review_id"), ["review_id"], unique=False)

    op.create_table(
        "review_findings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(length=60), nullable=False),
        sa.Column("severity", sa.String(length=10), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("pages", sa.JSON(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("answer_kind", sa.String(length=12), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        sa.Column("answered_at", TZ, nullable=True),
        sa.ForeignKeyConstraint(["review_id"], ["case_reviews.id"],
                                name=op.f("fk_review_findings_review_id_case_reviews"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_review_findings_case_id_cases"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_review_findings_created_by_id_users")),
        sa.ForeignKeyConstraint(["answered_by_id"], ["users.id"],
                                name=op.f("fk_review_findings_answered_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_findings")),
    )
    with op.batch_alter_table("review_findings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_findings_review_id"), ["review_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_review_findings_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_review_findings_item"), ["item"], unique=False)
        batch_op.create_index(batch_op.f("ix_review_findings_severity"), ["severity"], unique=False)
        batch_op.create_index(batch_op.f("ix_review_findings_created_at"), ["created_at"], unique=False)

    op.create_table(
        "review_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("at", TZ, nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["review_id"], ["case_reviews.id"], name=op.f("fk_review_events_review_id_case_reviews"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_review_events_actor_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_events")),
    )
    with op.batch_alter_table("review_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_events_review_id"), ["review_id"], unique=False)

    op.create_table(
        "review_rotations",
        sa.Column("district_id", sa.Integer(), nullable=False),
        sa.Column("members", sa.JSON(), nullable=False),
        sa.Column("last_user_id", sa.Integer(), nullable=True),
        sa.Column("cases_per_run", sa.Integer(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", TZ, nullable=False),
        sa.ForeignKeyConstraint(["district_id"], ["districts.id"], name=op.f("fk_review_rotations_district_id_districts"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["updated_by_id"], ["users.id"], name=op.f("fk_review_rotations_updated_by_id_users")),
        sa.PrimaryKeyConstraint("district_id", name=op.f("pk_review_rotations")),
    )

    with op.batch_alter_table("hearings", schema=None) as batch_op:
        batch_op.create_index("ix_hearings_case_day", ["case_id", "scheduled_for"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("hearings", schema=None) as batch_op:
        batch_op.drop_index("ix_hearings_case_day")
    op.drop_table("review_rotations")
    op.drop_table("review_events")
    op.drop_table("review_findings")
    op.drop_table("review_checks")
    op.drop_table("case_reviews")
