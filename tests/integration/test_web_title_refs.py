"""Citations in case and document titles stay left-to-right on Urdu pages: the case page, the case list,
the hearing page, the cause list on screen and the document viewer wrap each one in ``<bdi dir="ltr">``
(the ``refs`` filter), and what was typed stays escaped. The printed cause list keeps plain text."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy.orm import Session, sessionmaker

from config import Settings
from models import Case
from scheduling.timezone import local_today
from search_app import create_app
from tests.integration.calendar.world import CalendarWorld, add_hearing, build, court_day
from tests.integration.web_support import make_document
from tests.integration.web_world import client_for

# An Urdu title as a clerk types it: the appeal's citation inside right-to-left words, and markup.
TITLE = "سرکار بنام گل خان، اپیل PLD 2019 SC 64 <script>alert(1)</script>"
ISOLATED = '<bdi dir="ltr" class="ref">PLD 2019 SC 64</bdi>'
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
DAY = court_day(local_today(datetime.now(UTC)) + timedelta(days=7))


@pytest.fixture
def world(session_factory: sessionmaker[Session]) -> CalendarWorld:
    world = build(session_factory, emails=False)
    with session_factory() as db:
        case = db.get(Case, world.cases["p1"])
        assert case is not None
        case.title = TITLE
        db.commit()
    return world


@pytest.fixture
def app(settings: Settings, world: CalendarWorld) -> Iterator[Flask]:
    application = create_app(settings)
    yield application
    application.extensions["cmms"].engine.dispose()


def _assert_isolated_and_escaped(page: str) -> None:
    assert f"سرکار بنام گل خان، اپیل {ISOLATED} {ESCAPED}" in page
    assert "<script>alert(1)" not in page


def test_case_titles_isolate_citations_and_stay_escaped(app: Flask, world: CalendarWorld,
                                                        session_factory: sessionmaker[Session]) -> None:
    hearing_id = add_hearing(session_factory, world, "p1", DAY)
    amina = client_for(app, "amina")
    pages = {
        "case page": f"/cases/{world.cases['p1']}",
        "case list": "/cases/",
        "hearing": f"/hearings/{hearing_id}",
        "cause list": f"/calendar/cause-list?date={DAY.isoformat()}&court={world.courts['asj2']}",
    }
    for name, path in pages.items():
        response = amina.get(path)
        assert response.status_code == 200, name
        _assert_isolated_and_escaped(response.get_data(as_text=True))


def test_printed_cause_list_keeps_the_title_as_plain_text(app: Flask, world: CalendarWorld,
                                                          session_factory: sessionmaker[Session],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    add_hearing(session_factory, world, "p1", DAY)
    printed: list[str] = []

    def capture(html: str) -> bytes:
        printed.append(html)
        return b"%PDF-1.7"

    monkeypatch.setattr("search_app.views.cause_lists.html_to_pdf", capture)
    response = client_for(app, "amina").get(f"/calendar/cause-list.pdf?date={DAY.isoformat()}")
    assert response.status_code == 200 and len(printed) == 1
    assert f"سرکار بنام گل خان، اپیل PLD 2019 SC 64 {ESCAPED}" in printed[0] and "<bdi" not in printed[0]


def test_document_title_in_the_viewer_isolates_citations_and_stays_escaped(
        app: Flask, world: CalendarWorld, session_factory: sessionmaker[Session]) -> None:
    document_id = make_document(session_factory, world.districts["peshawar"], case_id=world.cases["p1"],
                                title=TITLE)
    amina = client_for(app, "amina")
    viewer = amina.get(f"/documents/{document_id}")
    assert viewer.status_code == 200
    page = viewer.get_data(as_text=True)
    _assert_isolated_and_escaped(page)
    # the browser tab (plain text): isolate marks around the citation, markup still escaped
    assert f"<title>سرکار بنام گل خان، اپیل \u2066PLD 2019 SC 64\u2069 {ESCAPED}" in page
    listed = amina.get(f"/cases/{world.cases['p1']}").get_data(as_text=True)
    assert listed.count(ISOLATED) >= 2  # the case's title and the document's in its list
