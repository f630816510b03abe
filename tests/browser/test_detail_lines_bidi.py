"""Detail lines and document titles as Chromium draws them, in English and in Urdu: the gaps between the
parts of a related judgment's details are all the same width (no wider gap before "page N") and no line
ends on a separator; a document title chosen in a ``<select>`` keeps its citation in order; the exhibit
page's "<title>, page N" starts with the title on the reading side of the page. Screenshots go to
``var/browser/details-*.png``.

The pages come from the Flask app (test client over the world of ``tests/unit/views/test_detail_lines``: SQLite, the
related-judgments search replaced by fixed results) behind Playwright's request routing: no server, no
worker, no Elasticsearch.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask

from tests.browser.live import SCREENSHOT_DIR
from tests.integration.web_world import World, client_for
from tests.unit.views.test_detail_lines import _group, _results, app, world

__all__ = ["app", "world"]  # the fixtures of the Flask-client tests, bound here so pytest finds them

pytestmark = [pytest.mark.browser]

ORIGIN = "http://cmms.test"

# The horizontal gaps between what is drawn of the consecutive parts of a details line (each part's
# contents, so padding on a part counts as gap), in drawing order.
_GAPS_JS = """el => { const rects = [...el.children].map(c => { const r = document.createRange();
                                                                 r.selectNodeContents(c);
                                                                 return r.getBoundingClientRect(); })
                                                   .sort((a, b) => a.left - b.left);
                      return rects.slice(1).map((r, i) => r.left - rects[i].right); }"""


@pytest.fixture(params=["en", "ur"])
def page_in(request: pytest.FixtureRequest, app: Flask, world: World, browser: Any,
            monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Any, str]]:
    """A Chromium page on the app in English or Urdu."""
    found = _results(
        _group(world, "older", "cited", "PLD 2019 SC 64", "Supreme Court of Pakistan", "2019-03-01", (3,)),
        _group(world, "newer", "citing", "2023 SCMR 100", "Peshawar High Court", None, (1,)),
        _group(world, "older", "cited", "PLD 2015 SC 12", "", None, ()))
    monkeypatch.setattr("search_app.views.caselaw_knowledge.similar_case_law", lambda *a, **k: found)
    client = client_for(app, "pros_a")
    client.set_cookie("cmms_lang", request.param)

    def answer(route: Any) -> None:
        parts = urlsplit(route.request.url)
        response = client.get(parts.path + (f"?{parts.query}" if parts.query else ""))
        route.fulfill(status=response.status_code, body=response.get_data(),
                      headers={"content-type": response.content_type})

    context = browser.new_context(viewport={"width": 1000, "height": 900})
    page = context.new_page()
    page.route(f"{ORIGIN}/**", answer)
    yield page, request.param
    context.close()


def _shot(target: Any, name: str) -> None:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    target.screenshot(path=str(SCREENSHOT_DIR / f"details-{name}.png"))


def test_related_details_have_even_gaps_and_no_dangling_separator(page_in: tuple[Any, str], world: World) -> None:
    page, language = page_in
    page.goto(f"{ORIGIN}/caselaw/{world.caselaw['citing'].id}/related")
    _shot(page, f"related-{language}")
    metas = page.locator(".result-meta")
    assert metas.count() == 3
    for i, parts in enumerate((4, 3, 1)):  # all four; no date; a citation alone
        text = metas.nth(i).inner_text().strip()
        assert not text.startswith("·") and not text.endswith("·"), text
        gaps = metas.nth(i).evaluate(_GAPS_JS)
        assert len(gaps) == parts - 1, (text, gaps)
        assert max(gaps, default=0) - min(gaps, default=0) < 1.5, (text, gaps)  # the same " · " everywhere


def test_a_chosen_title_keeps_its_citation_in_order_and_the_mention_starts_with_it(page_in: tuple[Any, str],
                                                                                    world: World) -> None:
    page, language = page_in
    case_id = world.cases["gul_khan"].id
    page.goto(f"{ORIGIN}/cases/{case_id}/exhibits")
    for key in ("memo-ur", "memo-en"):
        page.select_option("select[name=memo_document]", str(world.docs[key].id))
        _shot(page.locator("#exhibit-form"), f"exhibits-{key}-{language}")
    page.locator("#exhibits a").first.click()
    _shot(page, f"exhibit-{language}")
    mention = page.locator(f"#mentions a[href='/documents/{world.docs['memo-ur'].id}/pages/1']")
    assert mention.locator("bdi.doc-title").count() == 1
    title = mention.locator("bdi.doc-title").bounding_box()
    link = mention.bounding_box()
    assert title is not None and link is not None
    # the title opens the sentence: at its right end on the Urdu page, its left end on the English one
    if language == "ur":
        assert abs((title["x"] + title["width"]) - (link["x"] + link["width"])) < 1
    else:
        assert abs(title["x"] - link["x"]) < 1
    year, page_no = mention.locator("bdi.ref").evaluate("""el => { const t = el.firstChild, at = w => {
        const r = document.createRange(); r.setStart(t, t.data.indexOf(w)); r.setEnd(t, t.data.indexOf(w) + 1);
        return r.getBoundingClientRect().left; }; return [at('2010'), at('1791')]; }""")
    assert year < page_no  # "2010 SCMR 1791", not "SCMR 1791 2010"
