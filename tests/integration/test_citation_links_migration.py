"""Migration 0016 on SQLite: citation links saved by the older code are re-resolved by the one rule
(``caselaw.network.resolve_keys``): a parallel report left unlinked is linked; a link a pending copy
took from a published judgment goes back to the published one; a link lost by an undone edit is
restored; a judgment's link to itself is removed; a key nobody carries stays unlinked."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from caselaw import network
from models import CaseLawCitation, CaseLawStatus, make_engine
from models.migrate import upgrade_database
from tests.integration.intake_support import districts
from tests.integration.web_support import make_document

BEFORE = "0015_collection_name_any_case"


def _case_law(db: Session, document_id: int, citation: str = "", parallel: list[str] | None = None,
              status: str = CaseLawStatus.PENDING) -> int:
    """A case-law row as the schema of 0015 holds it (SQL, not the model: the model has columns later
    migrations add)."""
    row = db.execute(text(
        "INSERT INTO case_law (document_id, citation, case_number, court, parties, judge, summary, created_at, "
        "parallel_citations, case_numbers, bench, result, appealed_from_court, appealed_from_case, status) "
        "VALUES (:document_id, :citation, '', '', '', '', '', CURRENT_TIMESTAMP, :parallel, '[]', '[]', '', '', "
        "'', :status) RETURNING id"),
        {"document_id": document_id, "citation": citation, "parallel": json.dumps(parallel or []),
         "status": str(status)})
    return int(row.scalar_one())


def test_migration_0016_re_resolves_every_link_by_the_rule(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'links.sqlite3'}")
    upgrade_database(engine, BEFORE)
    factory = sessionmaker(engine)
    ids = districts(factory, "Peshawar", "Mardan")
    documents = {name: make_document(factory, ids[district], f"{name}.pdf")
                 for name, district in (("published", "Peshawar"), ("citing", "Peshawar"), ("copy", "Mardan"))}
    with factory() as db:
        p = _case_law(db, documents["published"], "PLD 1999 SC 50", ["SCMR 1999 1000"], CaseLawStatus.PUBLISHED)
        c = _case_law(db, documents["citing"])
        copy = _case_law(db, documents["copy"], "PLD 1999 SC 50")
        db.add_all([
            CaseLawCitation(citing_id=c, cited_key="SCMR 1999 1000"),                        # never linked
            CaseLawCitation(citing_id=c, cited_key="PLD 1999 SC 50", cited_id=copy),         # taken
            CaseLawCitation(citing_id=copy, cited_key="SCMR 1999 1000"),                     # lost
            CaseLawCitation(citing_id=p, cited_key="PLD 1999 SC 50", cited_id=p),            # itself
            CaseLawCitation(citing_id=c, cited_key="SCMR 2005 1"),                           # nobody's
        ])
        db.commit()
    upgrade_database(engine)
    with factory() as db:
        links = {(row.citing_id, row.cited_key): row.cited_id for row in db.scalars(select(CaseLawCitation))}
    assert links == {(c, "SCMR 1999 1000"): p, (c, "PLD 1999 SC 50"): p, (copy, "SCMR 1999 1000"): p,
                     (p, "PLD 1999 SC 50"): copy,  # not itself: the other judgment carrying the key
                     (c, "SCMR 2005 1"): None}
    with factory() as db:  # the migration's frozen copy of the rule agrees with the application's
        for (citing_id, key), cited_id in links.items():
            resolved = network.resolve_keys(db, [key], citing_id).get(key)
            assert (resolved.id if resolved else None) == cited_id, (citing_id, key)
    engine.dispose()
