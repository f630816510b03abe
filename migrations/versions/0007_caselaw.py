"""case-law knowledge network (issue 13): approval, treatment, curation, notes

Revision ID: 0007_caselaw
Revises: 0006_calendar
Create Date: 2026-11-30

Judgment records (case numbers, bench, result, judgment appealed from, parallel citations), the
publication status a librarian sets, citation treatments, headnotes, tags, collections and practice notes.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_caselaw"
down_revision: str | None = "0006_calendar"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "case_law_collections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_case_law_collections_created_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_law_collections")),
        sa.UniqueConstraint("name", name=op.f("uq_case_law_collections_name")),
    )
    op.create_table(
        "case_law_collection_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("collection_id", sa.Integer(), nullable=False),
        sa.Column("case_law_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("added_by_id", sa.Integer(), nullable=True),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["added_by_id"], ["users.id"], name=op.f("fk_case_law_collection_items_added_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["case_law_id"],
            ["case_law.id"],
            name=op.f("fk_case_law_collection_items_case_law_id_case_law"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["collection_id"],
            ["case_law_collections.id"],
            name=op.f("fk_case_law_collection_items_collection_id_case_law_collections"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_law_collection_items")),
        sa.UniqueConstraint(
            "collection_id", "case_law_id", name=op.f("uq_case_law_collection_items_collection_id_case_law_id")
        ),
    )
    with op.batch_alter_table("case_law_collection_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_law_collection_items_case_law_id"), ["case_law_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_law_collection_items_collection_id"), ["collection_id"], unique=False)

    op.create_table(
        "case_law_headnotes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_law_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("held", sa.Text(), nullable=False),
        sa.Column("sections", sa.JSON(), nullable=False),
        sa.Column("keywords", sa.JSON(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_law_id"],
            ["case_law.id"],
            name=op.f("fk_case_law_headnotes_case_law_id_case_law"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_case_law_headnotes_updated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_law_headnotes")),
        sa.UniqueConstraint("case_law_id", "language", name=op.f("uq_case_law_headnotes_case_law_id_language")),
    )
    with op.batch_alter_table("case_law_headnotes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_law_headnotes_case_law_id"), ["case_law_id"], unique=False)

    op.create_table(
        "case_law_tags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_law_id", sa.Integer(), nullable=False),
        sa.Column("tag", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_law_id"], ["case_law.id"], name=op.f("fk_case_law_tags_case_law_id_case_law"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_law_tags")),
        sa.UniqueConstraint("case_law_id", "tag", name=op.f("uq_case_law_tags_case_law_id_tag")),
    )
    with op.batch_alter_table("case_law_tags", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_law_tags_case_law_id"), ["case_law_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_law_tags_tag"), ["tag"], unique=False)

    op.create_table(
        "citation_treatments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("citing_id", sa.Integer(), nullable=False),
        sa.Column("cited_key", sa.String(length=120), nullable=False),
        sa.Column("sentence", sa.Text(), nullable=False),
        sa.Column("page_no", sa.Integer(), nullable=True),
        sa.Column("suggested", sa.String(length=20), nullable=False),
        sa.Column("cue", sa.String(length=200), nullable=False),
        sa.Column("treatment", sa.String(length=20), nullable=True),
        sa.Column("confirmed_by_id", sa.Integer(), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["citing_id"], ["case_law.id"], name=op.f("fk_citation_treatments_citing_id_case_law"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["confirmed_by_id"], ["users.id"], name=op.f("fk_citation_treatments_confirmed_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_citation_treatments")),
        sa.UniqueConstraint("citing_id", "cited_key", name=op.f("uq_citation_treatments_citing_id_cited_key")),
    )
    with op.batch_alter_table("citation_treatments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_citation_treatments_cited_key"), ["cited_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_citation_treatments_citing_id"), ["citing_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_citation_treatments_treatment"), ["treatment"], unique=False)

    op.create_table(
        "practice_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_law_id", sa.Integer(), nullable=True),
        sa.Column("statute_key", sa.String(length=80), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f("fk_practice_notes_author_id_users")),
        sa.ForeignKeyConstraint(
            ["case_law_id"], ["case_law.id"], name=op.f("fk_practice_notes_case_law_id_case_law"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["updated_by_id"], ["users.id"], name=op.f("fk_practice_notes_updated_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice_notes")),
    )
    with op.batch_alter_table("practice_notes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_practice_notes_case_law_id"), ["case_law_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_practice_notes_statute_key"), ["statute_key"], unique=False)

    with op.batch_alter_table("case_law", schema=None) as batch_op:
        # Existing rows get empty values; their status is "pending": a librarian approves each
        # judgment before it is published province-wide (until then it stays in its district).
        batch_op.add_column(sa.Column("parallel_citations", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(sa.Column("case_numbers", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(sa.Column("bench", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(sa.Column("result", sa.String(length=30), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("appealed_from_court", sa.String(length=200), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("appealed_from_case", sa.String(length=200), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("appealed_from_date", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("status", sa.String(length=20), nullable=False, server_default="pending"))
        batch_op.add_column(sa.Column("approved_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f("ix_case_law_status"), ["status"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_case_law_approved_by_id_users"), "users", ["approved_by_id"], ["id"])
    # The defaults above only fill existing rows; new rows get theirs from the application (as the models say).
    with op.batch_alter_table("case_law", schema=None) as batch_op:
        for name in (
            "parallel_citations",
            "case_numbers",
            "bench",
            "result",
            "appealed_from_court",
            "appealed_from_case",
            "status",
        ):
            batch_op.alter_column(name, server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("case_law", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_case_law_approved_by_id_users"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_case_law_status"))
        batch_op.drop_column("updated_at")
        batch_op.drop_column("approved_at")
        batch_op.drop_column("approved_by_id")
        batch_op.drop_column("status")
        batch_op.drop_column("appealed_from_date")
        batch_op.drop_column("appealed_from_case")
        batch_op.drop_column("appealed_from_court")
        batch_op.drop_column("result")
        batch_op.drop_column("bench")
        batch_op.drop_column("case_numbers")
        batch_op.drop_column("parallel_citations")

    with op.batch_alter_table("practice_notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_practice_notes_statute_key"))
        batch_op.drop_index(batch_op.f("ix_practice_notes_case_law_id"))

    op.drop_table("practice_notes")
    with op.batch_alter_table("citation_treatments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_citation_treatments_treatment"))
        batch_op.drop_index(batch_op.f("ix_citation_treatments_citing_id"))
        batch_op.drop_index(batch_op.f("ix_citation_treatments_cited_key"))

    op.drop_table("citation_treatments")
    with op.batch_alter_table("case_law_tags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_law_tags_tag"))
        batch_op.drop_index(batch_op.f("ix_case_law_tags_case_law_id"))

    op.drop_table("case_law_tags")
    with op.batch_alter_table("case_law_headnotes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_law_headnotes_case_law_id"))

    op.drop_table("case_law_headnotes")
    with op.batch_alter_table("case_law_collection_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_law_collection_items_collection_id"))
        batch_op.drop_index(batch_op.f("ix_case_law_collection_items_case_law_id"))

    op.drop_table("case_law_collection_items")
    op.drop_table("case_law_collections")
