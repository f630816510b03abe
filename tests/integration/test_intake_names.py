"""One bad file name never stops a batch (issue 15, kind 4): ``cmms ingest`` on a folder whose files
include a name that is not valid UTF-8, a bidi-override name and an unreadable file; the hot folder with
the same. Every other file is taken in, the names are kept as escaped display text, and no stored bytes
are left without a row. Real files on disk, the real CLI process, SQLite and Redis."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from config import Settings
from ingest.hotfolder import take_ready
from ingest.intake import IntakeRequest
from models import Batch, BatchSource, District, Document, Role, StoredFile
from tests.integration.web_support import make_user

CMMS = Path(sys.executable).parent / "cmms"


def _pdf(tag: str) -> bytes:
    return f"%PDF-1.4\n% {tag}\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".encode()


def _folder(root: Path) -> Path:
    folder = root / "scans"
    folder.mkdir()
    (folder / "01 first.pdf").write_bytes(_pdf("first"))
    (folder / "02 second.pdf").write_bytes(_pdf("second"))
    bad = os.path.join(os.fsencode(folder), b"03 caf\xe9 \xff\xfe.pdf")  # Latin-1 from an old scanner share
    with open(bad, "wb") as fh:
        fh.write(_pdf("latin1"))
    (folder / "04 evil\u202efdp.exe.pdf").write_bytes(_pdf("bidi"))
    locked = folder / "05 locked.pdf"
    locked.write_bytes(_pdf("locked"))
    locked.chmod(0)
    for i in range(6, 10):
        (folder / f"{i:02d} later.pdf").write_bytes(_pdf(f"later {i}"))
    return folder


def _no_orphans(settings: Settings, factory: sessionmaker[Session]) -> None:
    with factory() as db:
        rows = {s.sha256 for s in db.scalars(select(StoredFile))}
    stored = [p.name for area in ("originals", "quarantine") for p in (settings.files_dir / area).rglob("*")
              if p.is_file()]
    assert sorted(stored) == sorted(rows)


@pytest.mark.redis
def test_cmms_ingest_takes_every_file_despite_bad_names(
    tmp_path: Path, settings: Settings, session_factory: sessionmaker[Session], redis_conn: object
) -> None:
    with session_factory() as db:
        db.add(District(name="Peshawar"))
        db.commit()
    make_user(session_factory, "clerk", Role.DATA_ENTRY, ["Peshawar"])
    folder = _folder(tmp_path)
    if os.geteuid() == 0:  # root reads a mode-000 file; a dangling link cannot be opened by anyone
        locked = folder / "05 locked.pdf"
        locked.unlink()
        locked.symlink_to(tmp_path / "gone.pdf")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CMMS_")}
    env.update({"CMMS_ENVIRONMENT": "test", "CMMS_VAR_DIR": str(settings.var_dir),
                "CMMS_REDIS_URL": settings.redis_url, "CMMS_SECRET_KEY": settings.secret_key,
                "CMMS_ES_URL": settings.es_url})
    done = subprocess.run([str(CMMS), "ingest", str(folder), "--district", "Peshawar", "--no-wait",
                           "--operator", "clerk", "--name", "Old share", "--box", "Box 9"],
                          env=env, capture_output=True, timeout=120)
    output = done.stdout.decode(errors="replace") + done.stderr.decode(errors="replace")
    assert done.returncode == 0, output
    assert "Traceback" not in output
    with session_factory() as db:
        names = sorted(d.original_filename for d in db.scalars(select(Document)))
        batch = db.scalars(select(Batch)).one()
        assert (batch.operator_name, batch.operator_id is not None, batch.name, batch.box_number) == (
            "clerk", True, "Old share", "Box 9")
    assert "03 café \\xff\\xfe.pdf" not in names  # é alone was Latin-1 too: every byte is escaped
    assert "03 caf\\xe9 \\xff\\xfe.pdf" in names
    assert "04 evil\\u202efdp.exe.pdf" in names
    assert {"01 first.pdf", "02 second.pdf", "06 later.pdf", "07 later.pdf", "08 later.pdf",
            "09 later.pdf"} <= set(names)
    assert "05 locked.pdf" in names or "05 locked.pdf" in output  # reported, never skipped in silence
    assert "8 of 9 files queued" in output
    _no_orphans(settings, session_factory)


def test_hot_folder_moves_every_file_despite_bad_names(
    tmp_path: Path, settings: Settings, session_factory: sessionmaker[Session]
) -> None:
    with session_factory() as db:
        district = District(name="Mardan")
        db.add(district)
        db.commit()
        district_id = district.id
    root = tmp_path / "hot"
    root.mkdir()
    bad = os.path.join(os.fsencode(root), b"scan-\xff.pdf")
    with open(bad, "wb") as fh:
        fh.write(_pdf("bad name"))
    (root / "good.pdf").write_bytes(_pdf("good"))
    (root / "note.pdf").write_text("not a pdf at all")
    ready = [(root / os.fsdecode(b"scan-\xff.pdf"), None), (root / "good.pdf", None), (root / "note.pdf", None)]
    with session_factory() as session:
        results = take_ready(session, settings, root, ready,
                             lambda _folder: IntakeRequest(BatchSource.HOT_FOLDER, district_id))
    assert [o.status for o in results[0].outcomes] == ["accepted", "accepted", "failed"]
    assert sorted(os.listdir(os.fsencode(root / "done"))) == [b"good.pdf", b"scan-\xff.pdf"]
    assert (root / "failed" / "note.pdf.reason.txt").read_text().startswith("This file is not a PDF or image")
    assert not [p for p in root.iterdir() if p.is_file()]
    _no_orphans(settings, session_factory)
