"""A small, real world for the web tests: two districts, users of each role, documents with pages,
word boxes, page images and originals in the file store, case law with citations; indexed into the
real Elasticsearch with the indexer's own ``index_document``.

The page texts are written for these tests (no corpus file is needed): one page carries a
``<script>`` tag, as an OCR'd web page or a crafted upload could, to prove it is shown as text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from PIL import Image
from sqlalchemy.orm import Session, sessionmaker

from config import Settings
from models import (
    Batch,
    BatchSource,
    Case,
    CaseLaw,
    CaseLawCitation,
    CaseLawStatus,
    District,
    DocType,
    Document,
    DocumentStatus,
    Entity,
    FileKind,
    Page,
    PageStatus,
    PoliceStation,
    Role,
    StoredFile,
    TextSource,
    User,
)
from tests.mfa_support import answer_mfa, enrol

PASSWORD = "correct horse battery staple 42"
PAGE_W, PAGE_H = 1240, 1754  # A4 at 150 dpi
CHAR_W, LINE_H, MARGIN = 14, 40, 60

PESHAWAR_TEXT = [
    "The accused Gul Khan was charged under section 302 PPC for qatl-e-amd of the deceased.",
    "Witness statement: <script>alert('owned')</script> was printed on the seized web page.",
    "The prosecution relied on PLD 2019 SC 64 and the recovery of the pistol.",
]
PESHAWAR_TEXT_2 = ["Second page: the complainant Sher Ali identified the accused at the scene."]
URDU_TEXT = ["ملزم کے خلاف مقدمہ درج کیا گیا"]
MARDAN_TEXT = ["Mardan file: zarghuna orchard dispute and the recovery memo of the kalashnikov."]
JUDGMENT_TEXT = ["Benefit of doubt: the conviction was set aside, relying on PLD 2019 SC 64 as precedent."]


@dataclass
class World:
    users: dict[str, User] = field(default_factory=dict)
    districts: dict[str, District] = field(default_factory=dict)
    docs: dict[str, Document] = field(default_factory=dict)
    cases: dict[str, Case] = field(default_factory=dict)
    caselaw: dict[str, CaseLaw] = field(default_factory=dict)


def layout_words(lines: list[str]) -> tuple[str, list[list[Any]]]:
    """Page text and word boxes laid out line by line (monospaced), like Tesseract's compact list."""
    words: list[list[Any]] = []
    text_parts: list[str] = []
    offset = 0
    for line_no, line in enumerate(lines):
        for match in re.finditer(r"\S+", line):
            left = MARGIN + match.start() * CHAR_W
            top = MARGIN + line_no * LINE_H
            words.append([match.group(), left, top, len(match.group()) * CHAR_W, 30, 91.5,
                          offset + match.start(), offset + match.end()])
        text_parts.append(line)
        offset += len(line) + 1
    return "\n".join(text_parts), words


def _store(settings: Settings, relative: str, data: bytes) -> None:
    path = settings.files_dir / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _page_image(settings: Settings, relative: str) -> None:
    path = settings.files_dir / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("L", (PAGE_W, PAGE_H), 255).save(path, format="PNG")


def add_document(
    db: Session, settings: Settings, *, key: str, district: District, pages: list[list[str]],
    filename: str, doc_type: DocType = DocType.FIR, case: Case | None = None, language: str = "eng",
    status: DocumentStatus = DocumentStatus.INDEXED,
) -> Document:
    content = f"%PDF-1.4 test original {key}\n".encode()
    sha = f"{abs(hash(key)):064d}"[-64:]
    relative = f"originals/{sha[:2]}/{sha}.pdf"
    _store(settings, relative, content)
    db.add(StoredFile(sha256=sha, size_bytes=len(content), kind=FileKind.PDF, relative_path=relative))
    batch = Batch(source=BatchSource.UPLOAD, district_id=district.id)
    db.add(batch)
    db.flush()
    document = Document(
        batch_id=batch.id, sha256=sha, original_filename=filename, kind=FileKind.PDF, doc_type=doc_type,
        title=f"{key} file", district_id=district.id, case_id=case.id if case else None, status=status,
        page_count=len(pages), pages_done=len(pages),
    )
    db.add(document)
    db.flush()
    for number, lines in enumerate(pages, start=1):
        text, words = layout_words(lines)
        image = f"derived/{document.id}/page-{number:04d}.png"
        _page_image(settings, image)
        page_language = "urd" if any("\u0600" <= ch <= "\u06ff" for ch in text) else language
        db.add(Page(
            document_id=document.id, page_no=number, status=PageStatus.TEXT_DONE, source=TextSource.OCR,
            text=text, words=words, mean_confidence=91.5, language=page_language, engine="tesseract",
            width=PAGE_W, height=PAGE_H, dpi=150, image_path=image,
        ))
    db.flush()
    return document


