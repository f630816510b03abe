"""prosecution case file (issue 10): stages, deadlines, scrutiny, persons, witnesses, exhibits

Revision ID: 0005_casefile
Revises: 0004_intake
Create Date: 2026-11-30

Tables of the case file (transitions, deadlines, court holidays (shared with the calendar), scrutinies and objections, persons and
match suggestions, witnesses, exhibits and custody, outcomes), new columns on cases (fir_date, sealed)
and parties (father_name, person_id). Data: the old stage values are mapped to the lifecycle in
casework/data/stages.toml, and every existing party becomes a person (one person per CNIC).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_casefile"
down_revision: str | None = "0004_intake"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Old CaseStage values -> lifecycle stage ids. "trial" becomes "charge_framed" (a trial begins with the
# charge, CrPC s.265-D); "challan_submitted" meant submitted to court.
OLD_TO_NEW = {
    "investigation": "under_investigation",
    "challan_submitted": "submitted_to_court",
    "trial": "charge_framed",
    "judgment": "judgment",
    "appeal": "appeal_or_revision",
    "closed": "closed",
}
# On downgrade, stages that had no old equivalent go to the nearest old one.
NEW_ONLY_TO_OLD = {
    "fir_registered": "investigation", "interim_report": "investigation", "challan_received": "investigation",
    "under_scrutiny": "investigation", "returned_with_objections": "investigation", "accepted": "investigation",
    "prosecution_evidence": "trial", "defence": "trial", "arguments": "trial",
}


def _add_fk_column(table: str, column: str, target: str, name: str) -> None:
    """A nullable integer column referencing ``target.id``. SQLite takes the reference inline in ADD
    COLUMN (Alembic cannot add a constraint there without copying the table)."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"ALTER TABLE {table} ADD COLUMN {column} INTEGER CONSTRAINT {name} REFERENCES {target} (id)")
    else:
        op.add_column(table, sa.Column(column, sa.Integer(), nullable=True))
        op.create_foreign_key(name, table, target, [column], ["id"])


def _migrate_stages(mapping: dict[str, str]) -> None:
    cases = sa.table("cases", sa.column("stage", sa.String))
    for old, new in mapping.items():
        if old != new:
            op.execute(cases.update().where(cases.c.stage == old).values(stage=new))


def _persons_from_parties() -> None:
    """One person per existing party (parties with the same CNIC share one person)."""
    from casework.persons import PersonRefused, name_key, normalise_cnic

    bind = op.get_bind()
    parties = sa.table("parties", sa.column("id", sa.Integer), sa.column("name", sa.String),
                       sa.column("cnic", sa.String), sa.column("person_id", sa.Integer))
    persons = sa.table("persons", sa.column("id", sa.Integer), sa.column("name", sa.String),
                       sa.column("father_name", sa.String), sa.column("cnic", sa.String),
                       sa.column("name_key", sa.String), sa.column("block_key", sa.String),
                       sa.column("created_at", sa.DateTime(timezone=True)))
    by_cnic: dict[str, int] = {}
    rows = bind.execute(sa.select(parties.c.id, parties.c.name, parties.c.cnic).order_by(parties.c.id)).all()
    for party_id, name, raw_cnic in rows:
        try:
            cnic = normalise_cnic(raw_cnic or "") or None
        except PersonRefused:
            cnic = None  # a malformed old CNIC is kept on the party, not copied to the person
        person_id = by_cnic.get(cnic) if cnic else None
        if person_id is None:
            key = name_key(name or "")
            person_id = bind.execute(persons.insert().values(
                name=name or "", father_name="", cnic=cnic, name_key=" ".join(key.skeletons)[:200],
                block_key=key.block[:60], created_at=sa.func.now()).returning(persons.c.id)).scalar_one()
            if cnic:
                by_cnic[cnic] = person_id
        bind.execute(parties.update().where(parties.c.id == party_id).values(person_id=person_id))


