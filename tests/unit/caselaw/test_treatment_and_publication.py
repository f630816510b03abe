"""Treatment suggestions from cue phrases, and the publication rules (pure, no services)."""

from __future__ import annotations

from datetime import date

import pytest

from caselaw.publication import PublicationError, approve, missing_for_approval, same_judgment, withdraw
from caselaw.treatment import citing_sentence, suggest, treatments
from models import CaseLaw, CaseLawStatus, Role, Treatment


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Reliance is placed on Miran Bux v. The State (PLD 1989 SC 347).", Treatment.RELIED_UPON),
        ("The view taken in X v. Y (2010 SCMR 5) was overruled by a larger bench.", Treatment.OVERRULED),
        ("We respectfully doubted the correctness of X v. Y (2010 SCMR 5).", Treatment.DOUBTED),
        ("The case of X v. Y (2010 SCMR 5) is distinguishable on facts.", Treatment.DISTINGUISHED),
        ("The cases of X v. Y (2002 SCMR 82) stand on a different factual matrix.", Treatment.DISTINGUISHED),
        ("Learned counsel for the petitioner placed reliance on X v. Y (2010 SCMR 5).", Treatment.REFERRED),
        ("He has placed reliance on X v. Y (2010 SCMR 5).", Treatment.REFERRED),
        ("In support of his contentions, the learned Attorney General has relied on X v. Y (2010 SCMR 5).",
         Treatment.REFERRED),
        ("The same view was reiterated in X v. Y (2010 SCMR 5).", Treatment.RELIED_UPON),
        ("This matter was decided by this Court in X v. Y (1998 SCMR 1618).", Treatment.FOLLOWED),
        ("Reference may be made to X v. Y (2010 SCMR 5).", Treatment.REFERRED),
        ("Reference may also be made to X v. Y (2010 SCMR 5), wherein it was held that bail is a right.",
         Treatment.REFERRED),
        ("X v. Y (2010 SCMR 5).", Treatment.REFERRED),
    ],
)
def test_cue_phrases_suggest_a_treatment(sentence: str, expected: Treatment) -> None:
    end = sentence.index(")") + 1
    assert suggest(sentence, cited_end=end)[0] == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # negation: the Court applies it
        ("The case of X v. Y (2010 SCMR 5) is not distinguishable from the present one.", Treatment.REFERRED),
        # the cue names a notion, it does not treat the case
        ("In X v. Y (2013 SCC 8) the term per incuriam was discussed at length.", Treatment.REFERRED),
        # reported speech: counsel's claim, not the Court's finding
        ("Learned counsel contended that X v. Y (2010 SCMR 5) is distinguishable.", Treatment.REFERRED),
        # the cue after the citation has an object of its own: X followed Z, this Court did not treat X
        ("In X v. Y (2011 SCMR 1004), this Court followed the judgment of Z v. W.", Treatment.REFERRED),
        # a clause reporting the cited case's own holding
        ("Reliance is placed on X v. Y (2015 SCMR 1077), wherein this Court departed from Z.", Treatment.RELIED_UPON),
        # which side of "but" the citation is on
        ("Though a similar view was taken in X v. Y (1979 SCMR 22), but in A v. B this Court has held otherwise.",
         Treatment.REFERRED),
        # a lower court's reliance is history
        ("The learned High Court placed reliance on X v. Y (PLD 1962 SC 128) and dismissed the appeal.",
         Treatment.REFERRED),
        # footnotes under the Court's statement
        ("Bail is the rule and refusal the exception 1 Arif Din v. Amil Khan 2005 SCMR 1402.", Treatment.RELIED_UPON),
    ],
)
def test_scope_rules(sentence: str, expected: Treatment) -> None:
    end = sentence.index("SCMR 1402") + 9 if "1402" in sentence else sentence.index(")") + 1
    assert suggest(sentence, cited_end=end)[0] == expected


