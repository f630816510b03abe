"""Table-driven tests for the printed forms of issue 14 (round 2), one row per kind, with negatives.

Rows are made-up sentences of the same shape as the forms met in the Supreme Court and Lahore High
Court judgments of the new gold part (tests/fixtures/gold/new/) and the issue's examples.
"""

from __future__ import annotations

import pytest

from legalrefs import RefKind, find_references, normalise

# (text, kind, expected keys in order)
FORMS: list[tuple[str, RefKind, list[str]]] = [
    # ranges: one reference per section
    ("convicted under Ss. 395-396 PPC", RefKind.STATUTE, ["PPC 395", "PPC 396"]),
    ("under sections 279 to 281 P.P.C.", RefKind.STATUTE, ["PPC 279", "PPC 280", "PPC 281"]),
    ("sections 302-324 PPC", RefKind.STATUTE, ["PPC 302", "PPC 324"]),  # no 23-section range
    # aliases resolve to the last named act whose printed name has the alias word
    ("under the Control of Narcotic Substances Act, 1997 (the \u201cAct\u201d). The appeal is under section 48 "
     "of the Act.", RefKind.STATUTE, ["CNSA 48"]),
    ("the Code of Criminal Procedure, 1898 applies; see section 342 of the Code.", RefKind.STATUTE, ["CrPC 342"]),
    ("the National Accountability Ordinance, 1999. Under section 9(a) of the Ordinance", RefKind.STATUTE,
     ["NAO 9(a)"]),
    ("the Illegal Dispossession Act, 2005 (\u201cthe 2005 Act\u201d) ... section 3 of the 2005 Act", RefKind.STATUTE,
     ["IDA 3"]),
    ("Article 10A of the Constitution. Article 4 ibid.", RefKind.STATUTE, ["Constitution 10-A", "Constitution 4"]),
    ("Article 25(1) of the Constitution read with Article 8 thereof", RefKind.STATUTE,
     ["Constitution 25(1)", "Constitution 8"]),
    # joined forms
    ("Section 302(b) read with Section 149 PPC", RefKind.STATUTE, ["PPC 302(b)", "PPC 149"]),
    ("sections 375 and 376 in PPC", RefKind.STATUTE, ["PPC 375", "PPC 376"]),
    ("section 7-ATA, 1997", RefKind.STATUTE, ["ATA 7"]),
    # sub-forms folded into the key
    ("sub-Article (2) of Article 48 of the Constitution", RefKind.STATUTE, ["Constitution 48(2)"]),
    ("sub-section (1) of section 401 Cr.P.C.", RefKind.STATUTE, ["CrPC 401(1)"]),
    ("section 345(5A) Cr.P.C.", RefKind.STATUTE, ["CrPC 345(5A)"]),
    ("under Sections: 9(1) 3(c) and 15 of the Control of Narcotic Substances Act", RefKind.STATUTE,
     ["CNSA 9(1)(3)(c)", "CNSA 15"]),
    ("sections 23(i)A, 24 & 25 of the Sindh Arms Act, 2013", RefKind.STATUTE, ["SAA 23(i)(a)", "SAA 24", "SAA 25"]),
    # act before section
    ("the Pakistan Penal Code, Section 71", RefKind.STATUTE, ["PPC 71"]),
    ("the Code of Criminal Procedure, 1898, Section 516-A thereof", RefKind.STATUTE, ["CrPC 516-A"]),
    # KP forms and special laws
    ("case under 9-C CNSA", RefKind.STATUTE, ["CNSA 9(c)"]),
    ("case under 9C CNSA", RefKind.STATUTE, ["CNSA 9(c)"]),
    ("recovered pistol u/s 15 AA", RefKind.STATUTE, ["KPAA 15"]),
    ("section 15 of the Khyber Pakhtunkhwa Arms Act, 2013", RefKind.STATUTE, ["KPAA 15"]),
    ("section 4 of the Juvenile Justice System Ordinance, 2000", RefKind.STATUTE, ["JJSO 4"]),
    ("section 6 of the Juvenile Justice System Act, 2018", RefKind.STATUTE, ["JJSA 6"]),
    ("section 20 of the Prevention of Electronic Crimes Act", RefKind.STATUTE, ["PECA 20"]),
    ("section 5(2) of the Prevention of Corruption Act, 1947", RefKind.STATUTE, ["PCA 5(2)"]),
    ("section 10 of the Offence of Zina (Enforcement of Hudood) Ordinance, 1979", RefKind.STATUTE, ["ZinaOrd 10"]),
    ("section 4/5 Explosive Substances Act", RefKind.STATUTE, ["ESA 4", "ESA 5"]),
    # citations
    ("(1996) 2 Supreme Court Cases 384", RefKind.CITATION, ["SCC 1996 2 384"]),
    ("1996 (2) SCC 384", RefKind.CITATION, ["SCC 1996 2 384"]),
    ("2005 PCrLJN 12", RefKind.CITATION, ["PCrLJ 2005 Note 12"]),
    ("NLR 2005 (Criminal) SC 501", RefKind.CITATION, ["NLR 2005 SC(Criminal) 501"]),
    ("PLJ 2022 SC (Cr.C.) 40", RefKind.CITATION, ["PLJ 2022 SC(Cr.C) 40"]),
    ("AIR 1950 Madaras 12", RefKind.CITATION, ["AIR 1950 Madras 12"]),
    ("reported as 2024 LHC 1462", RefKind.CITATION, ["LHC 2024 1462"]),
    ("(reported at this court's website as 2024 SCP\n243)", RefKind.CITATION, ["SCP 2024 243"]),
    ("2019 PCr.L) 1033", RefKind.CITATION, ["PCrLJ 2019 1033"]),
    ("PLJ] 2015 SC 10", RefKind.CITATION, ["PLJ 2015 SC 10"]),
    # case numbers
    ("Murder Reference No.35 of 2022", RefKind.CASE_NUMBER, ["M.R.35-2022"]),
    ("Cr.Rev. No. 12/2021", RefKind.CASE_NUMBER, ["Crl.Rev.12-2021"]),
    # "C.R.P." and "Cr.P." squash alike: the Court's case list uses C.R.P. for a Civil Review Petition
    ("C.R.P.446-2022", RefKind.CASE_NUMBER, ["C.R.P.446-2022"]),
    ("C.R.P. No.167 of 2012", RefKind.CASE_NUMBER, ["C.R.P.167-2012"]),
    ("CRP 12/2020", RefKind.CASE_NUMBER, ["C.R.P.12-2020"]),
    ("Cr.P. No. 446/2022", RefKind.CASE_NUMBER, ["Crl.P.L.A.446-2022"]),
    ("Cr. P. No. 12 of 2020", RefKind.CASE_NUMBER, ["Crl.P.L.A.12-2020"]),
    # the Supreme Court's criminal suo motu review petition (J.P.587-2016 a/w Crl.S.M.R.P.14-2022)
    ("A/W. CRL. S.M.R.P. NO. 14 OF 2022", RefKind.CASE_NUMBER, ["Crl.S.M.R.P.14-2022"]),
    ("Crl.S.M.R.P.447-2022", RefKind.CASE_NUMBER, ["Crl.S.M.R.P.447-2022"]),
    ("Criminal Suo Motu Review Petition No.14 of 2022", RefKind.CASE_NUMBER, ["Crl.S.M.R.P.14-2022"]),
    ("Crl.R.P. No.76/2008", RefKind.CASE_NUMBER, ["Crl.R.P.76-2008"]),  # the plain review petition stays
    # courts: the KP Service Tribunal as judgments print it (C.A.654-2021: "the KPK Service Tribunal")
    ("passed by the KPK Service Tribunal, Peshawar", RefKind.COURT, ["Khyber Pakhtunkhwa Service Tribunal"]),
    ("the K.P.K. Service Tribunal", RefKind.COURT, ["Khyber Pakhtunkhwa Service Tribunal"]),
    ("the NWFP Service Tribunal", RefKind.COURT, ["Khyber Pakhtunkhwa Service Tribunal"]),
    ("the Federal Service Tribunal", RefKind.COURT, ["Federal Service Tribunal"]),
    # Urdu FIRs keyed like their English copies
    ("مقدمہ نمبر 245/2024 تھانہ صدر",
     RefKind.FIR, ["FIR 245/2024 PS Saddar"]),
    ("FIR No. 245/2024 PS Saddar", RefKind.FIR, ["FIR 245/2024 PS Saddar"]),
    ("ایف آئی آر نمبر ۲۴۵/۲۰۲۴",
     RefKind.FIR, ["FIR 245/2024"]),
]

