import pytest

from ocr.script import detect_language_from_text

ENGLISH = "The learned counsel for the appellant contended that the prosecution failed to prove its case."
URDU = ("عدالت نے ملزم کی ضمانت کی درخواست منظور کر لی اور اسے رہا کرنے کا حکم دیا۔ "
        "پولیس نے مقدمہ درج کیا تھا۔")
PASHTO = "محکمې د پښتونخوا په پېښور کې د ملزم د ضمانت غوښتنه ومنله او ډېر ژر یې د هغه د خوشې کېدو حکم وکړ."


@pytest.mark.parametrize(
    ("sample", "expected"),
    [
        (ENGLISH, "eng"),
        (URDU, "urd"),
        (PASHTO, "pus"),
        (URDU + " FIR No. 123 ", "urd"),           # a few Latin letters do not add eng
        (ENGLISH + " " + URDU * 2, "urd+eng"),       # both scripts substantial; dominant first
        (ENGLISH * 3 + " " + URDU, "eng+urd"),
        (ENGLISH + " " + PASHTO * 2, "pus+eng"),
    ],
)
def test_language_routing_by_script(sample: str, expected: str) -> None:
    guess = detect_language_from_text(sample)
    assert guess.languages == expected
    assert guess.confident


def test_pashto_letters_are_counted() -> None:
    guess = detect_language_from_text(PASHTO)
    assert guess.pashto_letters >= 5
    assert guess.urdu_letters == 0


def test_short_sample_falls_back() -> None:
    guess = detect_language_from_text("۔ 12", fallback="urd")
    assert guess.languages == "urd"
    assert not guess.confident
