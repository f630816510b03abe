"""The person matcher, table-driven: CNIC forms, Roman-Urdu spelling variants, Urdu script, and the
pairs that must NOT match (different people with similar names)."""

from __future__ import annotations

import pytest

from casework.persons import (
    PersonRecord,
    PersonRefused,
    check_cnic_owner,
    find_matches,
    match,
    name_similarity,
    normalise_cnic,
)


@pytest.mark.parametrize(("raw", "expected"), [
    ("17301-1234567-1", "17301-1234567-1"),
    ("1730112345671", "17301-1234567-1"),
    (" 17301 - 1234567 - 1 ", "17301-1234567-1"),
    ("۱۷۳۰۱-۱۲۳۴۵۶۷-۱", "17301-1234567-1"),       # Urdu (Extended Arabic-Indic) digits
    ("١٧٣٠١١٢٣٤٥٦٧١", "17301-1234567-1"),          # Arabic-Indic digits
    ("17301–1234567–1", "17301-1234567-1"),        # en dashes from a word processor
    ("", ""),
])
def test_cnic_forms(raw: str, expected: str) -> None:
    assert normalise_cnic(raw) == expected


@pytest.mark.parametrize("raw", ["1730-1234567-1", "17301-123456-1", "17301-1234567-12", "ABCDE-1234567-1",
                                 "00000-1234567-1", "17301/1234567/1", "173011234567"])
def test_bad_cnic_is_refused(raw: str) -> None:
    with pytest.raises(PersonRefused) as caught:
        normalise_cnic(raw)
    assert caught.value.code == "bad_cnic" and caught.value.field == "cnic"


SAME = [
    ("Muhammad Asif", "Mohammad Aasif", "Roman spelling variants"),
    ("Muhammad Asif", "Muhammed Asif", "Muhammed"),
    ("Muhammad Asif", "Mohd. Asif", "abbreviation"),
    ("Muhammad Asif", "M. Asif", "initial"),
    ("Muhammad Asif", "محمد آصف", "Urdu script"),
    ("Gul Khan", "Gul Khaan", "Khan/Khaan"),
    ("Gul Khan", "گل خان", "Urdu script"),
    ("Abdur Rehman", "Abdul Rahman", "article and vowel variants"),
    ("Abdur Rehman", "عبدالرحمن", "Urdu written as one word"),
    ("Zia ul Haq", "ضیاء الحق", "particle ul"),
    ("Hidayatullah", "Hidayat Ullah", "joined and split"),
    ("Yousaf Khan", "Yusuf Khan", "Yousaf/Yusuf"),
    ("Waseem Akram", "وسیم اکرم", "Urdu script"),
    ("Waseem Akram", "Wasim Akram", "ee/i"),
    ("Khurshid Ahmad", "Khursheed Ahmed", "ee and e/a"),
    ("Khurshid Ahmad", "خورشید احمد", "Urdu script"),
    ("Mst. Zainab Bibi", "زینب بی بی", "honorific dropped, Bibi in two words"),
    ("Syed Hussain Shah", "Sayed Husain Shah", "Syed/Sayed, Hussain/Husain"),
    ("Akbar Khan", "khan akbar", "word order and case"),
    ("Fatima", "فاطمہ", "final he"),
    ("Qasim", "Kasim", "q/k"),
]
DIFFERENT = [
    ("Muhammad Asif", "Muhammad Arif", "one letter, different name"),
    ("Hussain Shah", "Hassan Shah", "different names with the same consonants"),
    ("Imran Khan", "Irfan Khan", ""),
    ("Sher Ali", "Sher Khan", ""),
    ("Ali", "Ola", ""),
    ("Gul Khan", "Gul Zaman", ""),
    ("Muhammad Asif", "محمد عارف", "Urdu Arif"),
]