# (text, kind): must yield nothing of that kind
NEGATIVES: list[tuple[str, RefKind]] = [
    ("Section 433-A of the Indian Code of Criminal Procedure", RefKind.STATUTE),
    ("Article 72 of the Constitution of India", RefKind.STATUTE),
    ("Article 21 of the Indian Constitution", RefKind.STATUTE),
    ("section 302 of the Indian Penal Code", RefKind.STATUTE),
    ("section 433-A Cr.P.C. 1973", RefKind.STATUTE),
    ("Article 14 of the U.S. Constitution", RefKind.STATUTE),
    # "the Act" after an act that is not in the data is not one of ours
    ("under the Control of Narcotic Substances Act, 1997. The Limitation Act, 1908 governs; "
     "section 5 of the Act", RefKind.STATUTE),
    # "ibid" far from any act
    ("Article 4 ibid", RefKind.STATUTE),
    ("U/S 302(b) of the said", RefKind.STATUTE),
]


@pytest.mark.parametrize(("text", "kind", "keys"), FORMS, ids=[f[0][:40] for f in FORMS])
def test_round2_form(text: str, kind: RefKind, keys: list[str]) -> None:
    assert [r.key for r in find_references(text, [kind])] == keys


@pytest.mark.parametrize(("text", "kind"), NEGATIVES, ids=[n[0][:40] for n in NEGATIVES])
def test_round2_negative(text: str, kind: RefKind) -> None:
    assert [r.key for r in find_references(text, [kind])] == []


