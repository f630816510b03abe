"""Citations shown as printed, and what a librarian types read through legalrefs (pure rules)."""

from __future__ import annotations

import pytest

from caselaw.curation import (
    MAX_NOTE,
    CollectionEdit,
    CurationError,
    clean_text,
    collection_key,
    parse_case_numbers,
    parse_citations,
    parse_collection,
    parse_headnote,
    parse_note,
    parse_record,
    parse_section,
    parse_sections,
    parse_tags,
    read_typed,
)
from legalrefs import normalise
from legalrefs.display import display, display_citation, display_statute


@pytest.mark.parametrize(
    ("key", "printed"),
    [
        ("SCMR 2010 1791", "2010 SCMR 1791"),
        ("PLD 1998 SC 1445", "PLD 1998 SC 1445"),
        ("PLD 1995 Lahore Note 54", "PLD 1995 Lahore (Note) 54"),
        ("SCMR 1999 Note 12", "1999 SCMR Note 12"),
        ("PLC(CS) 2009 981", "2009 PLC (C.S.) 981"),
        ("PSC(Crl) 2014 562", "2014 PSC (Crl.) 562"),
        ("PCrLJ 1990 1688", "1990 PCrLJ 1688"),
        ("SCP 2019 231", "2019 SCP 231"),
        ("SCC 1994 4 602", "(1994) 4 SCC 602"),
        ("AllER 1984 3 935", "[1984] 3 All ER 935"),
        ("AC 1942 1", "[1942] AC 1"),
        ("CriLJ 1995 22", "1995 Cri LJ 22"),
        ("XYZ 2010 5", "XYZ 2010 5"),  # unknown reporter: unchanged, never an error
        ("", ""),
    ],
)
def test_citation_keys_are_shown_as_printed(key: str, printed: str) -> None:
    assert display_citation(key) == printed


@pytest.mark.parametrize("printed", ["2010 SCMR 1791", "PLD 1998 SC 1445", "2009 PLC (C.S.) 981",
                                     "(1994) 4 SCC 602", "[1984] 3 All ER 935", "2014 PSC (Crl.) 562"])
def test_the_printed_form_reads_back_to_the_same_key(printed: str) -> None:
    key = normalise(printed)[0]
    assert display(key) == printed
    assert normalise(display(key)) == [key]


def test_statutes_are_shown_as_printed() -> None:
    assert display_statute("PPC 302(b)") == "302(b) PPC"
    assert display_statute("Constitution 185(3)") == "Article 185(3), Constitution"
    assert display("CNSA 9(c)") == "9(c) CNSA"


@pytest.mark.parametrize(
    ("typed", "keys"),
    [
        ("2022 SCMR 1641", ["SCMR 2022 1641"]),
        ("SCMR 2022 1641", ["SCMR 2022 1641"]),  # a key typed back in
        ("2022 S.C.M.R. 1641", ["SCMR 2022 1641"]),
        ("PLD 2020 SC 61; 2019 SCP 231", ["PLD 2020 SC 61", "SCP 2019 231"]),
        ("P L D 2020 Supreme Court 61", ["PLD 2020 SC 61"]),
        ("", []),
    ],
)
def test_typed_citations_are_normalised(typed: str, keys: list[str]) -> None:
    assert parse_citations(typed) == keys


@pytest.mark.parametrize("typed", ["302 PPC", "twenty SCMR", "see the judgment"])
def test_anything_that_is_not_a_citation_is_refused_with_a_message(typed: str) -> None:
    with pytest.raises(CurationError, match="not a law-report citation"):
        parse_citations(typed)


def test_spaced_and_bracketed_reporters_are_accepted_on_the_record_form() -> None:
    assert parse_citations("1998 P L D (SC) 1445; PLD 1998 (SC) 1446") == ["PLD 1998 SC 1445", "PLD 1998 SC 1446"]