def test_words_inside_a_quotation_are_the_quoted_courts() -> None:
    quoted = ("It was held as follows: “This Court in X v. Y (2010 SCMR 5) has overruled the earlier view, "
              "and the appeal is allowed.” The appeal is dismissed.")
    [only] = treatments([quoted])
    assert only.suggested == Treatment.REFERRED and only.cue == "(inside a quotation)"
    header = ("… the grain has to be sifted from the chaff.” Muhammad Zaman v State (2014 SCMR 749) “The maxim is "
              "not applicable in such circumstances.”")
    assert treatments([header])[0].suggested == Treatment.REFERRED  # "not applicable" is the quoted court's
    title = "Reliance is placed on “Tariq Pervez Vs The State” (1995 SCMR 1345)."
    assert treatments([title])[0].suggested == Treatment.RELIED_UPON  # a quoted case title is no quotation


def test_a_citation_a_page_break_splits_has_its_sentence_and_suggestion() -> None:
    # the running header with the page number sits between the report's year and its page
    pages = ["Jail Petition No.276/2020 6\nthe evidence would not have supported the prosecution case. We rely on\n"
             "the judgment reported as \u201cLal Khan v. The State\u201d (2006 SCMR",
             "Jail Petition No.276/2020 7\n1846), and \u201cRiaz Ahmed v. The State\u201d (2010 SCMR 846). "
             "The petition is dismissed."]
    found = {s.cited_key: s for s in treatments(pages)}
    assert set(found) == {"SCMR 2006 1846", "SCMR 2010 846"}
    split = found["SCMR 2006 1846"]
    assert split.page_no == 1 and split.suggested == Treatment.RELIED_UPON
    assert split.sentence.startswith("We rely on") and split.sentence.endswith("(2010 SCMR 846).")
    assert found["SCMR 2010 846"].page_no == 2


def test_a_paragraph_of_counsel_s_submissions_is_reported_speech() -> None:
    text = ("4. Learned counsel for the appellant contended that the appellant was not named in the FIR. "
            "Thereafter in X v. Y (2011 SCMR 1004) this Court held that such a plea must be proved. "
            "5. We have heard the learned counsel. Reliance is placed on A v. B (2020 SCMR 1).")
    found = {s.cited_key: s.suggested for s in treatments([text])}
    assert found == {"SCMR 2011 1004": Treatment.REFERRED, "SCMR 2020 1": Treatment.RELIED_UPON}


def test_a_list_cut_by_a_false_sentence_end_keeps_its_cue() -> None:
    text = ("Reliance is placed on Qaiser Khan v. The State (2021 SCMR 363), Mn. "
            "Razia Sultana v. the State (2019 SCMR 1300) and others.")
    found = {s.cited_key: s.suggested for s in treatments([text])}
    assert found["SCMR 2019 1300"] == Treatment.RELIED_UPON


def test_words_reporting_the_cited_case_are_not_this_judgments_treatment() -> None:
    sentence = ("This position was expounded by a three-member bench of this Court in Socha Gul v. State "
                "(2015 SCMR 1077), wherein this Court has departed from the case of Jamal-ud-din.")
    end = sentence.index("1077)") + 5
    assert suggest(sentence, cited_end=end)[0] == Treatment.FOLLOWED
    assert suggest(sentence)[0] == Treatment.OVERRULED  # without knowing where the citation ends


def test_the_citing_sentence_runs_across_abbreviations_and_pages() -> None:
    pages = ["Facts of the case. Reliance is placed on Muhammad Ramzan Vs. Zafarullah (1986 SCMR 1380), Kazim",
             "Ali v. The State (2021 SCMR 2086) and others. Next sentence."]
    found = {s.cited_key: s for s in treatments(pages)}
    assert found["SCMR 2021 2086"].suggested == Treatment.RELIED_UPON and found["SCMR 2021 2086"].page_no == 2
    assert found["SCMR 1986 1380"].sentence.startswith("Reliance is placed on")
    text = "See Mst. Safia v. State (PLD 2001 SC 1). The next one."
    sentence, end = citing_sentence(text, text.index("PLD"), text.index(")") )
    assert sentence == "See Mst. Safia v. State (PLD 2001 SC 1)." and sentence[:end].endswith("SC 1")
    initials = "The ANF through its Force Commander, A.N.F. Rawalpindi v. Qasim Ali (2019 SCMR 1928) is relied upon."
    sentence, _ = citing_sentence(initials, initials.index("2019"), initials.index("1928") + 4)
    assert sentence.startswith("The ANF")  # "A.N.F." does not end the sentence


