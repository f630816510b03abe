"""The librarian's journey on the live app (real worker, Redis, Elasticsearch, Chromium):

approve a judgment awaiting review -> write its headnote in English and Urdu -> add it to a
collection -> on a later judgment citing it, confirm the suggested treatment as "overruled" -> a
prosecutor of another district finds it in search results with the "Overruled" warning.

The two judgments are set up in the database as the pipeline leaves them (text pages, a pending
record, a citation with its citing sentence and suggested treatment); the page texts are written for
this test. Screenshots of each step go to ``var/browser/caselaw-*.png``.
"""

from __future__ import annotations

import time
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from models import (
    CaseLaw,
    CaseLawCitation,
    CaseLawHeadnote,
    CaseLawStatus,
    CitationTreatment,
    District,
    DocType,
    Role,
    User,
)
from tests.browser.live import PASSWORD, SCREENSHOT_DIR, LiveStack, log_in
from tests.integration.web_world import add_document

pytestmark = [pytest.mark.browser, pytest.mark.elasticsearch, pytest.mark.redis, pytest.mark.slow]

OLD_TEXT = ["Judgment on bail in narcotics cases: recovery of charas from a vehicle, the chemical report and",
            "the benefit of doubt when the case property was not produced before the trial court."]
NEW_TEXT = ["A larger bench revisits bail in narcotics cases. The view taken in PLD 2019 SC 64 that the case",
            "property need not be produced is overruled; production of the narcotics is essential."]
WARNING_TIMEOUT_S = 90


@pytest.fixture(scope="module")
def judgments(live: LiveStack) -> dict[str, int]:
    from elasticsearch import Elasticsearch

    from indexer import IndexNames, index_document
    from search_app.auth.passwords import hash_password

    with live.factory() as db:
        peshawar = db.scalar(select(District).where(District.name == "Peshawar"))
        assert peshawar is not None
        db.add(User(username="librarian", full_name="Librarian Peshawar", password_hash=hash_password(PASSWORD),
                    role=Role.LIBRARIAN, districts=[peshawar]))
        old = add_document(db, live.settings, key="journey-old", district=peshawar, doc_type=DocType.JUDGMENT,
                           pages=[OLD_TEXT], filename="old-judgment.pdf")
        new = add_document(db, live.settings, key="journey-new", district=peshawar, doc_type=DocType.JUDGMENT,
                           pages=[NEW_TEXT], filename="new-judgment.pdf")
        cited = CaseLaw(document_id=old.id, citation="PLD 2019 SC 64", case_number="Crl.A.10-2018",
                        case_numbers=["Crl.A.10-2018"], court="Supreme Court of Pakistan",
                        decided_on=date(2019, 3, 1), parties="Amir Khan v. The State", bench=["Judge One"])
        citing = CaseLaw(document_id=new.id, citation="SCMR 2023 100", case_number="Crl.A.5-2023",
                         case_numbers=["Crl.A.5-2023"], court="Supreme Court of Pakistan",
                         decided_on=date(2023, 5, 2), parties="Bashir v. The State", status=CaseLawStatus.PUBLISHED)
        db.add_all([cited, citing])
        db.flush()
        db.add(CaseLawCitation(citing_id=citing.id, cited_key="PLD 2019 SC 64", cited_id=cited.id))
        db.add(CitationTreatment(citing_id=citing.id, cited_key="PLD 2019 SC 64", suggested="overruled",
                                 cue="overruled", sentence=" ".join(NEW_TEXT)))
        db.commit()
        ids = {"old": cited.id, "new": citing.id, "old_doc": old.id, "new_doc": new.id}
    es = Elasticsearch(live.settings.es_url)
    with live.factory() as db:
        for document_id in (ids["old_doc"], ids["new_doc"]):
            index_document(db, es, live.settings, document_id, refresh=False)
    es.indices.refresh(index=IndexNames.from_settings(live.settings).alias("pages"))
    return ids


def shot(page: Any, name: str) -> None:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / f"caselaw-{name}.png"), full_page=True)


