"""Reading a judgment's record again (``ingest.caselaw.upsert_record`` through the extract stage's
``jobs.stages._judgment``, ``mark_for_reread`` and ``cmms reread-records``) on a migrated SQLite
database and real Redis: better rules or a corrected page replace what the machine read before and
nobody changed; a librarian's value, the corpus index's, the citation and a published entry are kept;
each replacement is in the (signed) audit trail; the title follows replaced parties."""

from __future__ import annotations

import itertools

import pytest
from click.testing import CliRunner
from redis import Redis
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from caselaw.record import extract_record
from config import Settings
from ingest.caselaw import mark_for_reread, upsert_record
from jobs import stages
from jobs.queues import Stage, job_id
from models import AuditEvent, CaseLaw, CaseLawStatus, DocType, Document, DocumentStatus, Page
from tests.integration.intake_support import add_doc, districts

CAPTION = ("IN THE SUPREME COURT OF PAKISTAN\nPRESENT:\nMr. Justice Gulzar Ahmed\nMr. Justice Qazi Faez Isa\n"
           "Civil Appeal No. 468 of 2010\n{petitioner} ...Appellant\nVersus\nIqbal Nasir ...Respondent\n"
           "Date of hearing: 09.10.2019\nJUDGMENT\nThe appeal is {outcome}.")
# A page as OCR first read it (name and outcome misread), and as a clerk corrected it.
FIRST = CAPTION.format(petitioner="Ahmad Alli", outcome="allowed")
MENDED = CAPTION.format(petitioner="Ahmad Ali", outcome="dismissed")
_DISTRICTS = itertools.count(1)


def _judgment(factory: sessionmaker[Session], text: str) -> int:
    with factory() as db:
        name = f"Mardan {next(_DISTRICTS)}"
        doc = add_doc(db, districts(factory, name)[name], [{"text": text}], doc_type=DocType.JUDGMENT,
                      name="judgment_C.A.468-2010.pdf")
        doc.title = "judgment C.A.468-2010"  # as intake names it from the file
        db.commit()
        return doc.id


def _extract(factory: sessionmaker[Session], settings: Settings, document_id: int, text: str) -> CaseLaw:
    """The extract stage's judgment step on ``text`` (a re-read after a page correction or new rules)."""
    with factory() as db:
        doc = db.get(Document, document_id)
        assert doc is not None
        pages = list(db.scalars(select(Page).where(Page.document_id == document_id)))
        pages[0].text = text
        stages._judgment(db, doc, pages, [[] for _ in pages], None, settings.audit_key)
        db.commit()
        row = db.scalars(select(CaseLaw).where(CaseLaw.document_id == document_id)).one()
        db.expunge_all()
        return row


def _reread_events(factory: sessionmaker[Session]) -> list[AuditEvent]:
    with factory() as db:
        return list(db.scalars(select(AuditEvent).where(AuditEvent.action == "reread")))


def test_a_machine_value_nobody_changed_is_replaced_and_audited(
        session_factory: sessionmaker[Session], settings: Settings) -> None:
    document_id = _judgment(session_factory, FIRST)
    first = _extract(session_factory, settings, document_id, FIRST)
    assert (first.parties, first.result) == ("Ahmad Alli v. Iqbal Nasir", "allowed")
    assert _reread_events(session_factory) == []  # filling empty fields is not a replacement

    again = _extract(session_factory, settings, document_id, MENDED)
    assert again.parties == "Ahmad Ali v. Iqbal Nasir"
    assert again.result == "dismissed"
    assert again.machine_values["result"] == "dismissed"
    with session_factory() as db:
        document = db.get(Document, document_id)
        assert document is not None and document.title == again.parties  # the machine's old title followed
    (event,) = _reread_events(session_factory)
    assert event.object_type == "case_law" and event.object_id == str(again.id) and event.row_mac  # signed
    assert event.detail["changes"]["result"] == {"old": "allowed", "new": "dismissed"}
    assert set(event.detail["changes"]) == {"parties", "result"}

    _extract(session_factory, settings, document_id, MENDED)  # the same reading again: nothing to replace
    assert len(_reread_events(session_factory)) == 1


