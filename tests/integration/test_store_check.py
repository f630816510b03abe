"""``cmms files check``: an original that is missing or changed is found (exit 1); orphans and
temporary files a crash leaves are listed and swept only once old (real SQLite, real files)."""

from __future__ import annotations

import io
import os
import time
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy.orm import Session, sessionmaker

from config import Settings
from ingest.store import FileStore
from ingest.store_check import check_store
from models import StoredFile

DAY = 24 * 3600


def _store(settings: Settings, factory: sessionmaker[Session], *contents: bytes) -> tuple[FileStore, list[str]]:
    store = FileStore(settings.files_dir)
    shas = []
    with factory() as db:
        for data in contents:
            blob = store.put_original(io.BytesIO(data), max_bytes=1 << 20)
            db.add(StoredFile(sha256=blob.sha256, size_bytes=blob.size_bytes, relative_path=blob.relative_path))
            shas.append(blob.sha256)
        db.commit()
    return store, shas


def _age(path: Path, seconds: int) -> None:
    past = time.time() - seconds
    os.utime(path, (past, past))


def test_missing_and_changed_originals_are_found_and_crash_leftovers_swept_when_old(
        settings: Settings, session_factory: sessionmaker[Session]) -> None:
    store, (kept, lost, resized, altered) = _store(settings, session_factory, b"%PDF-1.4 kept", b"%PDF-1.4 lost",
                                                   b"%PDF-1.4 resized", b"%PDF-1.4 altered")
    with session_factory() as db:
        assert check_store(db, store, full=True).ok  # control: an intact store passes

    # a crash between storing a file and committing its row leaves an orphan; one half-written upload
    orphan = store.put_original(io.BytesIO(b"%PDF-1.4 never committed"), max_bytes=1 << 20)
    fresh_orphan = store.put_original(io.BytesIO(b"%PDF-1.4 upload in flight"), max_bytes=1 << 20)
    temp = store.root / "tmp" / "upload-crashed"
    temp.write_bytes(b"half")
    _age(store.root / orphan.relative_path, 2 * DAY)
    _age(temp, 2 * DAY)
    # damage: one original deleted, one cut short, one with the same size but other bytes
    for sha, change in ((lost, None), (resized, b"%PDF"), (altered, b"%PDF-1.4 ALTERED")):
        path = store.root / f"originals/{sha[:2]}/{sha[2:4]}/{sha}"
        os.chmod(path, 0o644)
        if change is None:
            path.unlink()
        else:
            path.write_bytes(change)

    with session_factory() as db:
        quick = check_store(db, store)
        assert (quick.missing, quick.wrong_size, quick.wrong_hash) == ([lost], [resized], [])  # sizes only
        report = check_store(db, store, full=True, sweep_after=timedelta(hours=24))
    assert not report.ok and (report.missing, report.wrong_size, report.wrong_hash) == ([lost], [resized], [altered])
    assert sorted(report.orphans) == sorted([orphan.relative_path, fresh_orphan.relative_path])
    assert report.temp_files == ["tmp/upload-crashed"]
    assert sorted(report.removed) == sorted([orphan.relative_path, "tmp/upload-crashed"])  # the fresh one stays
    assert not (store.root / orphan.relative_path).exists() and (store.root / fresh_orphan.relative_path).exists()
    assert (store.root / f"originals/{kept[:2]}/{kept[2:4]}/{kept}").exists()  # rows' files are never swept


def test_the_sweep_spares_an_old_orphan_that_a_new_upload_of_the_same_bytes_now_uses(
        settings: Settings, session_factory: sessionmaker[Session]) -> None:
    store = FileStore(settings.files_dir)
    orphan = store.put_original(io.BytesIO(b"%PDF-1.4 stored, then the crash"), max_bytes=1 << 20)
    _age(store.root / orphan.relative_path, 2 * DAY)
    again = store.put_original(io.BytesIO(b"%PDF-1.4 stored, then the crash"), max_bytes=1 << 20)  # re-upload
    assert not again.created  # the same file: touched, so it is no longer old
    with session_factory() as db:
        report = check_store(db, store, sweep_after=timedelta(hours=24))
    assert report.orphans == [orphan.relative_path] and report.removed == []  # its row is not committed yet
    # a row committed after the check read the rows (a long --full run) is seen just before removal
    _age(store.root / orphan.relative_path, 2 * DAY)
    with session_factory() as db:
        from ingest import store_check

        real_files = store_check._files

        def files_then_commit(root: Path, folder: str, pattern: str = "*"):  # type: ignore[no-untyped-def]
            found = list(real_files(root, folder, pattern))
            if folder == "originals":
                with session_factory() as other:
                    other.add(StoredFile(sha256=orphan.sha256, size_bytes=orphan.size_bytes,
                                         relative_path=orphan.relative_path))
                    other.commit()
            return iter(found)

        store_check._files = files_then_commit  # type: ignore[assignment]
        try:
            report = check_store(db, store, sweep_after=timedelta(hours=24))
        finally:
            store_check._files = real_files  # type: ignore[assignment]
    assert report.orphans == [orphan.relative_path] and report.removed == []
    assert (store.root / orphan.relative_path).exists()


def test_cmms_files_check_exits_1_on_a_lost_original(
        settings: Settings, session_factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch) -> None:
    from cli.main import cli
    from config.settings import get_settings

    store, (sha,) = _store(settings, session_factory, b"%PDF-1.4 one")
    monkeypatch.setenv("CMMS_VAR_DIR", str(settings.var_dir))
    monkeypatch.setenv("CMMS_SECRET_KEY", settings.secret_key)
    get_settings.cache_clear()
    try:
        good = CliRunner().invoke(cli, ["files", "check", "--full"])
        assert good.exit_code == 0 and good.output.startswith("OK: 1 original(s)"), good.output
        path = store.root / f"originals/{sha[:2]}/{sha[2:4]}/{sha}"
        os.chmod(path, 0o644)
        path.unlink()
        bad = CliRunner().invoke(cli, ["files", "check"])
        assert bad.exit_code == 1 and f"missing: {sha}" in bad.output and "DAMAGED" in bad.output, bad.output
    finally:
        get_settings.cache_clear()
