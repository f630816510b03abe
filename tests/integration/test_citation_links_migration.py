"""Migration 0016 on SQLite: citation links saved by the older code are re-resolved by the one rule
(``caselaw.network.resolve_keys``): a parallel report left unlinked is linked; a link a pending copy
took from a published judgment goes back to the published one; a link lost by an undone edit is
restored; a judgment's link to itself is removed; a key nobody carries stays unlinked."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from caselaw import network
from models import CaseLaw, CaseLawCitation, CaseLawStatus, make_engine
from models.migrate import upgrade_database
from tests.integration.intake_support import districts
from tests.integration.web_support import make_document

BEFORE = "0015_collection_name_any_case"


def test_migration_0016_re_resolves_every_link_by_the_rule(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'links.sqlite3'}")
    upgrade_database(engine, BEFORE)
    factory = sessionmaker(engine)
    ids = districts(factory, "Peshawar", "Mardan")
    with factory() as db:
        published = CaseLaw(document_id=make_document(factory, ids["Peshawar"], "published.pdf"),
                            citation="PLD 1999 SC 50", parallel_citations=["SCMR 1999 1000"],
                            status=CaseLawStatus.PUBLISHED)
        citing = CaseLaw(document_id=make_document(factory, ids["Peshawar"], "citing.pdf"))
        pending_copy = CaseLaw(document_id=make_document(factory, ids["Mardan"], "copy.pdf"),
                               citation="PLD 1999 SC 50")
        db.add_all([published, citing, pending_copy])
        db.flush()
        db.add_all([
            CaseLawCitation(citing_id=citing.id, cited_key="SCMR 1999 1000"),                        # never linked
            CaseLawCitation(citing_id=citing.id, cited_key="PLD 1999 SC 50", cited_id=pending_copy.id),  # taken
            CaseLawCitation(citing_id=pending_copy.id, cited_key="SCMR 1999 1000"),                  # lost
            CaseLawCitation(citing_id=published.id, cited_key="PLD 1999 SC 50", cited_id=published.id),  # itself
            CaseLawCitation(citing_id=citing.id, cited_key="SCMR 2005 1"),                           # nobody's
        ])
        db.commit()
        p, c, copy = published.id, citing.id, pending_copy.id
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
