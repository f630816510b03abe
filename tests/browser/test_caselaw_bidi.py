"""Citations inside Urdu text, as Chromium draws them: a citation in an Urdu headnote, note or title
reads left-to-right (``2010 SCMR 1791``, not ``SCMR 1791 2010``), a case number is not broken across
lines in a narrow list, and the citation graph keeps an Urdu title's ``(2022 SCMR 821)`` whole and in
order. Geometry is measured in the page (where each character is drawn); screenshots go to
``var/browser/bidi-*.png``.

The pages come from the Flask app (test client, logged in as a Mardan prosecutor reading Urdu with
Eastern digits) behind Playwright's request routing: no server, no worker, no Elasticsearch.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlalchemy.orm import Session, sessionmaker

from config import Settings
from models import CaseLaw, CaseLawHeadnote, PracticeNote
from tests.browser.live import SCREENSHOT_DIR
from tests.integration.web_world import build_world, client_for

pytestmark = [pytest.mark.browser]

ORIGIN = "http://cmms.test"
TITLE = "محمد اسلم بنام سرکار (2022 SCMR 821)"
QUESTION = "کیا 2010 SCMR 1791 میں طے شدہ اصول کا اطلاق ہوتا ہے؟\nدوسری سطر"
NOTE = "اس فیصلے میں 2010 SCMR 1791 پر انحصار کیا گیا اور ضمانت مسترد ہوئی"

# x of the first character of `first` and of `second` inside the element's text (a DOM Range each)
_ORDER_JS = """([selector, first, second]) => {
  const el = document.querySelector(selector);
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  const xs = {};
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const word of [first, second]) {
      const at = node.data.indexOf(word);
      if (at >= 0 && !(word in xs)) {
        const range = document.createRange(); range.setStart(node, at); range.setEnd(node, at + 1);
        xs[word] = range.getBoundingClientRect().left;
      }
    }
  }
  return [xs[first], xs[second]];
}"""


@pytest.fixture
def urdu_page(session_factory: sessionmaker[Session], settings: Settings, browser: Any
              ) -> Iterator[tuple[Any, dict[str, int]]]:
    """A Chromium page on the app in Urdu, and the ids of the cited and citing judgments."""
    from search_app import create_app

    world = build_world(session_factory, settings)
    with session_factory() as db:
        cited, citing = db.get(CaseLaw, world.caselaw["cited"].id), db.get(CaseLaw, world.caselaw["citing"].id)
        assert cited is not None and citing is not None
        citing.parties, citing.case_number = TITLE, "C.A.1286-2018"
        db.add(CaseLawHeadnote(case_law_id=cited.id, language="ur", question=QUESTION, held="ہاں",
                               sections=[], keywords=[]))
        db.add(PracticeNote(case_law_id=cited.id, body=NOTE, author_id=world.users["librarian"].id))
        db.commit()
    app = create_app(settings)
    app.config["TESTING"] = True
    client = client_for(app, "pros_b")
    client.set_cookie("cmms_lang", "ur")
    client.set_cookie("cmms_digits", "eastern")

    def answer(route: Any) -> None:
        parts = urlsplit(route.request.url)
        response = client.get(parts.path + (f"?{parts.query}" if parts.query else ""))
        route.fulfill(status=response.status_code, body=response.get_data(),
                      headers={"content-type": response.content_type})

    context = browser.new_context(viewport={"width": 1000, "height": 900})
    page = context.new_page()
    page.route(f"{ORIGIN}/**", answer)
    yield page, {"cited": cited.id, "citing": citing.id}
    context.close()


def _shot(page: Any, name: str) -> None:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / f"bidi-{name}.png"), full_page=True)


def test_citations_in_urdu_text_read_left_to_right_and_do_not_wrap(urdu_page: tuple[Any, dict[str, int]]) -> None:
    page, ids = urdu_page
    page.goto(f"{ORIGIN}/caselaw/{ids['cited']}")
    _shot(page, "judgment")
    assert page.locator("html").get_attribute("dir") == "rtl"
    year, page_no = page.evaluate(_ORDER_JS, ["#headnote-ur .keep-lines", "2010", "1791"])
    assert year < page_no  # "2010 SCMR 1791", not "SCMR 1791 2010"
    year, page_no = page.evaluate(_ORDER_JS, [".note .keep-lines", "2010", "1791"])
    assert year < page_no
    year, page_no = page.evaluate(_ORDER_JS, ["#cited-by .judgment-title", "2022", "821"])
    assert year < page_no
    page.set_viewport_size({"width": 360, "height": 900})
    page.goto(f"{ORIGIN}/caselaw")
    _shot(page, "list-narrow")
    number = page.locator(f"#caselaw-list li[data-caselaw-id='{ids['citing']}'] .meta bdi.ref")
    assert number.inner_text() == "C.A.1286-2018"
    assert number.evaluate("el => el.getClientRects().length") == 1  # one line, not "C.A.1286-" / "2018"


def test_the_graph_keeps_a_citation_in_an_urdu_title_whole_and_in_order(urdu_page: tuple[Any, dict[str, int]]
                                                                         ) -> None:
    page, ids = urdu_page
    page.goto(f"{ORIGIN}/caselaw/{ids['cited']}/graph")
    _shot(page, "graph")
    label = page.locator("#citation-graph .node-cited_by text")
    lines = label.locator("tspan").evaluate_all("ts => ts.map(t => t.textContent)")
    lines = [line.replace("\u2066", "").replace("\u2069", "") for line in lines]
    assert "(2022 SCMR 821)" in lines
    # where Chromium draws each character of the citation's line: the year left of the page number
    xs = label.evaluate("""t => { const s = t.textContent; const at = w => t.getStartPositionOfChar(s.indexOf(w)).x;
                                  return [at('2022'), at('SCMR'), at('821')]; }""")
    assert xs[0] < xs[1] < xs[2]