@cache
def _password_hash() -> str:
    from search_app.auth.passwords import hash_password

    return hash_password(PASSWORD)  # Argon2 is slow on purpose: hash once per test run


def _user(db: Session, name: str, role: Role, districts: list[District], all_districts: bool = False) -> User:
    user = User(username=name, full_name=name.title(), password_hash=_password_hash(), role=role,
                all_districts=all_districts, districts=districts)
    db.add(enrol(user))
    return user


def build_world(factory: sessionmaker[Session], settings: Settings) -> World:
    world = World()
    with factory() as db:
        peshawar, mardan = District(name="Peshawar"), District(name="Mardan")
        db.add_all([peshawar, mardan])
        db.flush()
        world.districts = {"peshawar": peshawar, "mardan": mardan}
        world.users = {
            "pros_a": _user(db, "pros_a", Role.PROSECUTOR, [peshawar]),
            "pros_b": _user(db, "pros_b", Role.PROSECUTOR, [mardan]),
            "clerk": _user(db, "clerk", Role.DATA_ENTRY, [peshawar]),
            "librarian": _user(db, "librarian", Role.LIBRARIAN, [peshawar]),
            "librarian_m": _user(db, "librarian_m", Role.LIBRARIAN, [mardan]),
            "clerk_m": _user(db, "clerk_m", Role.DATA_ENTRY, [mardan]),
            "admin": _user(db, "admin", Role.ADMIN, [], all_districts=True),
        }
        station = PoliceStation(name="Saddar", district_id=peshawar.id)
        db.add(station)
        db.flush()
        case = Case(fir_number="45", fir_year=2019, police_station_id=station.id, district_id=peshawar.id,
                    title="State v. Gul Khan", sections=["PPC 302"], court="Sessions Court Peshawar")
        db.add(case)
        db.flush()
        world.cases["gul_khan"] = case
        fir = add_document(db, settings, key="peshawar-fir", district=peshawar,
                           pages=[PESHAWAR_TEXT, PESHAWAR_TEXT_2, URDU_TEXT], filename="مقدمہ ایف آئی آر.pdf",
                           case=case)
        other = add_document(db, settings, key="peshawar-other", district=peshawar,
                             pages=[["An unrelated memo about qatl-e-amd statistics."]], filename="memo.pdf")
        mardan_doc = add_document(db, settings, key="mardan-fir", district=mardan, pages=[MARDAN_TEXT],
                                  filename="mardan.pdf")
        older = add_document(db, settings, key="judgment-2019", district=peshawar, doc_type=DocType.JUDGMENT,
                             pages=[["Judgment reported as PLD 2019 SC 64 on benefit of doubt."]],
                             filename="pld-2019-sc-64.pdf")
        newer = add_document(db, settings, key="judgment-2023", district=mardan, doc_type=DocType.JUDGMENT,
                             pages=[JUDGMENT_TEXT], filename="2023-judgment.pdf")
        pending = add_document(db, settings, key="judgment-pending", district=mardan, doc_type=DocType.JUDGMENT,
                               pages=[["Pending judgment of the Mardan bench on benefit of doubt in a robbery."]],
                               filename="pending-judgment.pdf")
        failed = add_document(db, settings, key="failed-scan", district=peshawar, pages=[],
                              filename="blank.pdf", status=DocumentStatus.FAILED)
        failed.error_code = "unreadable"
        failed.error_message = "The file is not a readable PDF. Scan it again and re-upload."
        first_page = fir.pages[0]
        db.add(Entity(document_id=fir.id, page_id=first_page.id, kind="person", key="Gul Khan",
                      raw="Gul Khan", start=13, end=21, source="spacy"))
        db.add(Entity(document_id=fir.id, page_id=first_page.id, kind="statute", key="PPC 302",
                      raw="section 302 PPC", start=47, end=62, source="rules"))
        # Published case law (a librarian approved it) is read in every district; the pending judgment
        # stays in Mardan until approved.
        cited = CaseLaw(document_id=older.id, citation="PLD 2019 SC 64", court="Supreme Court of Pakistan",
                        decided_on=date(2019, 3, 1), parties="State v. Amir", judge="Justice A",
                        status=CaseLawStatus.PUBLISHED, case_number="Crl.A.10-2018", case_numbers=["Crl.A.10-2018"])
        citing = CaseLaw(document_id=newer.id, citation="SCMR 2023 100", court="Supreme Court of Pakistan",
                         decided_on=date(2023, 5, 2), parties="Bashir v. State", judge="Justice B",
                         status=CaseLawStatus.PUBLISHED)
        unapproved = CaseLaw(document_id=pending.id, court="Supreme Court of Pakistan", case_number="Crl.A.7-2024",
                             parties="Karim v. State", decided_on=date(2024, 1, 9))
        db.add_all([cited, citing, unapproved])
        db.flush()
        db.add(CaseLawCitation(citing_id=citing.id, cited_key="PLD 2019 SC 64", cited_id=cited.id))
        db.add(CaseLawCitation(citing_id=citing.id, cited_key="PLD 1990 SC 1"))
        db.commit()
        world.docs = {"fir": fir, "other": other, "mardan": mardan_doc, "older": older, "newer": newer,
                      "pending": pending, "failed": failed}
        world.caselaw = {"cited": cited, "citing": citing, "pending": unapproved}
    return world


