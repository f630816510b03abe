"""Courts are listed with their bench numbers in numeric order (Roman numerals and digits)."""

from __future__ import annotations

from scheduling.court_order import court_sort_key, roman_value


def test_roman_numerals() -> None:
    assert [roman_value(t) for t in ("I", "IV", "IX", "XII", "XL", "XCIX")] == [1, 4, 9, 12, 40, 99]
    assert roman_value("IIII") is None and roman_value("VX") is None and roman_value("Civil") is None


def test_benches_sort_by_number_not_by_text() -> None:
    names = [f"Additional Sessions Judge-{n}, Peshawar" for n in ("IX", "II", "X", "I", "V", "IV", "XII")]
    names += ["Judicial Magistrate 12, Peshawar", "Judicial Magistrate 2, Peshawar", "Civil Judge-I, Peshawar",
              "Anti-Terrorism Court-II, Peshawar", "Anti-Terrorism Court-I, Peshawar"]
    assert sorted(names, key=court_sort_key) == [
        "Additional Sessions Judge-I, Peshawar", "Additional Sessions Judge-II, Peshawar",
        "Additional Sessions Judge-IV, Peshawar", "Additional Sessions Judge-V, Peshawar",
        "Additional Sessions Judge-IX, Peshawar", "Additional Sessions Judge-X, Peshawar",
        "Additional Sessions Judge-XII, Peshawar", "Anti-Terrorism Court-I, Peshawar",
        "Anti-Terrorism Court-II, Peshawar", "Civil Judge-I, Peshawar", "Judicial Magistrate 2, Peshawar",
        "Judicial Magistrate 12, Peshawar"]


def test_words_that_look_like_numerals_stay_words() -> None:
    # "CIVIL" / "MIX" are not numerals; a lone "C" (Class C) is a letter
    assert court_sort_key("CIVIL COURT")[0] == (1, 0, "civil")
    assert court_sort_key("Magistrate Class C")[-1] == (1, 0, "c")
