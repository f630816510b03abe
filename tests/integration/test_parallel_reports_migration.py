"""Migration 0016 on SQLite: a citation saved before ingest resolved parallel reports (``cited_id``
NULL for ``SCMR 1999 1000``, the parallel report of the judgment filed as ``PLD 1999 SC 50``) is
linked to that judgment; links already made, and a judgment's citation of itself, are left alone."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from models import CaseLaw, CaseLawCitation, make_engine
from models.migrate import upgrade_database
from tests.integration.intake_support import districts
from tests.integration.web_support import make_document

BEFORE = "0015_collection_name_any_case"


def test_migration_0016_links_citations_of_parallel_reports(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'reports.sqlite3'}")
    upgrade_database(engine, BEFORE)
    factory = sessionmaker(engine)
    district = districts(factory, "Peshawar")["Peshawar"]
    with factory() as db:
        cited = CaseLaw(document_id=make_document(factory, district, "cited.pdf"), citation="PLD 1999 SC 50",
                        parallel_citations=["SCMR 1999 1000"])
        other = CaseLaw(document_id=make_document(factory, district, "other.pdf"), citation="PLD 2001 SC 7")
        citing = CaseLaw(document_id=make_document(factory, district, "citing.pdf"))
        db.add_all([cited, other, citing])
        db.flush()
        db.add_all([
            CaseLawCitation(citing_id=citing.id, cited_key="SCMR 1999 1000"),                  # to link
            CaseLawCitation(citing_id=citing.id, cited_key="PLD 1999 SC 50", cited_id=cited.id),  # linked
            CaseLawCitation(citing_id=cited.id, cited_key="SCMR 1999 1000"),                   # itself
            CaseLawCitation(citing_id=citing.id, cited_key="SCMR 2005 1"),                     # not here
        ])
        db.commit()
        ids = (cited.id, citing.id)
    upgrade_database(engine)
    with factory() as db:
        links = {(c.citing_id, c.cited_key): c.cited_id for c in db.scalars(select(CaseLawCitation))}
    cited_id, citing_id = ids
    assert links == {(citing_id, "SCMR 1999 1000"): cited_id, (citing_id, "PLD 1999 SC 50"): cited_id,
                     (cited_id, "SCMR 1999 1000"): None, (citing_id, "SCMR 2005 1"): None}
    engine.dispose()
