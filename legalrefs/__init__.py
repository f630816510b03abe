"""Pakistani legal references as data: law-report citations, statute sections, FIR and case numbers,
CNIC and phone numbers, police stations, KP districts and courts.

Public API (other packages code against exactly these names):
``RefKind``, ``Reference``, ``find_references``, ``normalise``, ``resolve``, ``offence_title``.

Canonical keys (exact-match fields in Elasticsearch):
* citation: ``<reporter> <year> [<court>] [<volume>] <page>`` - ``PLD 2009 SC 53``, ``SCMR 2010 5``,
  ``PCrLJ 2000 1688``, ``PLC(CS) 2009 981``, ``SCC 1994 4 602``, ``AllER 1984 3 935``, ``SCP 2023 199``;
* statute: ``<act> <section>`` - ``PPC 302(b)``, ``CrPC 497(2)``, ``Constitution 185(3)``, ``QSO 129(g)``;
* FIR: ``FIR <no>/<year>[ PS <station>]``; case number: the Court's form ``Crl.P.L.A.1055-2025``;
  CNIC ``17301-1234567-1``; phone E.164 ``+923001234567``; ``PS <name>``; ``District <name>``;
  court: canonical court name.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import TypeVar

from legalrefs.data import LegalData, load_data
from legalrefs.extract import extract
from legalrefs.model import LegalRefsDataError, Reference, RefKind
from legalrefs.statutes import broader_keys

__all__ = ["LegalRefsDataError", "RefKind", "Reference", "data_versions", "find_references", "normalise",
           "offence_title", "resolve"]

T = TypeVar("T")


def find_references(text: str, kinds: Collection[RefKind] | None = None, *, furniture: bool = True) -> list[Reference]:
    """Every reference in ``text`` (of ``kinds``, default all), sorted by start, non-overlapping per kind.

    ``furniture=False``: the caller has already removed page furniture (``legalrefs.layout.clean``, as
    the pipeline does on a document's joined pages), so the text is read as it is."""
    return extract(load_data(), text, kinds, furniture=furniture)


def _key_orders(text: str) -> list[str]:
    """Canonical keys typed back in (``PPC 302(b)``, ``SCMR 2010 5``) re-ordered into printed shapes."""
    parts = text.split()
    if len(parts) < 2:
        return []
    act_last = " ".join([*parts[1:], parts[0]])                # "PPC 302(b)" -> "302(b) PPC"
    year_first = " ".join([parts[1], parts[0], *parts[2:]])   # "SCMR 2010 5" -> "2010 SCMR 5"
    volume = " ".join([parts[1], *parts[2:3], parts[0], *parts[3:]])  # "SCC 1994 4 602" -> "1994 4 SCC 602"
    return [act_last, year_first, volume]


def _typed_statute_key(text: str) -> str | None:
    """A statute key typed back as stored (``QazfOrd 2``, ``KPAA 15(2)``): some keys are no printed form.
    The section must be one the section grammar reads (``statutes.is_section``): ``PPC 302(b)(c)(d)(e)``
    is no key, as ``302(b)(c)(d)(e) PPC`` is no reference."""
    from legalrefs.statutes import is_section, normalise_section

    parts = text.strip().split()
    if len(parts) != 2 or not parts[1][:1].isdigit():
        return None
    for statute in load_data().statutes:
        if statute.key == parts[0]:
            section = normalise_section(parts[1], statute)
            return f"{statute.key} {section}" if is_section(section) else None
    return None


def normalise(text: str) -> list[str]:
    """Keys of every reference in a short string such as a search-box term.

    Search boxes are typed in any case, so if nothing is found as typed the upper-cased string is
    tried (``s.302 ppc`` -> ``PPC 302``); a canonical key typed back in normalises to itself
    (``PPC 302(b)``, ``SCMR 2010 5``, ``PLD 2009 SC 53``). Keys come in text order, without duplicates.
    """
    typed = _typed_statute_key(text)
    if typed is not None:
        return [typed]
    refs = find_references(text)
    for candidate in [text.upper(), *_key_orders(text), *_key_orders(text.upper())]:
        if refs:
            break
        refs = find_references(candidate)
    keys: list[str] = []
    for ref in refs:
        if ref.key not in keys:
            keys.append(ref.key)
    return keys


def resolve(references: Sequence[Reference], known: Mapping[str, T]) -> dict[int, T]:
    """Index in ``references`` -> judgment, for citations whose key is a known judgment's reported
    citation. ``supra``/``ibid`` references already carry their antecedent's key, so they resolve too."""
    return {i: known[ref.key] for i, ref in enumerate(references)
            if ref.kind is RefKind.CITATION and ref.key in known}


def offence_title(key: str) -> str | None:
    """Heading of a statute section: ``offence_title("PPC 302") == "Punishment of qatl-i-amd"``.

    Accepts sub-clauses (``PPC 302(b)`` falls back to ``PPC 302``); None when the data has no heading.
    """
    data: LegalData = load_data()
    act, _, section = key.strip().partition(" ")
    for statute in data.statutes:
        if statute.key.lower() != act.lower():
            continue
        headings = dict(statute.sections)
        for candidate in broader_keys(f"{statute.key} {section.strip()}"):
            title = headings.get(candidate.partition(" ")[2])
            if title is not None:
                return title
    return None


def data_versions() -> dict[str, str]:
    """Version of each data file, for logging and for stamping indexed documents."""
    return dict(load_data().versions)