def test_case_numbers_sections_and_tags() -> None:
    assert parse_case_numbers("Crl.A. No. 95 of 2019; C.A.10-L-2017") == ["Crl.A.95-2019", "C.A.10-L-2017"]
    assert parse_sections("302(b) PPC, s.497 Cr.P.C.; 9(c) CNSA") == ["PPC 302(b)", "CrPC 497", "CNSA 9(c)"]
    assert parse_tags("Bail;  Narcotics ; bail") == ["bail", "narcotics"]
    with pytest.raises(CurationError, match="not a case number"):
        parse_case_numbers("appeal of last year")
    with pytest.raises(CurationError, match="not a statute section"):
        parse_sections("the relevant law")


@pytest.mark.parametrize(
    ("typed", "keys"),
    [
        ("PPC 302(b)", ["PPC 302(b)"]),                               # act first, as clerks write it
        ("302(b) PPC", ["PPC 302(b)"]),
        ("2022 SCMR 1641 and PPC 302(b)", ["SCMR 2022 1641", "PPC 302(b)"]),  # mixed kinds and orders
        ("302(b) PPC and CrPC 497", ["PPC 302(b)", "CrPC 497"]),
        ("CrPC 497(2) and PPC 302(b)", ["CrPC 497(2)", "PPC 302(b)"]),  # each act starts its own item
        ("PPC 302(b) and 497(2) Cr.P.C.", ["PPC 302(b)", "CrPC 497(2)"]),  # not a Cr.P.C. list
        ("PPC 302(b), 324 and 34", ["PPC 302(b)", "PPC 324", "PPC 34"]),
        ("murder under ppc 302", ["PPC 302"]),
        ("Crl.A. No. 95 of 2019, PPC 302", ["Crl.A.95-2019", "PPC 302"]),
        ("bail in narcotics 2019 cases", []),
    ],
)
def test_read_typed_reads_sections_written_act_first(typed: str, keys: list[str]) -> None:
    assert [r.key for r in read_typed(typed)] == keys


def test_free_text_keeps_line_breaks_and_urdu() -> None:
    assert clean_text("  first line\r\nدوسری سطر \n") == "first line\nدوسری سطر"
    headnote = parse_headnote({"ur-question": "سوال\r\nقانون", "ur-held": "", "ur-sections": "302 PPC",
                               "ur-keywords": "ضمانت"}, "ur")
    assert headnote.question == "سوال\nقانون" and headnote.sections == ["PPC 302"] and headnote.keywords == ["ضمانت"]
    with pytest.raises(CurationError):
        clean_text("x" * 21, limit=20)


def test_the_record_form_is_read_into_keys() -> None:
    record = parse_record({"citations": "2022 SCMR 1641; 2022 SCP 234", "case_numbers": "J.P. No. 587 of 2016",
                           "court": " Supreme Court of Pakistan ", "decided_on": "2022-06-02", "result": "allowed",
                           "bench": "Sardar Tariq Masood\n\nAmin-ud-Din Khan", "parties": "Qaiser v. The State"})
    values = record.values()
    assert values["citation"] == "SCMR 2022 1641" and values["parallel_citations"] == ["SCP 2022 234"]
    assert values["case_number"] == "J.P.587-2016" and values["bench"] == ["Sardar Tariq Masood", "Amin-ud-Din Khan"]
    with pytest.raises(CurationError, match="Choose the result"):
        parse_record({"result": "won"})
    with pytest.raises(CurationError, match="must be a date"):
        parse_record({"decided_on": "yesterday"})


def test_invisible_characters_are_removed_from_what_users_type() -> None:
    assert parse_note("Bail \u202erefused\u202c\r\nin ATC\u200b cases") == "Bail refused\nin ATC cases"
    assert parse_tags("b\u200bail; \ufeffnarcotics") == ["bail", "narcotics"]
    assert parse_sections("302\u200b PPC") == ["PPC 302"]
    headnote = parse_headnote({"ur-question": "سوال\u2067\u200c", "ur-held": "", "ur-sections": "",
                               "ur-keywords": ""}, "ur")
    assert headnote.question == "سوال\u200c"  # ZWNJ kept
    assert parse_collection("Bail\u202e in\u200b narcotics", "x\x00y").name == "Bail in narcotics"


