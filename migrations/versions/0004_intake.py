"""intake and review (issue 15): review queue, versions, batch details, quarantine

Revision ID: 0004_intake
Revises: 0003_ocr
Create Date: 2026-11-30

Batch name/box/notes/operator name; document versions (re-scans) and replacement; who reviewed a
page; quarantined originals; page fingerprints, MinHash LSH bands and re-scan findings.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_intake"
down_revision: str | None = "0003_ocr"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("batches") as batch:
        batch.add_column(sa.Column("name", sa.String(length=200), nullable=False, server_default=""))
        batch.add_column(sa.Column("box_number", sa.String(length=100), nullable=False, server_default=""))
        batch.add_column(sa.Column("notes", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("operator_name", sa.String(length=100), nullable=False, server_default=""))
    with op.batch_alter_table("stored_files") as batch:
        batch.add_column(sa.Column("quarantined", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("version_group_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("version_no", sa.Integer(), nullable=False, server_default="1"))
        batch.add_column(sa.Column("superseded_by_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_foreign_key(batch.f("fk_documents_version_group_id_documents"), "documents",
                                 ["version_group_id"], ["id"])
        batch.create_foreign_key(batch.f("fk_documents_superseded_by_id_documents"), "documents",
                                 ["superseded_by_id"], ["id"])
        batch.create_index(batch.f("ix_documents_version_group_id"), ["version_group_id"], unique=False)
        batch.create_index(batch.f("ix_documents_superseded_by_id"), ["superseded_by_id"], unique=False)
    with op.batch_alter_table("pages") as batch:
        batch.add_column(sa.Column("reviewed_by_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_foreign_key(batch.f("fk_pages_reviewed_by_id_users"), "users", ["reviewed_by_id"], ["id"])

    op.create_table(
        "page_fingerprints",
        sa.Column("page_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=False),
        sa.Column("page_no", sa.Integer(), nullable=False),
        sa.Column("image_hash", sa.BigInteger(), nullable=True),
        sa.Column("text_signature", sa.JSON(), nullable=True),
        sa.Column("word_count", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["page_id"], ["pages.id"], name=op.f("fk_page_fingerprints_page_id_pages"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"],
                                name=op.f("fk_page_fingerprints_document_id_documents"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["district_id"], ["districts.id"],
                                name=op.f("fk_page_fingerprints_district_id_districts")),
        sa.PrimaryKeyConstraint("page_id", name=op.f("pk_page_fingerprints")),
    )
    with op.batch_alter_table("page_fingerprints") as batch:
        batch.create_index(batch.f("ix_page_fingerprints_document_id"), ["document_id"], unique=False)
        batch.create_index(batch.f("ix_page_fingerprints_district_id"), ["district_id"], unique=False)

    op.create_table(
        "page_text_bands",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("band_key", sa.BigInteger(), nullable=False),
        sa.Column("page_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["page_id"], ["pages.id"], name=op.f("fk_page_text_bands_page_id_pages"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"],
                                name=op.f("fk_page_text_bands_document_id_documents"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["district_id"], ["districts.id"],
                                name=op.f("fk_page_text_bands_district_id_districts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_page_text_bands")),
    )
    with op.batch_alter_table("page_text_bands") as batch:
        batch.create_index(batch.f("ix_page_text_bands_band_key"), ["band_key"], unique=False)
        batch.create_index(batch.f("ix_page_text_bands_page_id"), ["page_id"], unique=False)
        batch.create_index(batch.f("ix_page_text_bands_document_id"), ["document_id"], unique=False)
        batch.create_index(batch.f("ix_page_text_bands_district_id"), ["district_id"], unique=False)

    op.create_table(
        "rescan_matches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("match_document_id", sa.Integer(), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=False),
        sa.Column("pages", sa.JSON(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"],
                                name=op.f("fk_rescan_matches_document_id_documents"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["match_document_id"], ["documents.id"],
                                name=op.f("fk_rescan_matches_match_document_id_documents"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["district_id"], ["districts.id"],
                                name=op.f("fk_rescan_matches_district_id_districts")),
        sa.ForeignKeyConstraint(["decided_by_id"], ["users.id"], name=op.f("fk_rescan_matches_decided_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rescan_matches")),
        sa.UniqueConstraint("document_id", "match_document_id",
                            name=op.f("uq_rescan_matches_document_id_match_document_id")),
    )
    with op.batch_alter_table("rescan_matches") as batch:
        batch.create_index(batch.f("ix_rescan_matches_document_id"), ["document_id"], unique=False)
        batch.create_index(batch.f("ix_rescan_matches_match_document_id"), ["match_document_id"], unique=False)
        batch.create_index(batch.f("ix_rescan_matches_district_id"), ["district_id"], unique=False)
        batch.create_index(batch.f("ix_rescan_matches_status"), ["status"], unique=False)


def downgrade() -> None:
    op.drop_table("rescan_matches")
    op.drop_table("page_text_bands")
    op.drop_table("page_fingerprints")
    with op.batch_alter_table("pages") as batch:
        batch.drop_constraint("fk_pages_reviewed_by_id_users", type_="foreignkey")
        batch.drop_column("reviewed_at")
        batch.drop_column("reviewed_by_id")
    with op.batch_alter_table("documents") as batch:
        batch.drop_index("ix_documents_superseded_by_id")
        batch.drop_index("ix_documents_version_group_id")
        batch.drop_constraint("fk_documents_superseded_by_id_documents", type_="foreignkey")
        batch.drop_constraint("fk_documents_version_group_id_documents", type_="foreignkey")
        batch.drop_column("superseded_at")
        batch.drop_column("superseded_by_id")
        batch.drop_column("version_no")
        batch.drop_column("version_group_id")
    with op.batch_alter_table("stored_files") as batch:
        batch.drop_column("quarantined")
    with op.batch_alter_table("batches") as batch:
        for column in ("operator_name", "notes", "box_number", "name"):
            batch.drop_column(column)