def test_a_judgments_own_citation_is_not_a_precedent_it_cites() -> None:
    pages = ["PLD 2020 SC 61\nJUDGMENT\nReliance is placed on 2010 SCMR 5."]
    assert [s.cited_key for s in treatments(pages, own_keys=["PLD 2020 SC 61"])] == ["SCMR 2010 5"]


def _entry(**values: object) -> CaseLaw:
    base: dict[str, object] = {"case_number": "Crl.A.1-2020", "court": "Supreme Court of Pakistan",
                               "decided_on": date(2020, 1, 1), "parties": "A v. B", "status": CaseLawStatus.PENDING}
    base.update(values)
    return CaseLaw(**base)


def test_approval_publishes_a_complete_record_and_withdrawal_takes_it_back() -> None:
    entry = _entry()
    change = approve(entry, user_id=7)
    assert (change.old, change.new) == ("pending", "published")
    assert entry.is_published and entry.approved_by_id == 7 and entry.approved_at is not None
    with pytest.raises(PublicationError, match="already published"):
        approve(entry, user_id=7)
    assert withdraw(entry).new == "withdrawn" and not entry.is_published
    with pytest.raises(PublicationError, match="Only a published"):
        withdraw(entry)


def test_an_incomplete_record_cannot_be_approved() -> None:
    entry = _entry(decided_on=None, parties="")
    assert missing_for_approval(entry) == ["decision date", "parties"]
    with pytest.raises(PublicationError, match="decision date, parties"):
        approve(entry, user_id=1)
    assert entry.status == CaseLawStatus.PENDING


def test_case_law_is_curated_and_approved_by_librarians_and_administrators_only() -> None:
    """Who may change a judgment's record or publish it is the permission table (README role table);
    which judgments (published ones province-wide, a district's before publication) is the scope's
    write predicate, checked by the generated authorization matrix and the case-law web tests."""
    from search_app.auth.policy import load_policy

    policy = load_policy()
    for permission in ("caselaw.write", "caselaw.approve"):
        assert policy.roles_for(permission) == {Role.LIBRARIAN, Role.ADMIN}
    assert Role.DATA_ENTRY not in policy.roles_for("caselaw.write")


def _record(sha: str, court: str, day: date | None, *numbers: str) -> CaseLaw:
    from models import Document

    return CaseLaw(document=Document(sha256=sha), court=court, decided_on=day,
                   case_number=numbers[0] if numbers else "", case_numbers=list(numbers))


@pytest.mark.parametrize(("other", "same"), [
    (_record("a" * 64, "Lahore High Court", None), True),                                        # the same file
    (_record("b" * 64, "supreme court of  Pakistan", date(2019, 3, 1), "Crl. A. 10/2018"), True),  # typed otherwise
    (_record("b" * 64, "Supreme Court of Pakistan", date(2019, 3, 1), "Crl.P.L.A.5-2018", "Crl.A.10-2018"), True),
    (_record("b" * 64, "Supreme Court of Pakistan", date(2019, 3, 1), "Crl.A.11-2018"), False),  # another appeal
    (_record("b" * 64, "Supreme Court of Pakistan", date(2019, 3, 2), "Crl.A.10-2018"), False),  # another day
    (_record("b" * 64, "Peshawar High Court", date(2019, 3, 1), "Crl.A.10-2018"), False),        # another court
    (_record("b" * 64, "Supreme Court of Pakistan", None, "Crl.A.10-2018"), False),              # no date: unsure
])
def test_same_judgment_is_the_same_file_or_court_date_and_a_case_number(other: CaseLaw, same: bool) -> None:
    mine = _record("a" * 64, "Supreme Court of Pakistan", date(2019, 3, 1), "Crl.A.10-2018")
    assert same_judgment(mine, other) is same


def test_approval_is_refused_when_the_judgment_is_already_published() -> None:
    entry = _record("a" * 64, "Supreme Court of Pakistan", date(2019, 3, 1), "Crl.A.10-2018")
    entry.parties = "State v. Amir"
    twin = _record("b" * 64, "Supreme Court of Pakistan", date(2019, 3, 1), "Crl.A.10-2018")
    twin.id, twin.citation = 7, "PLD 2019 SC 64"
    with pytest.raises(PublicationError) as refused:
        approve(entry, user_id=1, twin=twin)
    assert refused.value.params == {"id": 7, "citation": "PLD 2019 SC 64"}
    assert entry.status != CaseLawStatus.PUBLISHED
