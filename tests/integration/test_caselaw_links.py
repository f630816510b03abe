"""One resolution rule for the citation network (``caselaw.network.resolve_keys``): a citation key links
to the PUBLISHED judgment carrying it, then the oldest; never to the citing judgment itself. A pending
copy in one district never takes a published judgment's citations from the others, undoing an edit
gives them back, and a judgment citing its own report does not cite itself.

The story the testers drove, through the web views on SQLite (``web_world``): the published judgment
PLD 2019 SC 64 (Peshawar) is cited by 2023 SCMR 100 (Mardan); Mardan's librarian types PLD 2019 SC 64
on Mardan's pending judgment, then blanks it again. Rule tests need no search node.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from caselaw import network, publication
from config import Settings
from ingest.caselaw import record_citations
from models import CaseLaw, CaseLawCitation, CaseLawStatus
from tests.integration.web_world import World, app, build_world, client_for, csrf_from, world

__all__ = ["app", "world"]  # the shared fixtures (web_world), bound here so pytest finds them

EDIT_FORM = {"case_numbers": "Crl.A. 7 of 2024", "court": "Supreme Court of Pakistan", "parties": "Karim v. State",
             "decided_on": "2024-01-09", "result": "", "bench": "", "summary": "", "judge": "",
             "appealed_from_court": "", "appealed_from_case": "", "appealed_from_date": ""}


def _links(factory: sessionmaker[Session], key: str) -> dict[int, int | None]:
    with factory() as db:
        return {c.citing_id: c.cited_id for c in db.scalars(select(CaseLawCitation).where(
            CaseLawCitation.cited_key == key))}


# --- the rule ------------------------------------------------------------------------------------------


def test_a_key_resolves_to_the_published_judgment_then_the_oldest_never_the_citing_one(
    session_factory: sessionmaker[Session], settings: Settings,
) -> None:
    world = build_world(session_factory, settings)
    cited, citing, pending = world.caselaw["cited"], world.caselaw["citing"], world.caselaw["pending"]
    with session_factory() as db:
        copy = db.get(CaseLaw, pending.id)
        assert copy is not None
        copy.parallel_citations = ["PLD 2019 SC 64"]  # a pending copy, older report or not: the published wins
        db.commit()
        assert network.resolve_keys(db, ["PLD 2019 SC 64"])["PLD 2019 SC 64"].id == cited.id
        assert network.resolve_keys(db, ["PLD 2019 SC 64"], cited.id)["PLD 2019 SC 64"].id == pending.id
        published = db.get(CaseLaw, cited.id)
        assert published is not None
        published.status = CaseLawStatus.WITHDRAWN  # none published: the oldest record
        db.commit()
        assert network.resolve_keys(db, ["PLD 2019 SC 64"])["PLD 2019 SC 64"].id == cited.id
        only = db.get(CaseLaw, citing.id)
        assert only is not None
        assert network.resolve_keys(db, ["SCMR 2023 100"], citing.id) == {}  # never itself


def test_ingest_and_relink_never_move_a_published_judgments_links_to_a_pending_copy(
    session_factory: sessionmaker[Session], settings: Settings,
) -> None:
    world = build_world(session_factory, settings)
    cited, citing, pending = world.caselaw["cited"], world.caselaw["citing"], world.caselaw["pending"]
    with session_factory() as db:
        copy = db.get(CaseLaw, pending.id)
        assert copy is not None
        copy.citation = "PLD 2019 SC 64"
        record_citations(db, copy, ["PLD 2019 SC 64", "SCMR 2023 100"])  # its own report is not a citation
        db.commit()
        assert network.relink(db, copy, []) == []  # nothing moves: the published judgment keeps its links
        db.commit()
    assert _links(session_factory, "PLD 2019 SC 64") == {citing.id: cited.id}
    assert _links(session_factory, "SCMR 2023 100") == {pending.id: citing.id}
    with session_factory() as db:  # withdrawn, none is published: the oldest record keeps the links
        entry = db.get(CaseLaw, cited.id)
        assert entry is not None
        assert publication.withdraw(entry, db).relinked == ()
        db.commit()
    assert _links(session_factory, "PLD 2019 SC 64") == {citing.id: cited.id}
    with session_factory() as db:  # the copy approved (another case number: no twin): the published one wins
        copy = db.get(CaseLaw, pending.id)
        assert copy is not None
        change = publication.approve_once(db, copy, world.users["librarian_m"].id)
        assert set(change.relinked) == {cited.id, pending.id}
        db.commit()
    assert _links(session_factory, "PLD 2019 SC 64") == {citing.id: pending.id}
    with session_factory() as db:  # and withdrawn again: back to the oldest record
        copy = db.get(CaseLaw, pending.id)
        assert copy is not None
        assert set(publication.withdraw(copy, db).relinked) == {cited.id, pending.id}
        db.commit()
    assert _links(session_factory, "PLD 2019 SC 64") == {citing.id: cited.id}


# --- through the web views -----------------------------------------------------------------------------


def _edit(app: Flask, username: str, caselaw_id: int, citations: str) -> Any:
    client = client_for(app, username)
    token = csrf_from(client.get(f"/caselaw/{caselaw_id}/edit").get_data(as_text=True))
    response = client.post(f"/caselaw/{caselaw_id}/edit",
                           data={**EDIT_FORM, "citations": citations, "csrf_token": token})
    assert response.status_code == 302
    return client.get(response.headers["Location"]).get_data(as_text=True)


@pytest.mark.elasticsearch
def test_a_pending_record_does_not_take_a_published_judgments_citation_and_undoing_restores_it(
    app: Flask, world: World, session_factory: sessionmaker[Session],
) -> None:
    cited, citing, pending = world.caselaw["cited"], world.caselaw["citing"], world.caselaw["pending"]
    linked = (f'<a href="/caselaw/{cited.id}" class="in-collection">'
              '<bdi dir="ltr" class="citation">PLD 2019 SC 64</bdi></a>')
    peshawar = client_for(app, "pros_a")
    assert linked in peshawar.get(f"/caselaw/{citing.id}").get_data(as_text=True)

    page = _edit(app, "librarian_m", pending.id, "PLD 2019 SC 64")  # Mardan's pending copy takes the citation
    assert f"Another record already carries this citation: case law no. {cited.id}." in page
    assert _links(session_factory, "PLD 2019 SC 64") == {citing.id: cited.id}
    shown = peshawar.get(f"/caselaw/{citing.id}").get_data(as_text=True)
    assert linked in shown  # not "PLD 2019 SC 64 (not in the collection)"
    graph = peshawar.get(f"/caselaw/{citing.id}/graph").get_data(as_text=True)
    assert "(1 in the collection)" in graph and f'href="/caselaw/{cited.id}"' in graph
    mardan = client_for(app, "pros_b")  # the copy is not cited: its citations are the published judgment's
    assert "Cited by (0)" in mardan.get(f"/caselaw/{pending.id}").get_data(as_text=True)
    assert "Cited by (1)" in mardan.get(f"/caselaw/{cited.id}").get_data(as_text=True)

    _edit(app, "librarian_m", pending.id, "")  # undone: the published judgment keeps every link
    assert _links(session_factory, "PLD 2019 SC 64") == {citing.id: cited.id}
    network_page = peshawar.get("/caselaw/network").get_data(as_text=True)
    assert f'data-caselaw-id="{cited.id}"' in network_page.split('id="most-cited"')[1]
    assert "Cited by (1)" in peshawar.get(f"/caselaw/{cited.id}").get_data(as_text=True)


@pytest.mark.elasticsearch
def test_the_warning_names_no_judgment_the_librarian_cannot_read(
    app: Flask, world: World, session_factory: sessionmaker[Session],
) -> None:
    pending = world.caselaw["pending"]
    with session_factory() as db:  # a judgment of Peshawar awaiting approval, reported at PLD 2001 SC 5
        other = CaseLaw(document_id=world.docs["other"].id, citation="PLD 2001 SC 5", court="Supreme Court of Pakistan")
        db.add(other)
        db.commit()
        other_id = other.id
    page = _edit(app, "librarian_m", pending.id, "PLD 2001 SC 5")
    assert "A judgment of another district already carries this citation." in page
    assert f"no. {other_id}" not in page


@pytest.mark.elasticsearch
def test_a_judgment_given_the_citation_its_text_cites_does_not_cite_itself(
    app: Flask, world: World, session_factory: sessionmaker[Session],
) -> None:
    pending = world.caselaw["pending"]
    with session_factory() as db:
        db.add(CaseLawCitation(citing_id=pending.id, cited_key="SCMR 2021 2086", occurrences=2))
        db.commit()
    page = _edit(app, "librarian_m", pending.id, "۲۰۲۱ SCMR ۲۰۸۶")
    with session_factory() as db:
        stored = db.get(CaseLaw, pending.id)
        assert stored is not None and stored.citation == "SCMR 2021 2086"
    assert _links(session_factory, "SCMR 2021 2086") == {pending.id: None}
    assert "Citations in this judgment (0)" in page and "Cited by (" not in page.split("Cited by")[0]
    assert f'href="/caselaw/{pending.id}"' not in page.split('id="citations-made"')[1].split("</ul>")[0]
    mardan = client_for(app, "pros_b")
    graph = mardan.get(f"/caselaw/{pending.id}/graph").get_data(as_text=True)
    assert "precedents cited: 0 (0 in the collection); cited by: 0." in graph and "node-cites" not in graph
    api = mardan.get(f"/api/v1/caselaw/{pending.id}").get_json()
    assert api["cites"] == [] and api["cited_by"] == []
    assert mardan.get(f"/api/v1/caselaw/{pending.id}/graph").get_json()["cites"] == []
