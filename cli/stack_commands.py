"""``cmms up``, ``cmms down``, ``cmms status`` and ``cmms db``: the local stack's life cycle."""

from __future__ import annotations

import secrets
import shutil
import subprocess
import time
from pathlib import Path

import click
from sqlalchemy import select

from config import Settings, get_settings
from models import District, Role, User, make_engine, make_session_factory, session_scope
from models.migrate import current_revision, head_revision, upgrade_database
from stack import elasticsearch as es_node
from stack import supervisor
from stack.ports import port_open, wait_for

ADMIN_USERNAME = "admin"
SAMPLE_DISTRICTS = ("Peshawar", "Mardan", "Swat", "Abbottabad", "Dera Ismail Khan", "Kohat")
# How a path default reads in the README table (other paths default to a place under VAR_DIR).
_PATH_DEFAULTS = {"var_dir": "./var", "shared_dir": "../shared"}


def migrate(settings: Settings) -> None:
    """Bring the schema to head, then encrypt any TOTP secret still stored plain (migration 0012
    cannot: the key is a setting), so none stays readable in the database or its backups."""
    from search_app.auth.mfa_secrets import seal_plain_secrets

    settings.var_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.sqlalchemy_url)
    upgrade_database(engine)
    with session_scope(make_session_factory(engine)) as session:
        sealed = seal_plain_secrets(session, settings)
    if sealed:
        click.echo(f"encrypted {sealed} TOTP secret(s) stored before encryption")
    engine.dispose()


def ensure_admin(settings: Settings) -> tuple[str, str]:
    """Create the first admin (and the sample districts) once; return the login to print.

    The generated password is kept in ``VAR_DIR/admin-password.txt`` (mode 0600) so a second
    ``cmms up`` prints the same login. Change it in the app; the file is then only a hint.
    """
    from search_app.auth.passwords import hash_password

    password_file = settings.var_dir / "admin-password.txt"
    engine = make_engine(settings.sqlalchemy_url)
    with session_scope(make_session_factory(engine)) as session:
        for name in SAMPLE_DISTRICTS:
            if session.scalar(select(District).where(District.name == name)) is None:
                session.add(District(name=name))
        if session.scalar(select(User).where(User.username == ADMIN_USERNAME)) is None:
            password = secrets.token_urlsafe(12)
            session.add(User(username=ADMIN_USERNAME, full_name="Administrator", role=Role.ADMIN,
                             all_districts=True, password_hash=hash_password(password)))
            password_file.write_text(password + "\n")
            password_file.chmod(0o600)
    engine.dispose()
    password = password_file.read_text().strip() if password_file.exists() else "(set by an administrator)"
    return ADMIN_USERNAME, password


def _wait_healthy(settings: Settings) -> None:
    from redis import Redis

    from indexer.client import make_es_client

    click.echo("waiting for Elasticsearch ...", nl=False)
    es_node.wait_until_healthy(settings.es_url, timeout_s=180)
    click.echo(" ok")
    redis = Redis.from_url(settings.redis_url)
    wait_for(lambda: _redis_ok(redis), 60, "Redis")
    click.echo("redis ok")
    wait_for(lambda: port_open(settings.web_host, settings.web_port), 60, "web app")
    click.echo("web app ok")
    from indexer.aliases import ensure_indices

    ensure_indices(make_es_client(settings), settings)


def _redis_ok(redis: object) -> bool:
    try:
        return bool(redis.ping())  # type: ignore[attr-defined]
    except Exception:
        return False


@click.command()
@click.option("--no-samples", is_flag=True, help="Do not ingest the sample documents.")
def up(no_samples: bool) -> None:
    """Start everything the local system needs and print the URL and login."""
    settings = get_settings()
    started = time.monotonic()
    migrate(settings)
    username, password = ensure_admin(settings)
    supervisor.start(settings)
    _wait_healthy(settings)
    if not no_samples:
        from cli.pipeline_commands import seed_samples

        seed_samples(settings, wait=True)
        _sample_page_vectors(settings)
    click.echo("")
    click.echo(f"CMMS is running (ready in {time.monotonic() - started:.0f} s)")
    click.echo(f"  URL:      http://{settings.web_host}:{settings.web_port}/")
    click.echo(f"  login:    {username} / {password}")
    click.echo(f"  logs:     {settings.var_dir / 'log'}")
    click.echo("  stop:     cmms down")


def _sample_page_vectors(settings: Settings) -> None:
    """Page vectors for "find similar" over the samples just indexed, so the first visit uses them
    (the page-vectors program would otherwise build them at its first check). A failure is shown
    and the stack keeps running: "find similar" then ranks by text alone."""
    if not settings.caselaw_page_vectors:
        return
    from elasticsearch import ApiError, TransportError

    from caselaw.page_vectors import PageVectorsError
    from indexer import IndexNames
    from indexer.client import make_es_client
    from indexer.page_tokens import rebuild_if_stale

    es = make_es_client(settings)
    alias = IndexNames.from_settings(settings).alias("pages")
    try:
        manifest = rebuild_if_stale(es, alias, settings.page_vectors_dir)
    except (PageVectorsError, ApiError, TransportError) as exc:
        click.echo(f"page vectors: not built yet ({exc}); \"find similar\" ranks by text alone")
        return
    if manifest is None:  # still match the case law (built before this start-up)
        return
    click.echo(f"page vectors: {manifest.pages} pages of {manifest.documents} judgments "
               f"({manifest.train_seconds:.0f} s)")