def test_librarian_approves_curates_collects_and_flags_and_the_warning_shows_in_search(
    live: LiveStack, browser: Any, judgments: dict[str, int],
) -> None:
    # a prosecutor of another district does not find the judgment before approval
    mardan = log_in(browser, live, "pros_mardan")
    mardan.goto(f"{live.url}/caselaw?q=charas")
    assert mardan.locator(f".result[data-document-id='{judgments['old_doc']}']").count() == 0

    page = log_in(browser, live, "librarian")
    page.goto(f"{live.url}/caselaw/review")
    page.click(f"#review-list li[data-caselaw-id='{judgments['old']}'] a.judgment-title")
    shot(page, "1-before-approval")
    page.click("#approve-caselaw")
    page.wait_for_load_state()
    assert "published province-wide" in page.inner_text("#caselaw-status")
    shot(page, "2-approved")

    page.click("#curate-caselaw")
    page.fill("#en-question", "Must the case property be produced at trial?\nWhat if it is not?")
    page.fill("#en-held", "Yes. Without it the benefit of doubt goes to the accused.")
    page.fill("#en-sections", "9(c) CNSA")
    page.fill("#en-keywords", "bail; case property")
    page.fill("#ur-question", "کیا مقدمے کی جائیداد پیش کرنا ضروری ہے؟\nاگر نہ کی جائے تو؟")
    page.fill("#ur-held", "ہاں، ورنہ شک کا فائدہ ملزم کو جاتا ہے۔")
    page.fill("#tags", "narcotics; bail")
    page.click("#save-curation")
    page.wait_for_load_state()  # the click returns at commit; read once styles are applied
    assert page.locator("#headnote-en .keep-lines").first.inner_text().splitlines() == [
        "Must the case property be produced at trial?", "What if it is not?"]
    urdu = page.locator("#headnote-ur")
    assert urdu.get_attribute("dir") == "rtl" and "اگر نہ کی جائے تو؟" in urdu.inner_text()
    shot(page, "3-headnotes")

    page.goto(f"{live.url}/caselaw/collections")
    page.fill("#collection-name", "Bail in narcotics cases")
    page.click("#create-collection")
    page.wait_for_load_state()
    page.goto(f"{live.url}/caselaw/{judgments['old']}")
    page.select_option("#collection-choice", label="Bail in narcotics cases")
    page.click("#add-to-collection")
    page.wait_for_load_state()
    assert "Bail in narcotics cases" in page.inner_text(".caselaw-facts")
    shot(page, "4-in-collection")

    page.goto(f"{live.url}/caselaw/{judgments['new']}")
    item = page.locator("#citations-made li[data-cited-key='PLD 2019 SC 64']")
    assert "suggested: overruled" in item.inner_text()
    item.locator("select[name=treatment]").select_option("overruled")
    item.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "overruled" in page.locator("#citations-made li[data-cited-key='PLD 2019 SC 64'] .confirmed").inner_text()
    shot(page, "5-treatment-confirmed")
    page.click("#citation-graph")
    page.wait_for_load_state()  # the click returns once navigation commits, before the SVG is parsed
    assert page.locator("#citation-graph .node-overruled").count() == 1  # the cited judgment, flagged
    assert page.text_content("#citation-graph .node-cites text") == "Amir Khan v. The State"  # by its title
    shot(page, "5b-citation-graph")

    # the worker re-indexes the overruled judgment; the Mardan prosecutor now finds it, flagged
    deadline = time.monotonic() + WARNING_TIMEOUT_S
    result = mardan.locator(f".result[data-document-id='{judgments['old_doc']}']")
    while True:
        mardan.goto(f"{live.url}/caselaw?q=charas")
        if result.count() and result.locator(".citator-overruled").count():
            break
        if time.monotonic() > deadline:
            raise AssertionError(f"no warning in the search results; worker log:\n{live.worker_output()}")
        time.sleep(2)
    assert "Overruled" in result.inner_text()
    shot(mardan, "6-warning-in-search-results")
    mardan.goto(f"{live.url}/caselaw/{judgments['old']}")
    assert "Overruled" in mardan.inner_text(".citator-warning") and "Bashir v. The State" in mardan.inner_text(
        ".citator-warning")
    shot(mardan, "7-warning-on-the-record")
    mardan.goto(f"{live.url}/caselaw/{judgments['old']}/graph")  # its own graph says so too
    assert "Bashir v. The State" in mardan.inner_text(".citator-warning")
    assert mardan.locator("#graph-self .node-self.node-overruled").count() == 1
    assert mardan.text_content("#citation-graph .node-cited_by text") == "Bashir v. The State"
    shot(mardan, "7b-overruled-in-its-graph")
    with live.factory() as db:
        stored = db.get(CaseLaw, judgments["old"])
        assert stored is not None and stored.status == CaseLawStatus.PUBLISHED
        assert db.scalar(select(CaseLawHeadnote).where(CaseLawHeadnote.case_law_id == stored.id,
                                                       CaseLawHeadnote.language == "ur")) is not None
