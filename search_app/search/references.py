"""Legal references in the search box: every printed form of one statute section, citation, FIR or
case number becomes one ``Reference`` node with the canonical legalrefs keys.

``302 PPC``, ``s.302 P.P.C.`` and ``section 302 of the Pakistan Penal Code`` all give ``PPC 302``;
``PLD 2010 SC 123`` and ``P L D 2010 Supreme Court 123`` give ``PLD 2010 SC 123``.
"""

from __future__ import annotations

from collections.abc import Sequence

from legalrefs import Reference as LegalReference
from legalrefs import RefKind, find_references, normalise
from search_app.search.ast import And, Node, Not, Or, Phrase, Reference, RefKindName, Word

# Reference kinds that become exact-key clauses. Police stations, districts and courts are left as
# words (``ps:``/``district:``/``court:`` restrict by field on purpose).
SEARCH_KINDS: dict[RefKind, RefKindName] = {
    RefKind.STATUTE: "statute",
    RefKind.CITATION: "citation",
    RefKind.FIR: "fir",
    RefKind.CASE_NUMBER: "case_number",
}
_FIELD_PREFIXES = {"section": "section ", "fir": "FIR ", "citation": ""}
_FIELD_KINDS: dict[str, RefKindName] = {"section": "statute", "fir": "fir", "citation": "citation"}


def _find(text: str) -> list[LegalReference]:
    """Search boxes are typed in any case: if nothing is found as typed, try upper case (same offsets)."""
    refs = [r for r in find_references(text, SEARCH_KINDS.keys())]
    if not refs and text.upper() != text and len(text.upper()) == len(text):
        refs = [r for r in find_references(text.upper(), SEARCH_KINDS.keys())]
    return refs


def field_reference(field: str, value: str) -> Reference | None:
    """``section:"302 PPC"``, ``fir:123/2019``, ``citation:"PLD 2010 SC 123"`` -> Reference, or None."""
    kind = _FIELD_KINDS[field]

    def of_kind(keys: list[str]) -> list[str]:
        # "fir:"310/2004 PS Fatehpur"" also names a police station: keep the keys of the field's kind only
        if kind == "fir":
            return [k for k in keys if k.startswith("FIR ")]
        return [k for k in keys if k and not k.startswith(("FIR ", "PS ", "District "))]

    refs = of_kind(normalise(value)) or of_kind(normalise(_FIELD_PREFIXES[field] + value))
    if not refs:
        return None
    return Reference(kind, tuple(refs), value)


def _words_to_refs(words: Sequence[Word]) -> list[Node]:
    """Replace runs of plain words that spell a reference by Reference nodes (others stay words)."""
    offsets: list[tuple[int, int]] = []
    pos = 0
    for word in words:
        offsets.append((pos, pos + len(word.text)))
        pos += len(word.text) + 1
    joined = " ".join(w.text for w in words)
    refs = _find(joined)
    out: list[Node] = []
    i = 0
    for ref in refs:
        covered = [j for j, (s, e) in enumerate(offsets) if s < ref.end and e > ref.start]
        if not covered or covered[0] < i:
            continue
        out.extend(words[i:covered[0]])
        raw = " ".join(w.text for w in words[covered[0]:covered[-1] + 1])
        out.append(Reference(SEARCH_KINDS[ref.kind], (ref.key,), raw))
        i = covered[-1] + 1
    out.extend(words[i:])
    return out


def _merge_children(children: Sequence[Node]) -> list[Node]:
    out: list[Node] = []
    run: list[Word] = []
    for child in children:
        if isinstance(child, Word) and not child.prefix and child.fuzzy is None:
            run.append(child)
            continue
        if run:
            out.extend(_words_to_refs(run))
            run = []
        out.append(merge_references(child))
    if run:
        out.extend(_words_to_refs(run))
    return out


def merge_references(node: Node) -> Node:
    if isinstance(node, And):
        children = _merge_children(node.children)
        return children[0] if len(children) == 1 else And(tuple(children))
    if isinstance(node, Or):
        return Or(tuple(merge_references(c) for c in node.children))
    if isinstance(node, Not):
        return Not(merge_references(node.child))
    if isinstance(node, Word) and not node.prefix and node.fuzzy is None:
        merged = _merge_children([node])
        return merged[0] if len(merged) == 1 else And(tuple(merged))
    if isinstance(node, Phrase) and node.slop == 0:
        refs = _find(node.text)
        if len(refs) == 1 and refs[0].start == 0 and refs[0].end == len(node.text):
            return Reference(SEARCH_KINDS[refs[0].kind], (refs[0].key,), node.text)
    return node
