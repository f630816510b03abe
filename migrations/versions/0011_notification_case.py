"""Notifications name their case

Revision ID: 0011_notification_case
Revises: 0010_i18n
Create Date: 2026-12-01

A notification's subject names a case (its FIR), so it carries ``case_id`` and is shown only while
its user may read that case (a case sealed, or moved to another district, afterwards drops out of
the inboxes of those who no longer read it). Existing notifications get their case from their link
(``/hearings/<id>/...``, ``/reviews/<id>``, ``/cases/<id>`` and ``/cases/<id>#deadlines``, the only
links ``notify`` was given).
"""

import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_notification_case"
down_revision: str | None = "0010_i18n"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_LINK = re.compile(r"^/(hearings|reviews|cases)/(\d+)(?:[/#?]|$)")
_CASE_OF = {
    "hearings": "SELECT case_id FROM hearings WHERE id = :id",
    "reviews": "SELECT case_id FROM case_reviews WHERE id = :id",
    "cases": "SELECT id FROM cases WHERE id = :id",
}


def upgrade() -> None:
    with op.batch_alter_table("notifications") as batch:
        batch.add_column(sa.Column("case_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(batch.f("fk_notifications_case_id_cases"), "cases", ["case_id"], ["id"],
                                 ondelete="CASCADE")
        batch.create_index(batch.f("ix_notifications_case_id"), ["case_id"], unique=False)
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, link FROM notifications WHERE link <> ''")).all()
    for note_id, link in rows:
        match = _LINK.match(link or "")
        if not match:
            continue
        case_id = bind.execute(sa.text(_CASE_OF[match.group(1)]), {"id": int(match.group(2))}).scalar()
        if case_id is not None:
            bind.execute(sa.text("UPDATE notifications SET case_id = :case WHERE id = :id"),
                         {"case": case_id, "id": note_id})


def downgrade() -> None:
    with op.batch_alter_table("notifications") as batch:
        batch.drop_index(batch.f("ix_notifications_case_id"))
        batch.drop_constraint(batch.f("fk_notifications_case_id_cases"), type_="foreignkey")
        batch.drop_column("case_id")
