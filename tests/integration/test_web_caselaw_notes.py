"""Practice notes follow their judgment's scope (``auth.scope.practice_note_read_condition``), through the
Flask test client on real SQLite and the real Elasticsearch node.

The world (``web_world``): the judgment awaiting approval is Mardan's; ``pros_b`` (Mardan) notes it,
``pros_a`` (Peshawar) must not see the note anywhere (notes search on the web and in the API, statute
pages, the API's section endpoint, the edit form) nor learn the judgment's id, until a librarian approves it.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from models import PracticeNote
from tests.integration.test_web_caselaw import post
from tests.integration.web_world import World, app, client_for, world

__all__ = ["app", "world"]  # the shared fixtures (web_world), bound here so pytest finds them

pytestmark = [pytest.mark.elasticsearch]

SECRET = "Witness Karim may turn hostile"


def _leaks(client: Any, pending_id: int, note_ids: list[int]) -> list[str]:
    """Every place a note is listed or fetched, and whether ``client`` sees the secret note there."""
    found = []
    pages = {"web notes": "/caselaw/notes", "web notes search": "/caselaw/notes?q=hostile",
             "web statute page": "/caselaw/statutes/PPC 302"}
    for name, path in pages.items():
        if SECRET in client.get(path).get_data(as_text=True):
            found.append(name)
    api_notes = client.get("/api/v1/practice-notes").get_json()["items"]
    api_search = client.get("/api/v1/practice-notes", query_string={"q": "hostile"}).get_json()["items"]
    api_statute = client.get("/api/v1/statutes/PPC 302").get_json()["notes"]
    for name, items in {"api notes": api_notes, "api search": api_search, "api statute": api_statute}.items():
        if any(SECRET in n["body"] or n["caselaw_id"] == pending_id for n in items):
            found.append(name)
    found.extend(f"edit {i}" for i in note_ids if client.get(f"/caselaw/notes/{i}/edit").status_code != 404)
    return found


def test_a_note_on_a_judgment_awaiting_approval_stays_in_its_district_until_approval(
    app: Flask, world: World, session_factory: sessionmaker[Session],
) -> None:
    pending = world.caselaw["pending"]
    mardan, peshawar = client_for(app, "pros_b"), client_for(app, "pros_a")
    entry = mardan.get(f"/caselaw/{pending.id}").get_data(as_text=True)
    assert "visible in every district" not in entry and "until a librarian approves it" in entry
    saved = post(mardan, "/caselaw/notes", {"caselaw_id": str(pending.id), "body": SECRET})
    assert saved.status_code == 302
    with session_factory() as db:  # a note carrying both a judgment and a section (older rows, imports)
        author = world.users["pros_b"].id
        db.add(PracticeNote(case_law_id=pending.id, statute_key="PPC 302", body=SECRET + " (s.302)",
                            author_id=author))
        db.commit()
        note_ids = list(db.scalars(select(PracticeNote.id).where(PracticeNote.case_law_id == pending.id)))
    # Mardan reads its own judgment's notes
    assert SECRET in mardan.get("/caselaw/notes?q=hostile").get_data(as_text=True)
    assert SECRET in mardan.get(f"/caselaw/{pending.id}").get_data(as_text=True)
    assert mardan.get(f"/caselaw/notes/{note_ids[0]}/edit").status_code == 200
    assert _leaks(peshawar, pending.id, note_ids) == []
    # a note on a section alone is read in every district
    assert post(mardan, "/caselaw/notes", {"statute": "302 PPC", "body": "Section note for all"}).status_code == 302
    assert "Section note for all" in peshawar.get("/caselaw/statutes/PPC 302").get_data(as_text=True)
    # approved: province-wide, notes included
    assert post(client_for(app, "librarian_m"), f"/caselaw/{pending.id}/approve", {}).status_code == 302
    assert set(_leaks(peshawar, pending.id, note_ids)) == {
        "web notes", "web notes search", "web statute page", "api notes", "api search", "api statute",
        *(f"edit {i}" for i in note_ids)}
    published = peshawar.get(f"/caselaw/{pending.id}").get_data(as_text=True)
    assert SECRET in published


def test_a_too_long_note_is_refused_with_a_reason_and_long_words_wrap(
    app: Flask, world: World, session_factory: sessionmaker[Session],
) -> None:
    cited = world.caselaw["cited"]
    clerkish = client_for(app, "pros_a")
    page = f"/caselaw/{cited.id}"
    assert 'maxlength="4000"' in clerkish.get(page).get_data(as_text=True)  # the browser stops typing there
    refused = post(clerkish, "/caselaw/notes", {"caselaw_id": str(cited.id), "body": "x" * 4001}, page)
    # the form comes back with the reason AND the text typed, so a clerk shortens it instead of retyping it
    assert refused.status_code == 400
    shown = refused.get_data(as_text=True)
    assert "The note has 4001 characters; a note may have at most 4000" in shown
    assert ">" + "x" * 4001 + "</textarea>" in shown and f'name="caselaw_id" value="{cited.id}"' in shown
    with session_factory() as db:
        assert db.scalar(select(PracticeNote.id)) is None
    assert post(clerkish, "/caselaw/notes", {"caselaw_id": str(cited.id), "body": "y" * 4000}, page).status_code == 302
    with session_factory() as db:
        note_id = db.scalar(select(PracticeNote.id))
    form = f"/caselaw/notes/{note_id}/edit"
    too_long = post(clerkish, form, {"body": "z" * 5000}, form)
    assert too_long.status_code == 400 and "The note has 5000 characters" in too_long.get_data(as_text=True)
    assert ">" + "z" * 5000 + "</textarea>" in too_long.get_data(as_text=True)
    css = clerkish.get("/static/caselaw.css").get_data(as_text=True)
    assert ".note, .headnote, .keep-lines { overflow-wrap: anywhere; }" in css


def test_collection_names_differing_only_in_case_are_one_name(
    app: Flask, world: World, session_factory: sessionmaker[Session],
) -> None:
    from models import CaseLawCollection

    librarian = client_for(app, "librarian")
    form = "/caselaw/collections"
    assert post(librarian, form, {"name": "Bail in narcotics", "description": ""}, form).status_code == 302
    again = post(librarian, form, {"name": "bail in NARCOTICS", "description": ""}, form)
    assert again.status_code == 302
    assert "A collection named “Bail in narcotics” already exists" in librarian.get(form).get_data(as_text=True)
    with session_factory() as db:
        assert list(db.scalars(select(CaseLawCollection.name))) == ["Bail in narcotics"]


def test_withdrawing_another_districts_judgment_returns_to_the_list(app: Flask, world: World) -> None:
    citing = world.caselaw["citing"]  # published, Mardan's; the Peshawar librarian curates published ones
    librarian = client_for(app, "librarian")
    response = post(librarian, f"/caselaw/{citing.id}/withdraw", {}, f"/caselaw/{citing.id}")
    assert response.status_code == 302 and response.headers["Location"] == "/caselaw"
    listing = librarian.get("/caselaw").get_data(as_text=True)
    assert "Withdrawn: the judgment is back in its own district only" in listing
    assert librarian.get(f"/caselaw/{citing.id}").status_code == 404


def test_dates_of_notes_and_approvals_are_karachi_days(
    app: Flask, world: World, session_factory: sessionmaker[Session],
) -> None:
    from datetime import datetime

    from models import CaseLaw

    cited = world.caselaw["cited"]
    late_evening = datetime(2026, 3, 1, 21, 0)  # UTC: 02:00 on 2 March in Karachi
    with session_factory() as db:
        db.add(PracticeNote(case_law_id=cited.id, body="Late note", author_id=world.users["pros_a"].id,
                            created_at=late_evening, updated_at=late_evening))
        db.add(PracticeNote(statute_key="PPC 302", body="Late section note", author_id=world.users["pros_a"].id,
                            created_at=late_evening))
        stored = db.get(CaseLaw, cited.id)
        assert stored is not None
        stored.approved_at, stored.approved_by_id = late_evening, world.users["librarian"].id
        db.commit()
    reader = client_for(app, "pros_a")
    for path in (f"/caselaw/{cited.id}", "/caselaw/notes", "/caselaw/statutes/PPC 302"):
        html = reader.get(path).get_data(as_text=True)
        assert "02 Mar 2026" in html and "01 Mar 2026" not in html, path


def test_related_judgments_show_their_dates_through_the_day_filter(app: Flask, world: World) -> None:
    html = client_for(app, "pros_a").get(f"/caselaw/{world.caselaw['citing'].id}/related").get_data(as_text=True)
    block = html.split(f'data-document-id="{world.docs["older"].id}"')[1].split("</li>")[0]
    assert "01 Mar 2019" in block and "2019-03-01" not in block  # PLD 2019 SC 64, decided 1 March 2019


def test_an_edited_note_says_who_edited_it_and_when_everywhere_it_is_shown(
    app: Flask, world: World, session_factory: sessionmaker[Session],
) -> None:
    from datetime import datetime

    cited = world.caselaw["cited"]
    author, librarian = client_for(app, "pros_b"), client_for(app, "librarian")
    assert post(author, "/caselaw/notes", {"statute": "302 PPC", "body": "Section note"}).status_code == 302
    assert post(author, "/caselaw/notes", {"caselaw_id": str(cited.id), "body": "Judgment note"}).status_code == 302
    with session_factory() as db:
        notes = {n.body: n.id for n in db.scalars(select(PracticeNote))}
    for body, note_id in notes.items():
        form = f"/caselaw/notes/{note_id}/edit"
        assert post(librarian, form, {"body": body + " (corrected)"}, form).status_code == 302
    late_evening = datetime(2026, 3, 1, 21, 0)  # UTC: 2 March in Karachi
    with session_factory() as db:
        for note in db.scalars(select(PracticeNote)):
            note.created_at, note.updated_at = datetime(2026, 2, 10, 6, 0), late_evening
        db.commit()
    edited = "Pros_B, 10 Feb 2026 (edited by Librarian, 02 Mar 2026)"
    reader = client_for(app, "pros_a")
    for path in (f"/caselaw/{cited.id}", "/caselaw/notes", "/caselaw/statutes/PPC 302"):
        assert edited in reader.get(path).get_data(as_text=True), path
    api = [*reader.get("/api/v1/practice-notes").get_json()["items"],
           *reader.get("/api/v1/statutes/PPC 302").get_json()["notes"]]
    assert {(n["author"], n["updated_by"]) for n in api} == {("Pros_B", "Librarian")}
    assert all(n["updated_at"].startswith("2026-03-01T21:00") for n in api)


def test_citations_in_urdu_notes_and_headnotes_stay_left_to_right_and_counts_use_the_readers_digits(
    app: Flask, world: World,
) -> None:
    """Reported: an Urdu headnote or note with "2010 SCMR 1791" showed "SCMR 1791 2010"; "Cited by (3)"
    kept Western digits in Urdu with Eastern digits. Each citation is now in a left-to-right ``<bdi>``;
    the rest of the typed text is escaped."""
    cited = world.caselaw["cited"]
    librarian = client_for(app, "librarian")
    form = f"/caselaw/{cited.id}/curate"
    assert post(librarian, form, {
        "en-question": "", "en-held": "", "en-sections": "", "en-keywords": "",
        "ur-question": "کیا 2010 SCMR 1791 کا اطلاق ہوتا ہے؟\nدوسری سطر", "ur-held": "ہاں، دفعہ 302(b) PPC",
        "ur-sections": "", "ur-keywords": "", "tags": ""}, form).status_code == 302
    body = "<script>alert(1)</script> 2010 SCMR 1791 پر انحصار کیا گیا"
    assert post(librarian, "/caselaw/notes", {"caselaw_id": str(cited.id), "body": body}).status_code == 302
    reader = client_for(app, "pros_b")
    reader.set_cookie("cmms_lang", "ur")
    reader.set_cookie("cmms_digits", "eastern")
    page = reader.get(f"/caselaw/{cited.id}").get_data(as_text=True)
    assert 'dir="rtl"' in page
    assert 'کیا <bdi dir="ltr" class="ref">2010 SCMR 1791</bdi> کا اطلاق ہوتا ہے؟\nدوسری سطر' in page
    assert 'دفعہ <bdi dir="ltr" class="ref">302(b) PPC</bdi>' in page
    assert '&lt;script&gt;alert(1)&lt;/script&gt; <bdi dir="ltr" class="ref">2010 SCMR 1791</bdi> پر' in page
    assert "<script>alert(1)" not in page
    assert "(۱)</h2>" in page and "(1)</h2>" not in page  # one practice note, one judgment citing it
    notes = reader.get("/caselaw/notes").get_data(as_text=True)
    assert '<bdi dir="ltr" class="ref">2010 SCMR 1791</bdi> پر' in notes and "<script>alert(1)" not in notes
    listed = reader.get("/caselaw").get_data(as_text=True)
    assert '<p id="caselaw-total">۳ فیصلے</p>' in listed  # the two published judgments and Mardan's own
    assert '<bdi dir="ltr" class="ref">Crl.A.10-2018</bdi>' in listed  # a case number never wraps inside
    graph = reader.get(f"/caselaw/{world.caselaw['citing'].id}/graph").get_data(as_text=True)
    assert "حوالہ دیے گئے نظائر: ۲ (مجموعے میں ۱)؛ جن میں حوالہ دیا گیا: ۰۔" in graph
