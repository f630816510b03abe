"""FIR numbers and police stations saved before the case form stored them in one form

Revision ID: 0014_fir_identity_one_form
Revises: 0013_audit_event_signature
Create Date: 2026-12-02

Since d281119 the case form stores FIR and court case numbers in Western digits and a police station's
name without a typed "PS"/"P.S."/"تھانہ" in front. Rows saved before still hold ``۴۵۶`` or
``تھانہ صدر``, so the duplicate-FIR check (``uq_cases_fir_number_fir_year_police_station_id``) and
lookups miss them. This rewrites them with the form's own functions (``casework.fir_identity``), by
plain UPDATEs (no table is rebuilt, so SQLite needs no batch mode and no row's id changes).

Where a rewrite would make two rows one (two cases the same FIR at the same station and year; two
stations of a district the same name) the rows involved are left as they are and each collision is
logged at WARNING with the rows' ids; ``cmms db collisions`` lists those still left. Nothing is
merged and the upgrade does not fail.
"""

import logging
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_fir_identity_one_form"
down_revision: str | None = "0013_audit_event_signature"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger("cmms.migrations")


def upgrade() -> None:
    from casework.fir_identity import read_rewrites

    bind = op.get_bind()
    plan = read_rewrites(bind)
    for station_id, name in plan.stations.items():
        bind.execute(sa.text("UPDATE police_stations SET name = :name WHERE id = :id"),
                     {"name": name, "id": station_id})
    for case_id, (fir_number, court_case_number) in plan.cases.items():
        bind.execute(sa.text("UPDATE cases SET fir_number = :fir, court_case_number = :number WHERE id = :id"),
                     {"fir": fir_number, "number": court_case_number, "id": case_id})
    for collision in plan.collisions:
        log.warning("left as stored, would become one (resolve by hand, then `cmms db collisions`): %s",
                    collision.describe())


def downgrade() -> None:
    # Nothing to undo: the numbers and names as first typed (Urdu digits, a "PS" prefix) were not kept,
    # and the rewritten values are what the form stores anyway.
    pass
