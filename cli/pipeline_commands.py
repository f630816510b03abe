"""Pipeline commands of ``cmms``: ingest, worker, reconcile, reindex, page-vectors, hotfolder, progress,
seed-samples.

Every command reads the settings once (``get_settings``) and passes them on; errors a person can fix
become ``click.ClickException`` with the remedy.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import click
from redis import Redis
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from tqdm import tqdm

from config import Settings, get_settings
from ingest.caselaw import load_corpus_index, merge_meta
from ingest.intake import FileOutcome, IntakeRequest, OutcomeStatus, ingest_paths, iter_files
from ingest.progress import BatchProgress, batch_progress, recent_batches
from ingest.store import file_sha256
from models import (
    BatchSource,
    CaseLaw,
    District,
    DocType,
    Document,
    DocumentStatus,
    make_engine,
    make_session_factory,
)

log = logging.getLogger(__name__)

SAMPLES_SUBDIR = Path("corpus") / "pk-supreme-court"  # under CMMS_SHARED_DIR
# Small real judgments (2 scanned, 3 born-digital), 2-3 pages each: a first run finishes in minutes.
SAMPLE_FILES = (
    "scanned/judgement_Crl.P.L.A.1055-2025.pdf",
    "scanned/judgement_C.A.1286-2018.pdf",
    "digital/judgement_Crl.P.L.A.1144-2025.pdf",
    "digital/judgement_Crl.P.L.A.1212-L-2022.pdf",
    "digital/judgement_Crl.P.L.A.90-K-2023.pdf",
)
SAMPLE_DISTRICT = "Peshawar"


def _logging() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def _sessions(settings: Settings) -> sessionmaker[Session]:
    return make_session_factory(make_engine(settings.sqlalchemy_url))


def _redis(settings: Settings) -> Redis:
    return Redis.from_url(settings.redis_url)


def resolve_district(session: Session, name: str | None) -> District:
    """The district named (case-insensitive), or the only one when there is exactly one."""
    districts = list(session.scalars(select(District).order_by(District.name)))
    if name:
        for district in districts:
            if district.name.casefold() == name.strip().casefold():
                return district
    elif len(districts) == 1:
        return districts[0]
    known = ", ".join(d.name for d in districts) or "none yet (an administrator creates them)"
    what = f"District {name!r} is unknown" if name else "Give the batch's district with --district"
    raise click.ClickException(f"{what}. Known districts: {known}.")


def _request(
    session: Session, source: BatchSource, district: str | None, language: str, doc_type: str,
    case_id: int | None, fir: str,
) -> IntakeRequest:
    return IntakeRequest(
        source=source, district_id=resolve_district(session, district).id, language_hint=language,
        doc_type=DocType(doc_type), case_id=case_id, fir_hint=fir,
    )


def _operator(session: Session, given: str | None) -> dict[str, Any]:
    """``operator_id`` when ``given`` (or the login name) is a CMMS username, and always ``operator_name``."""
    from models import User

    name = (given or _login_name()).strip()[:100]
    user = session.scalars(select(User).where(func.lower(User.username) == name.lower())).first() if name else None
    return {"operator_id": user.id if user else None, "operator_name": name}


def _login_name() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers): still say something
        return "cli"


def _enqueuer(redis: Redis, settings: Settings) -> Callable[[FileOutcome], None]:
    from jobs.enqueue import enqueue_document

    def enqueue(outcome: FileOutcome) -> None:
        if outcome.needs_processing and outcome.document_id is not None:
            enqueue_document(redis, outcome.document_id, settings)

    return enqueue


def _describe(outcome: FileOutcome) -> str:
    if outcome.status is OutcomeStatus.ACCEPTED:
        return f"document {outcome.document_id} ({outcome.kind})"
    if outcome.status is OutcomeStatus.DUPLICATE:
        return f"duplicate of document {outcome.duplicate_of_id}"
    return f"{outcome.status}: {outcome.message}"


def wait_with_bar(session_factory: sessionmaker[Session], batch_id: int, timeout_s: float) -> BatchProgress:
    """A page progress bar until every document of the batch is finished (or ``timeout_s`` passes)."""
    deadline = time.monotonic() + timeout_s
    with tqdm(total=0, unit="page", desc=f"batch {batch_id} pages") as bar:
        while True:
            with session_factory() as session:
                progress = batch_progress(session, batch_id)
            bar.total = max(progress.total_pages, 1)
            bar.n = progress.pages_done
            bar.set_postfix(documents=f"{progress.documents_finished}/{len(progress.documents)}")
            bar.refresh()
            if progress.finished or time.monotonic() > deadline:
                return progress
            time.sleep(1.0)


def print_progress(progress: BatchProgress) -> None:
    click.echo(f"batch {progress.batch_id}: {progress.pages_done}/{progress.total_pages} pages, "
               f"{progress.documents_finished}/{len(progress.documents)} documents finished "
               f"({progress.fraction:.0%})")
    for doc in progress.documents:
        review = "  needs review" if doc.needs_review else ""
        if doc.duplicate_of_id is not None:
            review += f"  (same file as #{doc.duplicate_of_id})"
        line = (f"  #{doc.document_id:<6} {doc.status:<10} {doc.pages_done:>4}/{doc.page_count:<4} "
                f"{doc.filename}{review}")
        click.echo(line)
        if doc.error_message:
            click.echo(f"          {doc.error_code}: {doc.error_message}")


# --- commands ----------


@click.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--district", help="District of the batch (required when there is more than one).")
@click.option("--language", default="auto", show_default=True, help="auto, eng, urd, pus, eng+urd, ...")
@click.option("--doc-type", type=click.Choice([t.value for t in DocType]), default="other", show_default=True)
@click.option("--case", "case_id", type=int, help="Case id these documents belong to.")
@click.option("--fir", default="", help="FIR the documents belong to, e.g. 'FIR 45/2019 PS Saddar'.")
@click.option("--name", "batch_name", default="", help="Name of the batch, e.g. 'Sessions files week 12'.")
@click.option("--box", "box_number", default="", help="Box or file number of the paper.")
@click.option("--notes", default="", help="Notes on the batch.")
@click.option("--operator", default=None,
              help="Who runs the intake: a CMMS username, or a name (default: the login name).")
@click.option("--wait/--no-wait", default=True, show_default=True, help="Show page progress until done.")
@click.option("--timeout", default=3600.0, show_default=True, help="Seconds to wait for the pages.")
def ingest_command(paths: tuple[Path, ...], district: str | None, language: str, doc_type: str,
                   case_id: int | None, fir: str, batch_name: str, box_number: str, notes: str,
                   operator: str | None, wait: bool, timeout: float) -> None:
    """Ingest files and folders (recursively) as one batch, with progress bars over files then pages.
    A file that cannot be taken in (unreadable, a name that is not valid UTF-8, ...) is reported and
    the others go on."""
    settings = get_settings()
    factory = _sessions(settings)
    enqueue = _enqueuer(_redis(settings), settings)
    files = list(iter_files(paths))
    with factory() as session, tqdm(total=len(files), unit="file", desc="intake") as bar:
        request = replace(_request(session, BatchSource.CLI, district, language, doc_type, case_id, fir),
                          name=batch_name, box_number=box_number, notes=notes,
                          **_operator(session, operator))

        def on_outcome(outcome: FileOutcome) -> None:
            enqueue(outcome)
            bar.update(1)
            if outcome.status is not OutcomeStatus.ACCEPTED:
                tqdm.write(f"{outcome.filename}: {_describe(outcome)}")

        result = ingest_paths(session, settings, request, files, on_outcome)
    click.echo(f"batch {result.batch_id}: {len(result.document_ids_to_process)} of {len(files)} files queued")
    if wait and result.document_ids_to_process:
        print_progress(wait_with_bar(factory, result.batch_id, timeout))


@click.command("worker")
@click.option("--queues", default="index,nlp,ocr", show_default=True,
              help="Comma-separated queues, in priority order (ocr, nlp, index).")
@click.option("--burst", is_flag=True, help="Stop when the queues are empty.")
def worker_command(queues: str, burst: bool) -> None:
    """Run one RQ worker (one Tesseract thread; run several for parallelism)."""
    from jobs.worker import WorkerStartupError, run_worker
    from ocr.tesseract import TesseractUnavailable

    _logging()
    names = [q.strip() for q in queues.split(",") if q.strip()]
    try:
        run_worker(get_settings(), names, burst=burst)
    except (WorkerStartupError, TesseractUnavailable) as exc:
        raise click.ClickException(str(exc)) from exc


@click.command("reconcile")
@click.option("--every", type=float, default=None, help="Repeat every N seconds (run under supervisord).")
@click.option("--grace", type=float, default=10.0, show_default=True,
              help="Ignore rows changed in the last N seconds (their job may be about to be enqueued).")
def reconcile_command(every: float | None, grace: float) -> None:
    """Re-enqueue unfinished work whose RQ job has vanished (Redis restart, killed worker)."""
    from jobs.reconcile import reconcile, run_forever

    _logging()
    settings = get_settings()
    factory, redis = _sessions(settings), _redis(settings)
    if every:
        run_forever(factory, redis, settings, every, grace)
    report = reconcile(factory, redis, settings, grace_s=grace)
    click.echo(report.summary())
    for jid, state in sorted(report.requeued.items()):
        click.echo(f"  {jid}: {state}")


@click.command("reindex")
@click.option("--page-vectors/--no-page-vectors", "with_vectors", default=False, show_default=True,
              help="Also rebuild the case-law page vectors from the new index (cmms page-vectors).")
def reindex_command(with_vectors: bool) -> None:
    """Rebuild the search index from the database into new indices, then swap the aliases."""
    from indexer import rebuild
    from indexer.client import make_es_client

    settings = get_settings()
    es = make_es_client(settings)
    with _sessions(settings)() as session:
        report = rebuild(session, es, settings)
    click.echo(f"indexed {report.documents} documents, {report.pages} pages into {report.pages_index} "
               f"in {report.seconds:.1f} s")
    if with_vectors:
        _build_page_vectors(settings, es)


def _build_page_vectors(settings: Settings, es: Any) -> None:
    from caselaw.page_vectors import PageVectorsError
    from indexer import IndexNames
    from indexer.page_tokens import build_page_vectors

    alias = IndexNames.from_settings(settings).alias("pages")
    try:
        manifest = build_page_vectors(es, alias, settings.page_vectors_dir)
    except PageVectorsError as exc:
        raise click.ClickException(f"page vectors not built: {exc}. Index some case law first.") from exc
    click.echo(f"page vectors of {manifest.pages} pages ({manifest.documents} judgments) from {manifest.index}, "
               f"trained in {manifest.train_seconds:.0f} s, stored in {settings.page_vectors_dir}")
    if not settings.caselaw_page_vectors:
        click.echo("CMMS_CASELAW_PAGE_VECTORS is off: \"find similar\" keeps the text ranking alone.")


@click.command("page-vectors")
@click.option("--every", type=float, default=None,
              help="Run under supervisord: every N seconds, rebuild only if the case law changed since the "
                   "last build (CMMS_PAGE_VECTORS_INTERVAL_S).")
def page_vectors_command(every: float | None) -> None:
    """(Re)build the case-law page vectors "find similar judgments" fuses with the text ranking.

    Derived data, read from the search index (never the system of record). The stack's page-vectors
    program rebuilds them when the case law has changed (checked every CMMS_PAGE_VECTORS_INTERVAL_S);
    judgments indexed since the last build rank by their text alone until the next one. Run it by
    hand after 'cmms reindex' (or use 'cmms reindex --page-vectors'). Takes a few minutes per 25,000
    pages (three models, one thread each)."""
    from indexer.client import make_es_client

    _logging()
    settings = get_settings()
    es = make_es_client(settings)
    if every:
        _rebuild_page_vectors_forever(settings, es, every)
    _build_page_vectors(settings, es)


@click.command("reread-records")
@click.option("--dry-run", is_flag=True, help="Only count the judgments that would be read again.")
def reread_records_command(dry_run: bool) -> None:
    """Read the records of unpublished judgments again with the current rules (after an upgrade that
    improved the judgment-record rules, README upgrade notes).

    Each judgment not yet published whose document is indexed goes through the extract and index stages
    again (pages are not OCR'd again). A value of its record is replaced only where the machine read it
    before and nobody changed it since; a librarian's or the corpus index's values, the citation and
    every published judgment stay as they are. Each replacement is audited ("reread"). Needs the
    workers running (cmms up)."""
    from ingest.caselaw import mark_for_reread
    from jobs.enqueue import enqueue_extract
    from models import record_audit, session_scope

    settings = get_settings()
    factory = _sessions(settings)
    with session_scope(factory) as session:
        ids = mark_for_reread(session)
        if dry_run:
            session.rollback()
            click.echo(f"{len(ids)} judgment(s) would be read again")
            return
        record_audit(session, action="reread_start", username="(cli)", object_type="case_law", via="cli",
                     documents=len(ids), signing_key=settings.audit_key)
    redis = _redis(settings)
    for document_id in ids:
        enqueue_extract(redis, document_id, settings)
    click.echo(f"{len(ids)} judgment(s) queued to be read again by the workers")


RETRY_S = 60  # after an Elasticsearch error, the page-vectors program looks again this soon


def _rebuild_page_vectors_forever(settings: Settings, es: Any, every: float) -> None:
    """Every ``every`` seconds: rebuild the page vectors if the case law changed since the last build
    (``indexer.page_tokens.rebuild_if_stale``). A failure is logged and tried again: too little case
    law yet at the next check, an Elasticsearch error (not up yet, or down) after ``RETRY_S``."""
    from elasticsearch import ApiError, TransportError

    from caselaw.page_vectors import PageVectorsError
    from indexer import IndexNames
    from indexer.page_tokens import rebuild_if_stale

    alias = IndexNames.from_settings(settings).alias("pages")
    while True:
        wait = every
        if settings.caselaw_page_vectors:
            try:
                manifest = rebuild_if_stale(es, alias, settings.page_vectors_dir)
                if manifest is not None:
                    log.info("page vectors: %d pages of %d judgments", manifest.pages, manifest.documents)
            except PageVectorsError as exc:  # too little case law yet: look again at the next check
                log.warning("page vectors not rebuilt: %s", exc)
            except (ApiError, TransportError) as exc:  # Elasticsearch not up yet, or down: try again soon
                log.warning("page vectors not rebuilt (retry in %d s): %s", RETRY_S, exc)
                wait = min(every, RETRY_S)
        time.sleep(wait)


@click.command("hotfolder")
@click.option("--district", help="District for files in the top folder (sub-folders name their district).")
@click.option("--language", default="auto", show_default=True)
@click.option("--doc-type", type=click.Choice([t.value for t in DocType]), default="other", show_default=True)
@click.option("--interval", default=1.0, show_default=True, help="Seconds between scans.")
@click.option("--once", is_flag=True, help="Scan until the files present have settled, take them, exit.")
def hotfolder_command(
    district: str | None, language: str, doc_type: str, interval: float, once: bool
) -> None:
    """Watch the hot folder; take each file once its size has settled; move it to done/ or failed/."""
    from ingest.hotfolder import SettleTracker, candidates, ready_files, take_ready

    _logging()
    settings = get_settings()
    root = settings.hot_folder_dir
    root.mkdir(parents=True, exist_ok=True)
    factory = _sessions(settings)
    enqueue = _enqueuer(_redis(settings), settings)
    tracker = SettleTracker(settings.hot_folder_settle_s)
    log.info("watching %s (settle %.1f s)", root, settings.hot_folder_settle_s)
    while True:
        ready = ready_files(root, tracker)
        if ready:
            with factory() as session:
                def request_for(folder: str | None, session: Session = session) -> IntakeRequest | None:
                    try:
                        return _request(session, BatchSource.HOT_FOLDER, folder or district, language,
                                        doc_type, None, "")
                    except click.ClickException as exc:
                        log.warning("hot folder: %s left in place: %s", folder or root, exc.message)
                        return None

                for result in take_ready(session, settings, root, ready, request_for, enqueue):
                    log.info("hot folder: batch %s, %d file(s)", result.batch_id, len(result.outcomes))
        if once and not any(True for _ in candidates(root)):
            return
        time.sleep(interval)


@click.command("progress")
@click.argument("batch_id", type=int, required=False)
def progress_command(batch_id: int | None) -> None:
    """Pages done out of total for a batch and each of its documents (default: the last 10 batches)."""
    settings = get_settings()
    with _sessions(settings)() as session:
        ids = [batch_id] if batch_id is not None else list(reversed(recent_batches(session)))
        if not ids:
            click.echo("no batches yet")
        for bid in ids:
            try:
                print_progress(batch_progress(session, bid))
            except LookupError as exc:
                raise click.ClickException(str(exc)) from exc


@click.command("seed-samples")
@click.option("--wait/--no-wait", default=True, show_default=True)
def seed_samples_command(wait: bool) -> None:
    """Ingest the sample judgments (2 scanned, 3 born-digital) once; later runs find them present."""
    seed_samples(get_settings(), wait=wait)


def _sample_district(session: Session) -> District:
    stmt = select(District).where(func.lower(District.name) == SAMPLE_DISTRICT.lower())
    district = session.scalars(stmt).first()
    if district is None:
        district = District(name=SAMPLE_DISTRICT)
        session.add(district)
        session.commit()
    return district


def seed_samples(settings: Settings, wait: bool = True, timeout_s: float = 900.0,
                 samples_dir: Path | None = None) -> int | None:
    """Idempotent: files already in the database are skipped. Returns the new batch id, if any.
    ``samples_dir`` defaults to the Court's judgments in the shared corpus (``settings.shared_dir``)."""
    samples_dir = samples_dir or settings.shared_dir / SAMPLES_SUBDIR
    files = [samples_dir / name for name in SAMPLE_FILES]
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        raise click.ClickException(f"sample files not found: {', '.join(missing)}")
    factory = _sessions(settings)
    with factory() as session:
        stmt = select(Document.sha256).where(Document.status != DocumentStatus.DUPLICATE)
        present = set(session.scalars(stmt))
        new = [f for f in files if file_sha256(f) not in present]
        if not new:
            click.echo(f"samples: all {len(files)} already ingested")
            return None
        request = IntakeRequest(source=BatchSource.CLI, district_id=_sample_district(session).id,
                                language_hint="eng", doc_type=DocType.JUDGMENT)
        result = ingest_paths(session, settings, request, new)
        _apply_corpus_metadata(session, samples_dir, result.outcomes, [f.name for f in new])
        session.commit()
    enqueue = _enqueuer(_redis(settings), settings)
    for outcome in result.outcomes:
        enqueue(outcome)
    click.echo(f"samples: batch {result.batch_id}, {len(result.document_ids_to_process)} document(s) queued")
    if wait:
        progress = wait_with_bar(factory, result.batch_id, timeout_s)
        print_progress(progress)
        if not progress.finished:
            click.echo("samples: still being processed in the background (see cmms progress)")
    return result.batch_id


def _apply_corpus_metadata(session: Session, samples_dir: Path, outcomes: tuple[FileOutcome, ...],
                           names: list[str]) -> None:
    """The Court's own metadata (index.tsv) for the case-law entry; the extraction step only fills
    fields still empty."""
    index = samples_dir / "index.tsv"
    if not index.is_file():
        return
    metadata = load_corpus_index(index)
    for outcome, name in zip(outcomes, names, strict=True):
        meta = metadata.get(name)
        if meta is None or outcome.document_id is None or outcome.status is not OutcomeStatus.ACCEPTED:
            continue
        row = session.scalars(select(CaseLaw).where(CaseLaw.document_id == outcome.document_id)).first()
        if row is None:
            row = CaseLaw(document_id=outcome.document_id)
            session.add(row)
        merge_meta(row, meta)
        document = session.get(Document, outcome.document_id)
        if document is not None and meta.parties:
            document.title = meta.parties[:300]
    session.flush()


COMMANDS = [
    ingest_command, worker_command, reconcile_command, reindex_command, page_vectors_command, hotfolder_command,
    progress_command, seed_samples_command, reread_records_command,
]
