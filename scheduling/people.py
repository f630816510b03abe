"""Telling whether two witness entries are the same person, and checking a CNIC as typed.

Order of evidence: the case file's witness register first. A summons linked to the register carries
the register entry (``witness_id``, one per case) and its person (``person_id``, the same person in
every case, ``models.casefile.Person``): the same entry, or the same person when both sides are
registered, decides. Only when one side is not in a register: the CNIC when both have one, else the
normalised name.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# NADRA's computerised national identity card number: 5 digits (locality), 7 digits, 1 check digit,
# written 12345-1234567-1 or as 13 digits.
_CNIC = re.compile(r"^(\d{5})-?(\d{7})-?(\d)$")
# Common Roman-Urdu spellings of the same name part.
_VARIANTS = {
    "mohammad": "muhammad", "mohammed": "muhammad", "muhammed": "muhammad", "mohd": "muhammad",
    "muhamad": "muhammad", "md": "muhammad", "mohamad": "muhammad", "khaan": "khan",
    "ullah": "ullah", "ulla": "ullah",
}
_HONORIFICS = {"mr", "mrs", "ms", "dr", "sh", "syed", "hafiz", "haji", "malik", "ch"}


def normalise_cnic(text: str) -> str | None:
    """``12345-1234567-1`` from any spacing/dashes; None if ``text`` is not a CNIC number."""
    match = _CNIC.match(re.sub(r"\s+", "", text or ""))
    return f"{match.group(1)}-{match.group(2)}-{match.group(3)}" if match else None


def normalise_name(text: str) -> str:
    """A comparable form of a person's name: Unicode-normalised, case-folded, punctuation and
    honorifics dropped, Roman-Urdu variants of Muhammad/Khan unified, parentage (s/o, d/o, w/o) cut."""
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    folded = re.split(r"\b(?:s/o|d/o|w/o|son of|daughter of|wife of)\b", folded)[0]
    words = [w for w in re.split(r"[^\w]+", folded) if w]
    words = [_VARIANTS.get(w, w) for w in words if w not in _HONORIFICS]
    return " ".join(words)


@dataclass(frozen=True)
class WitnessRef:
    """A witness summoned for a hearing, as the summons list holds it: ``witness_id`` is the entry in
    the case's witness register, ``person_id`` that entry's person (both None for a name typed
    without a register entry)."""

    name: str
    cnic: str = ""
    witness_id: int | None = None
    person_id: int | None = None
    kind: str = field(default="", compare=False)  # for a new witness entering the register (its kind)

    def same_person(self, other: WitnessRef) -> bool:
        """Whether the two entries are the same person (see module docstring for the order)."""
        if self.witness_id is not None and self.witness_id == other.witness_id:
            return True
        if self.person_id is not None and other.person_id is not None:
            return self.person_id == other.person_id
        mine, theirs = normalise_cnic(self.cnic), normalise_cnic(other.cnic)
        if mine and theirs:
            return mine == theirs
        name = normalise_name(self.name)
        return bool(name) and name == normalise_name(other.name)