def index_world(factory: sessionmaker[Session], es: Any, settings: Settings, world: World) -> None:
    from indexer import IndexNames, index_document

    with factory() as db:
        for document in world.docs.values():
            index_document(db, es, settings, document.id, refresh=False)
    names = IndexNames.from_settings(settings)
    es.indices.refresh(index=f"{names.alias('pages')},{names.alias('documents')}")


CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def csrf_from(html: str) -> str:
    match = CSRF_INPUT.search(html) or CSRF_META.search(html)
    if match is None:
        raise AssertionError("no CSRF token in the page")
    return match.group(1)


def login(client: Any, username: str, password: str = PASSWORD) -> None:
    page = client.get("/login")
    token = csrf_from(page.get_data(as_text=True))
    response = client.post("/login", data={"username": username, "password": password, "csrf_token": token})
    response = answer_mfa(client, response, username)
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:500]


def client_for(app: Any, username: str) -> Any:
    """A Flask test client of ``app`` logged in as ``username`` (through the one-time code when the role needs it)."""
    client = app.test_client()
    login(client, username)
    return client


def file_root(settings: Settings) -> Path:
    return settings.files_dir


def worker_env(settings: Settings) -> dict[str, str]:
    """CMMS_* variables that point a worker process at this test's database, files, ES and Redis."""
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("CMMS_")}
    env.update({
        "CMMS_ENVIRONMENT": "test", "CMMS_VAR_DIR": str(settings.var_dir), "CMMS_ES_URL": settings.es_url,
        "CMMS_ES_INDEX_PREFIX": settings.es_index_prefix, "CMMS_REDIS_URL": settings.redis_url,
        "CMMS_SECRET_KEY": settings.secret_key, "OMP_THREAD_LIMIT": "1",
    })
    return env


def run_jobs(settings: Settings, timeout_s: float = 300) -> str:
    """Run the queued jobs to completion with the real worker (``cmms worker --burst``)."""
    import subprocess
    import sys

    cmms = Path(sys.executable).parent / "cmms"
    done = subprocess.run([str(cmms), "worker", "--burst"], env=worker_env(settings), capture_output=True,
                          text=True, timeout=timeout_s, cwd=settings.var_dir)
    output = done.stdout[-3000:] + done.stderr[-3000:]
    assert done.returncode == 0, output
    return output


# --- the fixtures most web test modules share (bound in a module by importing them, as ``any_db`` is) ---


@pytest.fixture
def world(session_factory: sessionmaker[Session], settings: Settings, es: Any) -> World:
    """The world built in the test's database and indexed into the real Elasticsearch."""
    built = build_world(session_factory, settings)
    index_world(session_factory, es, settings, built)
    return built


@pytest.fixture
def app(settings: Settings, world: World) -> Iterator[Flask]:
    """The application over that world, in testing mode."""
    from search_app import create_app

    application = create_app(settings)
    application.config["TESTING"] = True
    yield application