def test_long_list_read_with_other_act_keeps_only_that_act() -> None:
    keys = [r.key for r in find_references("sections 419, 420 and 109 read with section 5(2) of the PCA")]
    assert keys == ["PCA 5(2)"]


def test_range_members_share_the_range_span() -> None:
    refs = find_references("Ss. 395-396 PPC")
    assert [(r.raw, r.attrs.get("range")) for r in refs] == [("395-396", "395-396"), ("395-396", "395-396")]


def test_alias_records_what_it_resolved() -> None:
    [ref] = find_references("the Code of Criminal Procedure, 1898 ... section 342 of the Code")
    assert ref.attrs["resolved_from"] == "Code" and ref.raw == "section 342 of the Code"


def test_neutral_citations_are_marked() -> None:
    [ref] = find_references("2024 LHC 1462")
    assert ref.kind is RefKind.CITATION and ref.attrs["neutral"] == "true"
    [pld] = find_references("PLD 2024 Lahore 1")
    assert "neutral" not in pld.attrs


@pytest.mark.parametrize("typed", ["FIR 310/2004", "fir 310/2004"])
def test_fir_search_forms(typed: str) -> None:
    assert normalise(typed) == ["FIR 310/2004"]


def test_urdu_fir_carries_the_english_station() -> None:
    text = "مقدمہ نمبر 245/2024 تھانہ صدر"
    [fir] = find_references(text, [RefKind.FIR])
    assert fir.attrs["police_station"] == "Saddar" and fir.attrs["year"] == "2024"
    assert fir.keys == ("FIR 245/2024 PS Saddar", "FIR 245/2024")


def test_unknown_urdu_station_is_kept_as_printed() -> None:
    text = "مقدمہ نمبر 12/2023 تھانہ ززز"
    [fir] = find_references(text, [RefKind.FIR])
    assert fir.attrs["police_station"] == "ززز"


@pytest.mark.parametrize("key", ["QazfOrd 2", "KPAA 15", "SAA 23(i)(a)", "CNSA 9(1)(3)(c)", "IDA 5(1)"])
def test_new_statute_keys_typed_back(key: str) -> None:
    assert normalise(key) == [key]


def test_page_furniture_is_stripped_and_pages_joined() -> None:
    """Running headers and page numbers between the parts of a reference; the page foot "9" is no ATA 9."""
    text = ("convicted under section 382-B\n\nCrl. Appeal No. 654/2023\n- 2 -\nCr.P.C. and sentenced.\n"
            "9\n\f\nAnti-Terrorism Act appeals\nCrl. Appeal No. 654/2023\n- 3 -\nheard.\n"
            "Crl. Appeal No. 654/2023\n- 4 -\nend")
    refs = find_references(text, [RefKind.STATUTE])
    assert [r.key for r in refs] == ["CrPC 382-B"]
    assert text[refs[0].start:refs[0].end].startswith("section 382-B") and refs[0].raw.endswith("Cr.P.C.")


def test_citation_page_on_its_own_line_is_no_page_number() -> None:
    assert [r.key for r in find_references("(2010 SCMR\n846) and others", [RefKind.CITATION])] == ["SCMR 2010 846"]