def upgrade() -> None:
    op.create_table("persons",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("name", sa.String(length=200), nullable=False),
    sa.Column("father_name", sa.String(length=200), nullable=False),
    sa.Column("cnic", sa.String(length=15), nullable=True),
    sa.Column("name_key", sa.String(length=200), nullable=False),
    sa.Column("block_key", sa.String(length=60), nullable=False),
    sa.Column("merged_into_id", sa.Integer(), nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(["merged_into_id"], ["persons.id"], name=op.f("fk_persons_merged_into_id_persons")),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_persons")),
    sa.UniqueConstraint("cnic", name=op.f("uq_persons_cnic"))
    )
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_persons_block_key"), ["block_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_persons_merged_into_id"), ["merged_into_id"], unique=False)

    # The one table of dated court holidays, shared with the hearings calendar (0006 uses it too).
    op.create_table("court_holidays",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("day", sa.Date(), nullable=False),
    sa.Column("name", sa.String(length=200), nullable=False),
    sa.Column("district_id", sa.Integer(), nullable=True),
    sa.Column("source", sa.String(length=300), nullable=False),
    sa.Column("created_by_id", sa.Integer(), nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_court_holidays_created_by_id_users")),
    sa.ForeignKeyConstraint(["district_id"], ["districts.id"], name=op.f("fk_court_holidays_district_id_districts")),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_court_holidays")),
    sa.UniqueConstraint("day", "district_id", name=op.f("uq_court_holidays_day_district_id"))
    )
    with op.batch_alter_table("court_holidays", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_court_holidays_day"), ["day"], unique=False)

    op.create_table("person_match_suggestions",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("person_id", sa.Integer(), nullable=False),
    sa.Column("candidate_id", sa.Integer(), nullable=False),
    sa.Column("score", sa.Float(), nullable=False),
    sa.Column("reasons", sa.JSON(), nullable=False),
    sa.Column("status", sa.String(length=10), nullable=False),
    sa.Column("decided_by_id", sa.Integer(), nullable=True),
    sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(["candidate_id"], ["persons.id"], name=op.f("fk_person_match_suggestions_candidate_id_persons"), ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["decided_by_id"], ["users.id"], name=op.f("fk_person_match_suggestions_decided_by_id_users")),
    sa.ForeignKeyConstraint(["person_id"], ["persons.id"], name=op.f("fk_person_match_suggestions_person_id_persons"), ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_person_match_suggestions")),
    sa.UniqueConstraint("person_id", "candidate_id", name=op.f("uq_person_match_suggestions_person_id_candidate_id"))
    )
    with op.batch_alter_table("person_match_suggestions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_match_suggestions_candidate_id"), ["candidate_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_person_match_suggestions_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_person_match_suggestions_status"), ["status"], unique=False)

    op.create_table("case_deadlines",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("case_id", sa.Integer(), nullable=False),
    sa.Column("rule_id", sa.String(length=60), nullable=False),
    sa.Column("subject_id", sa.Integer(), nullable=False),
    sa.Column("anchor_on", sa.Date(), nullable=False),
    sa.Column("due_on", sa.Date(), nullable=False),
    sa.Column("met_on", sa.Date(), nullable=True),
    sa.Column("met_source", sa.String(length=10), nullable=False),
    sa.Column("met_by_id", sa.Integer(), nullable=True),
    sa.Column("note", sa.Text(), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_case_deadlines_case_id_cases"), ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["met_by_id"], ["users.id"], name=op.f("fk_case_deadlines_met_by_id_users")),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_case_deadlines")),
    sa.UniqueConstraint("case_id", "rule_id", "subject_id", name=op.f("uq_case_deadlines_case_id_rule_id_subject_id"))
    )
    with op.batch_alter_table("case_deadlines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_deadlines_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_deadlines_due_on"), ["due_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_deadlines_met_on"), ["met_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_deadlines_rule_id"), ["rule_id"], unique=False)

    op.create_table("case_transitions",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("case_id", sa.Integer(), nullable=False),
    sa.Column("from_stage", sa.String(length=30), nullable=False),
    sa.Column("to_stage", sa.String(length=30), nullable=False),
    sa.Column("happened_on", sa.Date(), nullable=False),
    sa.Column("actor_id", sa.Integer(), nullable=True),
    sa.Column("note", sa.Text(), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_case_transitions_actor_id_users")),
    sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_case_transitions_case_id_cases"), ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_case_transitions"))
    )
    with op.batch_alter_table("case_transitions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_transitions_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_transitions_happened_on"), ["happened_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_transitions_to_stage"), ["to_stage"], unique=False)

    op.create_table("outcomes",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("case_id", sa.Integer(), nullable=False),
    sa.Column("person_id", sa.Integer(), nullable=False),
    sa.Column("result", sa.String(length=20), nullable=False),
    sa.Column("sentence", sa.Text(), nullable=False),
    sa.Column("judgment_on", sa.Date(), nullable=False),
    sa.Column("court", sa.String(length=200), nullable=False),
    sa.Column("recorded_by_id", sa.Integer(), nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_outcomes_case_id_cases"), ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["person_id"], ["persons.id"], name=op.f("fk_outcomes_person_id_persons")),
    sa.ForeignKeyConstraint(["recorded_by_id"], ["users.id"], name=op.f("fk_outcomes_recorded_by_id_users")),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_outcomes")),
    sa.UniqueConstraint("case_id", "person_id", name=op.f("uq_outcomes_case_id_person_id"))
    )
    with op.batch_alter_table("outcomes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outcomes_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_outcomes_judgment_on"), ["judgment_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_outcomes_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_outcomes_result"), ["result"], unique=False)

    op.create_table("scrutinies",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("case_id", sa.Integer(), nullable=False),
    sa.Column("received_on", sa.Date(), nullable=True),
    sa.Column("decision", sa.String(length=10), nullable=False),
    sa.Column("decided_on", sa.Date(), nullable=False),
    sa.Column("prosecutor_id", sa.Integer(), nullable=True),
    sa.Column("remarks", sa.Text(), nullable=False),
    sa.Column("pages", sa.JSON(), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_scrutinies_case_id_cases"), ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["prosecutor_id"], ["users.id"], name=op.f("fk_scrutinies_prosecutor_id_users")),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_scrutinies"))
    )
    with op.batch_alter_table("scrutinies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_scrutinies_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_scrutinies_decided_on"), ["decided_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_scrutinies_decision"), ["decision"], unique=False)

    op.create_table("witnesses",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("case_id", sa.Integer(), nullable=False),
    sa.Column("person_id", sa.Integer(), nullable=False),
    sa.Column("kind", sa.String(length=30), nullable=False),
    sa.Column("process", sa.String(length=30), nullable=False),
    sa.Column("process_issued_on", sa.Date(), nullable=True),
    sa.Column("process_returnable_on", sa.Date(), nullable=True),
    sa.Column("examined_on", sa.Date(), nullable=True),
    sa.Column("given_up_on", sa.Date(), nullable=True),
    sa.Column("given_up_reason", sa.Text(), nullable=False),
    sa.Column("notes", sa.Text(), nullable=False),
    sa.Column("statement_pages", sa.JSON(), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_witnesses_case_id_cases"), ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["person_id"], ["persons.id"], name=op.f("fk_witnesses_person_id_persons")),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_witnesses")),
    sa.UniqueConstraint("case_id", "person_id", name=op.f("uq_witnesses_case_id_person_id"))
    )
    with op.batch_alter_table("witnesses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_witnesses_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_witnesses_examined_on"), ["examined_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_witnesses_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_witnesses_person_id"), ["person_id"], unique=False)

    op.create_table("scrutiny_objections",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("scrutiny_id", sa.Integer(), nullable=False),
    sa.Column("case_id", sa.Integer(), nullable=False),
    sa.Column("code", sa.String(length=40), nullable=False),
    sa.Column("text", sa.Text(), nullable=False),
    sa.Column("resolved_on", sa.Date(), nullable=True),
    sa.Column("resolved_by_id", sa.Integer(), nullable=True),
    sa.Column("resolution_note", sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_scrutiny_objections_case_id_cases"), ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["resolved_by_id"], ["users.id"], name=op.f("fk_scrutiny_objections_resolved_by_id_users")),
    sa.ForeignKeyConstraint(["scrutiny_id"], ["scrutinies.id"], name=op.f("fk_scrutiny_objections_scrutiny_id_scrutinies"), ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_scrutiny_objections"))
    )
    with op.batch_alter_table("scrutiny_objections", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_scrutiny_objections_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_scrutiny_objections_code"), ["code"], unique=False)
        batch_op.create_index(batch_op.f("ix_scrutiny_objections_resolved_on"), ["resolved_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_scrutiny_objections_scrutiny_id"), ["scrutiny_id"], unique=False)

    op.create_table("exhibits",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("case_id", sa.Integer(), nullable=False),
    sa.Column("label", sa.String(length=40), nullable=False),
    sa.Column("description", sa.Text(), nullable=False),
    sa.Column("recovered_on", sa.Date(), nullable=True),
    sa.Column("recovery_memo_document_id", sa.Integer(), nullable=True),
    sa.Column("recovery_memo_page_no", sa.Integer(), nullable=True),
    sa.Column("malkhana_entry", sa.String(length=60), nullable=False),
    sa.Column("fsl_sent_on", sa.Date(), nullable=True),
    sa.Column("fsl_result_on", sa.Date(), nullable=True),
    sa.Column("fsl_result", sa.Text(), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_exhibits_case_id_cases"), ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["recovery_memo_document_id"], ["documents.id"], name=op.f("fk_exhibits_recovery_memo_document_id_documents")),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_exhibits"))
    )
    with op.batch_alter_table("exhibits", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_exhibits_case_id"), ["case_id"], unique=False)

    op.create_table("custody_entries",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("exhibit_id", sa.Integer(), nullable=False),
    sa.Column("handed_on", sa.Date(), nullable=False),
    sa.Column("from_holder", sa.String(length=200), nullable=False),
    sa.Column("to_holder", sa.String(length=200), nullable=False),
    sa.Column("purpose", sa.String(length=300), nullable=False),
    sa.Column("recorded_by_id", sa.Integer(), nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(["exhibit_id"], ["exhibits.id"], name=op.f("fk_custody_entries_exhibit_id_exhibits"), ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["recorded_by_id"], ["users.id"], name=op.f("fk_custody_entries_recorded_by_id_users")),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_custody_entries"))
    )
    with op.batch_alter_table("custody_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_custody_entries_exhibit_id"), ["exhibit_id"], unique=False)

    # Plain ADD COLUMN, never a batch table copy: on SQLite a copy of "cases" drops the old table, and with
    # foreign keys on, ON DELETE CASCADE would empty parties and hearings.
    op.add_column("cases", sa.Column("fir_date", sa.Date(), nullable=True))
    op.add_column("cases", sa.Column("sealed", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("cases", sa.Column("sealed_reason", sa.String(length=30), nullable=False, server_default=""))
    op.add_column("cases", sa.Column("sealed_at", sa.DateTime(timezone=True), nullable=True))
    _add_fk_column("cases", "sealed_by_id", "users", "fk_cases_sealed_by_id_users")
    op.create_index("ix_cases_sealed", "cases", ["sealed"], unique=False)
    op.create_index("ix_cases_stage", "cases", ["stage"], unique=False)
    op.add_column("parties", sa.Column("father_name", sa.String(length=200), nullable=False, server_default=""))
    _add_fk_column("parties", "person_id", "persons", "fk_parties_person_id_persons")
    op.create_index("ix_parties_person_id", "parties", ["person_id"], unique=False)

    _migrate_stages(OLD_TO_NEW)
    _persons_from_parties()


def downgrade() -> None:
    _migrate_stages({new: old for old, new in OLD_TO_NEW.items()} | NEW_ONLY_TO_OLD)
    op.drop_index("ix_parties_person_id", table_name="parties")
    op.drop_index("ix_cases_stage", table_name="cases")
    op.drop_index("ix_cases_sealed", table_name="cases")
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint("fk_parties_person_id_persons", "parties", type_="foreignkey")
        op.drop_column("parties", "person_id")
        op.drop_column("parties", "father_name")
        op.drop_constraint("fk_cases_sealed_by_id_users", "cases", type_="foreignkey")
        for column in ("sealed_by_id", "sealed_at", "sealed_reason", "sealed", "fir_date"):
            op.drop_column("cases", column)
    else:
        # SQLite: dropping a referencing column needs a table copy, and dropping the old "cases" would
        # cascade-delete parties and hearings; the added columns stay there (unused by the older code),
        # emptied so the persons table can go.
        op.execute("UPDATE parties SET person_id = NULL")
        op.execute("UPDATE cases SET sealed_by_id = NULL")

    with op.batch_alter_table("custody_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_custody_entries_exhibit_id"))

    op.drop_table("custody_entries")
    with op.batch_alter_table("exhibits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exhibits_case_id"))

    op.drop_table("exhibits")
    with op.batch_alter_table("scrutiny_objections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scrutiny_objections_scrutiny_id"))
        batch_op.drop_index(batch_op.f("ix_scrutiny_objections_resolved_on"))
        batch_op.drop_index(batch_op.f("ix_scrutiny_objections_code"))
        batch_op.drop_index(batch_op.f("ix_scrutiny_objections_case_id"))

    op.drop_table("scrutiny_objections")
    with op.batch_alter_table("witnesses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_witnesses_person_id"))
        batch_op.drop_index(batch_op.f("ix_witnesses_kind"))
        batch_op.drop_index(batch_op.f("ix_witnesses_examined_on"))
        batch_op.drop_index(batch_op.f("ix_witnesses_case_id"))

    op.drop_table("witnesses")
    with op.batch_alter_table("scrutinies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scrutinies_decision"))
        batch_op.drop_index(batch_op.f("ix_scrutinies_decided_on"))
        batch_op.drop_index(batch_op.f("ix_scrutinies_case_id"))

    op.drop_table("scrutinies")
    with op.batch_alter_table("outcomes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outcomes_result"))
        batch_op.drop_index(batch_op.f("ix_outcomes_person_id"))
        batch_op.drop_index(batch_op.f("ix_outcomes_judgment_on"))
        batch_op.drop_index(batch_op.f("ix_outcomes_case_id"))

    op.drop_table("outcomes")
    with op.batch_alter_table("case_transitions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_transitions_to_stage"))
        batch_op.drop_index(batch_op.f("ix_case_transitions_happened_on"))
        batch_op.drop_index(batch_op.f("ix_case_transitions_case_id"))

    op.drop_table("case_transitions")
    with op.batch_alter_table("case_deadlines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_deadlines_rule_id"))
        batch_op.drop_index(batch_op.f("ix_case_deadlines_met_on"))
        batch_op.drop_index(batch_op.f("ix_case_deadlines_due_on"))
        batch_op.drop_index(batch_op.f("ix_case_deadlines_case_id"))

    op.drop_table("case_deadlines")
    with op.batch_alter_table("person_match_suggestions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_match_suggestions_status"))
        batch_op.drop_index(batch_op.f("ix_person_match_suggestions_person_id"))
        batch_op.drop_index(batch_op.f("ix_person_match_suggestions_candidate_id"))

    op.drop_table("person_match_suggestions")
    with op.batch_alter_table("court_holidays", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_court_holidays_day"))

    op.drop_table("court_holidays")
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_persons_merged_into_id"))
        batch_op.drop_index(batch_op.f("ix_persons_block_key"))

    op.drop_table("persons")