def test_a_persons_value_the_citation_and_a_published_entry_are_kept(
        session_factory: sessionmaker[Session], settings: Settings) -> None:
    document_id = _judgment(session_factory, FIRST)
    _extract(session_factory, settings, document_id, FIRST)
    with session_factory() as db:
        row = db.scalars(select(CaseLaw).where(CaseLaw.document_id == document_id)).one()
        row.result = "partly_allowed"  # a librarian's correction
        db.commit()
    again = _extract(session_factory, settings, document_id, MENDED)
    assert again.result == "partly_allowed"
    assert again.parties == "Ahmad Ali v. Iqbal Nasir"  # nobody had changed this one

    with session_factory() as db:  # the citation the machine read is filled once, never replaced
        document = db.get(Document, document_id)
        assert document is not None
        upsert_record(db, document, extract_record([MENDED]), "PLD 2013 SC 9")
        assert upsert_record(db, document, extract_record([MENDED]), "SCMR 2013 9").replaced == {}
        db.commit()
        assert db.scalars(select(CaseLaw.citation).where(CaseLaw.document_id == document_id)).one() == "PLD 2013 SC 9"

    with session_factory() as db:
        row = db.scalars(select(CaseLaw).where(CaseLaw.document_id == document_id)).one()
        row.status = CaseLawStatus.PUBLISHED
        db.commit()
    published = _extract(session_factory, settings, document_id, FIRST)
    assert published.parties == "Ahmad Ali v. Iqbal Nasir"  # approved: kept


def test_an_entry_from_before_machine_values_only_gets_its_empty_fields_filled(
        session_factory: sessionmaker[Session], settings: Settings) -> None:
    document_id = _judgment(session_factory, FIRST)
    _extract(session_factory, settings, document_id, FIRST)
    with session_factory() as db:
        row = db.scalars(select(CaseLaw).where(CaseLaw.document_id == document_id)).one()
        row.machine_values = {}  # as migration 0017 leaves existing entries: who set what is unknown
        row.court = ""
        db.commit()
    again = _extract(session_factory, settings, document_id, MENDED)
    assert again.result == "allowed" and again.court == "Supreme Court of Pakistan"
    assert _reread_events(session_factory) == []


def _queued_extract_ids(redis: Redis) -> list[str]:
    from jobs.queues import NLP, queue

    return [job.id for job in queue(redis, NLP).jobs]


def test_reread_records_queues_the_unpublished_judgments_only(
        session_factory: sessionmaker[Session], settings: Settings, monkeypatch: pytest.MonkeyPatch,
        redis_conn: Redis) -> None:
    pending = _judgment(session_factory, FIRST)
    published = _judgment(session_factory, MENDED)
    for document_id in (pending, published):
        _extract(session_factory, settings, document_id, FIRST)
    with session_factory() as db:
        db.scalars(select(CaseLaw).where(CaseLaw.document_id == published)).one().status = CaseLawStatus.PUBLISHED
        db.commit()
        assert mark_for_reread(db) == [pending]
        db.rollback()

    from cli.main import cli
    from config.settings import get_settings

    monkeypatch.setenv("CMMS_VAR_DIR", str(settings.var_dir))  # the same SQLite database
    monkeypatch.setenv("CMMS_SECRET_KEY", settings.secret_key)
    monkeypatch.setenv("CMMS_REDIS_URL", settings.redis_url)
    get_settings.cache_clear()
    try:
        dry = CliRunner().invoke(cli, ["reread-records", "--dry-run"])
        result = CliRunner().invoke(cli, ["reread-records"]) if dry.exit_code == 0 else dry
    finally:
        get_settings.cache_clear()
    assert dry.exit_code == 0, dry.output
    assert "1 judgment(s) would be read again" in dry.output
    assert result.exit_code == 0, result.output
    assert "1 judgment(s) queued" in result.output
    with session_factory() as db:
        assert db.get(Document, pending).status == DocumentStatus.EXTRACTING  # type: ignore[union-attr]
        assert db.get(Document, published).status == DocumentStatus.INDEXED  # type: ignore[union-attr]
        assert db.scalars(select(AuditEvent).where(AuditEvent.action == "reread_start")).one().detail["documents"] == 1
    assert _queued_extract_ids(redis_conn) == [job_id(Stage.EXTRACT, pending)]