@click.command()
def down() -> None:
    """Stop every local CMMS process."""
    settings = get_settings()
    if supervisor.stop(settings):
        click.echo("CMMS stopped")
    else:
        raise click.ClickException("supervisord did not stop in time; see var/log/supervisord.log")


@click.command()
def status() -> None:
    """Report each component: reachable, version, Tesseract languages, queue depths."""
    settings = get_settings()
    ok = True
    for line in supervisor.status_lines(settings) or ["supervisord: not running"]:
        click.echo(f"process  {line}")
    ok &= _status_database(settings)
    ok &= _status_elasticsearch(settings)
    ok &= _status_redis(settings)
    ok &= _status_tesseract()
    web_ok = port_open(settings.web_host, settings.web_port)
    click.echo(f"web      {'ok' if web_ok else 'DOWN'}  http://{settings.web_host}:{settings.web_port}/")
    if not (ok and web_ok):
        raise SystemExit(1)


def _status_database(settings: Settings) -> bool:
    try:
        engine = make_engine(settings.sqlalchemy_url)
        current, head = current_revision(engine), head_revision()
        engine.dispose()
    except Exception as exc:
        click.echo(f"database DOWN  {exc}")
        return False
    state = "ok" if current == head else f"NEEDS MIGRATION (at {current}, head {head})"
    click.echo(f"database {state}  {settings.sqlalchemy_url.split('@')[-1]} revision {current}")
    return current == head


def _status_elasticsearch(settings: Settings) -> bool:
    from indexer.client import make_es_client

    try:
        es = make_es_client(settings)
        info, health = es.info(), es.cluster.health()
    except Exception as exc:
        click.echo(f"elastic  DOWN  {settings.es_url}: {exc.__class__.__name__}")
        return False
    click.echo(f"elastic  ok  {settings.es_url} version {info['version']['number']} health {health['status']}")
    return health["status"] in ("green", "yellow")


def _status_redis(settings: Settings) -> bool:
    from redis import Redis
    from rq import Queue
    from rq.registry import FailedJobRegistry, StartedJobRegistry

    from jobs.queues import QUEUE_NAMES

    try:
        redis = Redis.from_url(settings.redis_url)
        version = redis.info()["redis_version"]
    except Exception as exc:
        click.echo(f"redis    DOWN  {settings.redis_url}: {exc.__class__.__name__}")
        return False
    depths = []
    for name in QUEUE_NAMES:
        queue = Queue(name, connection=redis)
        started = StartedJobRegistry(queue=queue).count
        failed = FailedJobRegistry(queue=queue).count
        depths.append(f"{name}: {queue.count} queued/{started} running/{failed} failed")
    click.echo(f"redis    ok  version {version}; " + "; ".join(depths))
    return True


def _status_tesseract() -> bool:
    binary = shutil.which("tesseract")
    if binary is None:
        click.echo("tesseract MISSING (Debian package tesseract-ocr)")
        return False
    version = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    langs = subprocess.run([binary, "--list-langs"], capture_output=True, text=True).stdout.split()[-4:]
    needed = {"eng", "urd", "pus", "osd"}
    missing = needed - set(langs)
    click.echo(f"tesseract {'ok' if not missing else 'MISSING ' + ','.join(sorted(missing))}  {version}"
               f" languages {','.join(sorted(set(langs) & needed))}")
    return not missing


@click.group()
def db() -> None:
    """Database schema commands."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply the Alembic migrations (idempotent)."""
    migrate(get_settings())
    click.echo(f"database at revision {head_revision()}")


@db.command("collisions")
def db_collisions() -> None:
    """List rows the upgrade left in their old form because rewriting them would make two rows one
    (an FIR or a police station typed two ways; migration 0014); exit 1 if there are any."""
    from casework.fir_identity import read_rewrites

    engine = make_engine(get_settings().sqlalchemy_url)
    with engine.connect() as connection:
        collisions = read_rewrites(connection).collisions
    engine.dispose()
    for collision in collisions:
        click.echo(collision.describe())
    click.echo(f"{len(collisions)} collision(s): merge or correct those rows, then run this again"
               if collisions else "no collisions: every FIR number and station name is in one form")
    if collisions:
        raise SystemExit(1)


@click.command("config")
@click.option("--markdown", is_flag=True, help="Print the settings table used in the README.")
def config_command(markdown: bool) -> None:
    """Show the effective settings (secrets hidden), or document every variable."""
    from config.settings import Settings as SettingsClass

    if markdown:
        click.echo("| variable | default | meaning |\n|---|---|---|")
        for name, field in SettingsClass.model_fields.items():
            default = field.default if field.default not in (None, "") else "(empty)"
            if isinstance(default, Path):
                default = _PATH_DEFAULTS.get(name, "VAR_DIR/...")
            click.echo(f"| `CMMS_{name.upper()}` | `{default}` | {field.description} |")
        return
    for name, value in get_settings().model_dump().items():
        shown = "***" if any(s in name for s in ("secret", "password", "api_key")) and value else value
        click.echo(f"CMMS_{name.upper()}={shown}")