@pytest.mark.parametrize("hidden", ["\u2060", "\u200e", "\u00ad", "\u061c", "\u2063", "\U000e0041", "\u200f"])
def test_a_tag_with_a_hidden_format_character_is_the_same_tag(hidden: str) -> None:
    assert parse_tags(f"bail; ba{hidden}il; {hidden}bail{hidden}") == ["bail"]
    assert parse_note(f"Bail{hidden} refused") == "Bail refused"
    assert parse_collection(f"Bail in{hidden} narcotics", "", []).name == "Bail in narcotics"


def test_a_note_keeps_its_lines_and_a_name_its_words() -> None:
    assert parse_note("Bail refused\u2028Appeal allowed\u2029") == "Bail refused\nAppeal allowed"
    assert parse_collection("Bail in\tnarcotics", "one\u2028two", []) == CollectionEdit("Bail in narcotics",
                                                                                         "one\ntwo")
    assert parse_collection("Bail\u00a0in\u2003narcotics\u2028cases", "", []).name == "Bail in narcotics cases"
    assert parse_tags("bail\tin narcotics") == ["bail in narcotics"]


def test_a_note_has_at_most_4000_characters_and_the_error_says_how_long_it_is() -> None:
    assert parse_note("x" * MAX_NOTE) == "x" * MAX_NOTE
    with pytest.raises(CurationError, match="4001 characters; a note may have at most 4000") as raised:
        parse_note("x" * (MAX_NOTE + 1))
    assert raised.value.params == {"length": MAX_NOTE + 1, "limit": MAX_NOTE}
    with pytest.raises(CurationError, match="Write the note first"):
        parse_note(" \u200b ")


def test_the_tag_error_shows_the_tag_as_typed() -> None:
    typed = "Bail In Narcotics Cases Where The Recovery Was Not Witnessed By Two Respectables"
    with pytest.raises(CurationError) as raised:
        parse_tags(f"murder; {typed}")
    assert raised.value.params["tag"] == typed


@pytest.mark.parametrize("existing", ["Bail in narcotics", "bail in NARCOTICS", "BAIL  IN  Narcotics",
                                      "Ｂail in narcotics", "BAİL IN NARCOTICS", "Bail\tin narcotics"])
def test_collection_names_are_unique_compared_casefolded(existing: str) -> None:
    with pytest.raises(CurationError, match="already exists") as raised:
        parse_collection("bail in narcotics", "", ["Murder appeals", existing])
    assert raised.value.params["name"] == existing
    assert parse_collection("Bail in murder", "", [existing]).name == "Bail in murder"
    with pytest.raises(CurationError, match="name of at most"):
        parse_collection("\u200b", "", [])


def test_a_name_is_stored_as_typed_and_compared_by_its_key() -> None:
    assert parse_collection("Ｂail in narcotics", "", []).name == "Ｂail in narcotics"
    assert collection_key("Ｂail  İN narcotics") == collection_key("bail in NARCOTICS") == "bail in narcotics"
    assert collection_key("ضمانت") != collection_key("قتل")
    assert parse_tags("bail; ＢAİL; Bail") == ["bail"]


def test_one_section_is_read_or_refused_even_when_only_invisible_characters_were_typed() -> None:
    assert parse_section("302(b) PPC, 34 PPC") == "PPC 302(b)"
    for typed in ("\x03", "\u200b", "the relevant law"):
        with pytest.raises(CurationError, match="not a statute section"):
            parse_section(typed)


def test_an_error_names_its_field_in_the_readers_language() -> None:
    """The field's label is a message of its own: an Urdu reader is not told "Decision date" in English."""
    from pathlib import Path

    from babel.messages.pofile import read_po

    po = Path(__file__).parents[3] / "search_app" / "translations" / "ur" / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as handle:
        catalog = read_po(handle)

    def urdu(message: str, **params: object) -> str:
        found = catalog.get(message)
        text = found.string if found is not None and found.string else message
        return str(text) % params if params else str(text)

    with pytest.raises(CurationError) as refused:
        parse_record({"decided_on": "31/31/2019"})
    shown = refused.value.shown(urdu)
    assert urdu("Decision date") in shown and "Decision date" not in shown
    assert shown.startswith(urdu("Decision date"))
    english = refused.value.shown(lambda message, **params: message % params if params else message)
    assert english == "Decision date must be a date like 2019-03-31."
