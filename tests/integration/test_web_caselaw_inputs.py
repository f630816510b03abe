"""What users type reaches SQL and section pages as typed, through the Flask test client on real SQLite
and the real Elasticsearch node (``web_world``): ``%`` and ``_`` in a filter or a notes search match
only themselves (``models.like``); a section page lists that section and its sub-clauses, never another
section starting with the same digits (``caselaw.sections``); a section key legalrefs cannot read is
refused with a 404 and the reason.
"""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy.orm import Session, sessionmaker

from models import Case, CaseLawHeadnote, PracticeNote
from tests.integration.test_web_caselaw import post
from tests.integration.web_world import World, app, client_for, world

__all__ = ["app", "world"]  # the shared fixtures (web_world), bound here so pytest finds them

pytestmark = [pytest.mark.elasticsearch]


def _listed(html: str, section: str) -> str:
    return html.split(f'id="{section}"')[1] if f'id="{section}"' in html else ""


def test_wildcards_typed_in_the_caselaw_filter_match_only_themselves(app: Flask, world: World) -> None:
    reader = client_for(app, "pros_a")
    for typed in ("%", "_", "%%", "\\", "State_v"):
        web = reader.get("/caselaw", query_string={"filter": typed}).get_data(as_text=True)
        assert "data-caselaw-id" not in web, typed
        assert reader.get("/api/v1/caselaw", query_string={"filter": typed}).get_json()["items"] == [], typed
    found = reader.get("/api/v1/caselaw", query_string={"filter": "state v. amir"}).get_json()["items"]
    assert [i["id"] for i in found] == [world.caselaw["cited"].id]  # plain text still matches


def test_wildcards_typed_in_the_notes_search_match_only_themselves(
        app: Flask, world: World, session_factory: sessionmaker[Session]) -> None:
    with session_factory() as db:
        db.add_all([PracticeNote(statute_key="PPC 302", body="Bail refused in ATC cases",
                                 author_id=world.users["pros_a"].id),
                    PracticeNote(statute_key="PPC 302", body="Recovery of 50% of the amount, s_2 applies",
                                 author_id=world.users["pros_a"].id)])
        db.commit()
    reader = client_for(app, "pros_a")
    for typed, found in (("%", ["Recovery"]), ("_", ["Recovery"]), ("s_2", ["Recovery"]), ("a%c", []),
                         ("ATC", ["Bail refused"])):
        web = reader.get("/caselaw/notes", query_string={"q": typed}).get_data(as_text=True)
        api = reader.get("/api/v1/practice-notes", query_string={"q": typed}).get_json()["items"]
        for body in ("Bail refused", "Recovery"):
            assert (body in web) == (body in found), (typed, body)
            assert any(n["body"].startswith(body) for n in api) == (body in found), (typed, body)


def test_a_section_page_lists_that_section_and_its_sub_clauses_only(
        app: Flask, world: World, session_factory: sessionmaker[Session]) -> None:
    cited, case_id = world.caselaw["cited"], world.cases["gul_khan"].id
    with session_factory() as db:  # the judgment's headnote names only 302(b) PPC; the case is charged so
        db.add(CaseLawHeadnote(case_law_id=cited.id, language="en", question="q", held="h",
                               sections=["PPC 302(b)"]))
        case = db.get(Case, case_id)
        assert case is not None
        case.sections = ["PPC 302(b)"]
        db.add(PracticeNote(statute_key="PPC 302(b)", body="Note on qatl-i-amd as tazir",
                            author_id=world.users["pros_a"].id))
        db.commit()
    reader = client_for(app, "pros_a")
    for key, listed in (("PPC 302", True), ("302(b) PPC", True), ("PPC 30", False), ("PPC 3", False),
                        ("PPC 302(a)", False)):
        page = reader.get(f"/caselaw/statutes/{key}").get_data(as_text=True)
        assert (f'data-caselaw-id="{cited.id}"' in _listed(page, "leading-judgments")) is listed, key
        assert ("State v. Gul Khan" in _listed(page, "cases-under")) is listed, key
        assert ("Note on qatl-i-amd" in page) is listed, key
        api = reader.get(f"/api/v1/statutes/{key}").get_json()
        assert (cited.id in [j["id"] for j in api["leading"]]) is listed, key
        assert (case_id in [c["id"] for c in api["cases"]]) is listed, key
        assert bool(api["notes"]) is listed, key


def test_a_section_search_of_the_notes_finds_the_notes_on_its_sub_clauses(
        app: Flask, world: World, session_factory: sessionmaker[Session]) -> None:
    with session_factory() as db:
        db.add_all([PracticeNote(statute_key=key, body=f"Note on {key}", author_id=world.users["pros_a"].id)
                    for key in ("PPC 302", "PPC 302(b)", "PPC 30", "PPC 324")])
        db.commit()
    reader = client_for(app, "pros_a")
    for typed, found in (("302 PPC", {"PPC 302", "PPC 302(b)"}), ("302(b) PPC", {"PPC 302(b)"}),
                         ("30 PPC", {"PPC 30"})):
        web = reader.get("/caselaw/notes", query_string={"q": typed}).get_data(as_text=True)
        assert {k for k in ("PPC 302", "PPC 302(b)", "PPC 30", "PPC 324") if f"Note on {k}<" in web} == found, typed
        api = reader.get("/api/v1/practice-notes", query_string={"q": typed}).get_json()["items"]
        assert {n["statute_key"] for n in api} == found, typed


def test_a_section_key_legalrefs_cannot_read_is_refused_not_given_a_page(app: Flask, world: World) -> None:
    reader = client_for(app, "pros_a")
    for key in ("PPC 302(b)(c)(d)(e)", "PPC 302(zzzzz)", "302(b)(c)(d)(e) PPC"):
        page = reader.get(f"/caselaw/statutes/{key}")
        assert page.status_code == 404, key
        html = page.get_data(as_text=True)
        assert "not a statute section CMMS can read" in html and 'name="body"' not in html, key
        assert reader.get(f"/api/v1/statutes/{key}").status_code == 404, key
        refused = post(reader, "/caselaw/notes", {"statute": key, "body": "A note"})
        assert refused.status_code in (302, 400) and "/caselaw/statutes/" not in refused.headers.get("Location", "")
    assert reader.get("/caselaw/statutes/PPC 302(b)(ii)").status_code == 200  # legalrefs reads 3 levels