@pytest.mark.parametrize(("a", "b", "why"), SAME)
def test_same_name(a: str, b: str, why: str) -> None:
    assert name_similarity(a, b) >= 0.88, why
    assert name_similarity(b, a) >= 0.88, why


@pytest.mark.parametrize(("a", "b", "why"), DIFFERENT)
def test_different_name(a: str, b: str, why: str) -> None:
    assert name_similarity(a, b) < 0.88, why


@pytest.mark.parametrize(("new", "existing", "expected"), [
    (PersonRecord(None, "Mohammad Aasif", "Gul Khaan"), PersonRecord(1, "Muhammad Asif", "Gul Khan"), 1.0),
    (PersonRecord(None, "محمد آصف", "گل خان"), PersonRecord(1, "Muhammad Asif", "Gul Khan"), 1.0),
    (PersonRecord(None, "Muhammad Asif", "Gul Khan"), PersonRecord(1, "Muhammad Asif", "Sher Khan"), None),
    (PersonRecord(None, "Muhammad Asif", ""), PersonRecord(1, "Muhammad Asif", "Gul Khan"), None),  # no father
    (PersonRecord(None, "Asif", "x", "17301-1234567-1"), PersonRecord(1, "Akbar", "y", "17301-1234567-1"), 1.0),
    (PersonRecord(None, "Muhammad Asif", "Gul Khan", "17301-1234567-1"),
     PersonRecord(1, "Muhammad Asif", "Gul Khan", "17301-7654321-1"), None),  # two CNICs = two people
])
def test_match(new: PersonRecord, existing: PersonRecord, expected: float | None) -> None:
    found = match(new, existing)
    assert (found.score if found else None) == (pytest.approx(expected) if expected else None)


def test_find_matches_ranks_and_skips_self() -> None:
    me = PersonRecord(5, "Muhammad Asif", "Gul Khan")
    candidates = [me, PersonRecord(1, "Mohammad Asif", "Gul Khaan"), PersonRecord(2, "Muhammad Arif", "Gul Khan"),
                  PersonRecord(3, "محمد آصف", "گل خان")]
    assert [m.candidate_id for m in find_matches(me, candidates)] == [1, 3]


@pytest.mark.parametrize(("name", "owner", "refused"), [
    ("Mohammad Aasif", "Muhammad Asif", False),   # same person, other spelling
    ("محمد آصف", "Muhammad Asif", False),          # same person in Urdu
    ("Sher Ali", "Muhammad Asif", True),          # same CNIC, different name
])
def test_same_cnic_different_name_is_refused(name: str, owner: str, refused: bool) -> None:
    cnic = "17301-1234567-1"
    if refused:
        with pytest.raises(PersonRefused) as caught:
            check_cnic_owner(PersonRecord(None, name, "", cnic), PersonRecord(9, owner, "", cnic))
        assert caught.value.code == "cnic_name_conflict"
    else:
        check_cnic_owner(PersonRecord(None, name, "", cnic), PersonRecord(9, owner, "", cnic))


@pytest.mark.parametrize("typed", [
    "Muhammad Asif s/o Gul Khan",          # the parentage typed into the name box
    "Muhammad Asif S/O Gul Khan r/o Mardan",
    "محمد آصف ولد گل خان سکنہ مردان",        # the same in Urdu script
    "Muhammad Asif alias Chotu",
])
def test_a_relation_typed_into_the_name_ends_the_name(typed: str) -> None:
    """What follows s/o / ولد / alias is another person's name or an address, not this person's: the
    name still matches the person recorded as "Muhammad Asif", father "Gul Khan" (before, "s/o" was read
    as two name parts "s" and "o", and "ولد گل خان" as three more)."""
    found = match(PersonRecord(None, typed, "Gul Khan"), PersonRecord(1, "Muhammad Asif", "Gul Khan"))
    assert found is not None and found.score == pytest.approx(1.0)
    assert name_similarity(typed, "Muhammad Asif") == pytest.approx(1.0)
