"""A judgment's citation graph: what it cites (left column), what cites it (right column), itself in the
middle. ``graph_data`` gathers the nodes the viewer may see (database, URLs); ``layout`` is a pure
function from those nodes to boxes, wrapped label lines, edges and "+N more" rows that
``caselaw/graph.html`` draws as SVG without script.

Labels: a judgment the viewer may read is named by its title (linked); any other cited judgment by its
citation as printed (``1994 SCMR 1504``, never the key ``SCMR 1994 1504``). Every label carries its own
writing direction: citations are always left-to-right, titles right-to-left when written in Urdu, so an
Urdu (RTL) page does not reorder ``1994 SCMR 1504`` into ``SCMR 1504 1994``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import Session

from caselaw import bidi, network
from caselaw.presentation import display, display_citation, judgment_title
from models import CaseLaw
from search_app.auth.scope import caselaw_visibility

Direction = Literal["ltr", "rtl"]
Kind = Literal["self", "cites", "cited_by"]

MAX_SIDE = 12  # boxes per column; the rest are counted in a "+N more" row
MAX_LINES = 3  # lines of a label before it is cut with an ellipsis
WIDTH = 860
SIDE_W, CENTER_W = 190, 230  # box widths
SIDE_X, CENTER_X = 115, WIDTH / 2  # box centres
LINE_H = 13  # px between lines of a label (10px text)
LINE_H_RTL = 17  # Urdu's Nastaliq letters stack higher and reach lower
PAD = 6  # px inside a box, above/below its lines and at its sides
GAP = 8  # px between boxes of a column
TOP = 30  # px above the first box (the column headings)
CHAR_W = 5.6  # average advance of a 10px sans-serif character, for wrapping
MIN_HEIGHT = 160
ELLIPSIS = "…"


@dataclass(frozen=True, slots=True)
class GraphNode:
    """One judgment in the graph, as gathered: ``label`` is the full title (or the citation as printed
    when the viewer cannot read the judgment), ``citation`` the citation as printed ("" when unreported),
    ``url`` its page when the viewer may read it, ``warning`` "overruled"/"doubted"/""."""

    label: str
    citation: str
    url: str | None
    warning: str = ""

    @property
    def label_is_citation(self) -> bool:
        return bool(self.citation) and self.label == self.citation


@dataclass(frozen=True, slots=True)
class GraphData:
    """The judgment (``center``), up to ``MAX_SIDE`` nodes a side, the full counts of each side, and the
    judgment's own citator warning."""

    center: GraphNode
    cites: tuple[GraphNode, ...]
    cited_by: tuple[GraphNode, ...]
    cites_total: int
    cited_by_total: int
    in_collection: int
    cites_url: str | None = None  # the full lists ("+N more" links)
    cited_by_url: str | None = None
    warning: network.Warning | None = None  # the judgment's own citator warning (who overruled it)


@dataclass(frozen=True, slots=True)
class Box:
    """A node as drawn: rectangle (``x``, ``y`` top-left), centre ``cx``, label ``lines`` (first line's
    baseline ``first_baseline``), the label's ``direction``, the full text for the ``<title>`` tooltip."""

    node: GraphNode
    kind: Kind
    x: float
    y: float
    width: float
    height: float
    lines: tuple[str, ...]
    direction: Direction

    @property
    def cx(self) -> float:
        return self.x + self.width / 2

    @property
    def cy(self) -> float:
        return self.y + self.height / 2

    @property
    def line_height(self) -> int:
        return line_height(self.direction)

    @property
    def first_baseline(self) -> float:
        return self.cy - (len(self.lines) - 1) * self.line_height / 2 + 3.5  # 3.5: half a 10px glyph's height


@dataclass(frozen=True, slots=True)
class More:
    """A "+``count`` more" row under a column, linking to the full list (``url``; None: no link)."""

    count: int
    x: float
    y: float
    url: str | None


@dataclass(frozen=True, slots=True)
class Edge:
    x1: float
    y1: float
    x2: float
    y2: float
    kind: Kind


@dataclass(frozen=True, slots=True)
class Layout:
    width: float
    height: float
    center: Box
    left: tuple[Box, ...]
    right: tuple[Box, ...]
    edges: tuple[Edge, ...]
    more_left: More | None
    more_right: More | None


# --- text ----------------------------------------------------------------------------------------------


def text_direction(text: str) -> Direction:
    """The direction of ``text``'s first strong character (Urdu, Arabic: rtl); ltr when it has none."""
    for char in text:
        bidi = unicodedata.bidirectional(char)
        if bidi in ("R", "AL"):
            return "rtl"
        if bidi == "L":
            return "ltr"
    return "ltr"


def node_direction(node: GraphNode) -> Direction:
    """Citations are always left-to-right; a title takes its own script's direction."""
    return "ltr" if node.label_is_citation else text_direction(node.label)


def line_height(direction: Direction) -> int:
    return LINE_H_RTL if direction == "rtl" else LINE_H


def _words(text: str) -> list[str]:
    """``text``'s words for wrapping: a citation, section or case number is one word with whatever is
    written against it (``(2022 SCMR 821)``: its spaces do not break), the citation inside left-to-right
    isolate marks so an Urdu label keeps ``2022 SCMR 821`` in order."""
    words: list[str] = []
    glued = False  # the next run continues the last word (no space between them)
    for segment in bidi.segments(text):
        if segment.is_ref:
            run = f"{bidi.LRI}{segment.text}{bidi.PDI}"
            if glued and words:
                words[-1] += run
            else:
                words.append(run)
            glued = True
            continue
        parts = segment.text.split()
        if parts and glued and words and not segment.text[0].isspace():
            words[-1] += parts.pop(0)
        words.extend(parts)
        glued = bool(segment.text) and not segment.text[-1].isspace()
    return words


def _width(text: str) -> int:
    """Characters ``text`` takes on a line (the isolate marks take none)."""
    return len(text) - text.count(bidi.LRI) - text.count(bidi.PDI)


def wrap(text: str, width_chars: int, max_lines: int = MAX_LINES) -> tuple[str, ...]:
    """``text`` broken on whole words into at most ``max_lines`` lines of ``width_chars`` characters, a
    citation never broken; when it does not fit, the last line ends with an ellipsis (so does a word
    longer than a line)."""
    lines: list[str] = []
    for word in _words(text):
        if lines and _width(lines[-1]) + 1 + _width(word) <= width_chars:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        lines[-1] = last + ELLIPSIS if _width(last) < width_chars else _cut(last + " x", width_chars)
    return tuple(_cut(line, width_chars) for line in lines)


def _cut(line: str, width_chars: int) -> str:
    """``line`` as it fits ``width_chars``: its whole words then an ellipsis (a single word: cut). A cut
    citation keeps its closing isolate mark."""
    if _width(line) <= width_chars:
        return line
    marks = _width(line) != len(line)
    limit = width_chars + (sum(1 for c in line[:width_chars] if c in (bidi.LRI, bidi.PDI)) if marks else 0)
    head = line[: limit - 1]
    if " " in head and not line[limit - 1].isspace():
        head = head.rsplit(" ", 1)[0]
    head = head.rstrip()
    if head.count(bidi.LRI) > head.count(bidi.PDI):
        head += bidi.PDI
    return head + ELLIPSIS


# --- layout --------------------------------------------------------------------------------------------


def _box(node: GraphNode, kind: Kind, cx: float, y: float, width: float) -> Box:
    lines = wrap(node.label, int((width - 2 * PAD) / CHAR_W)) or ("",)
    direction = node_direction(node)
    height = len(lines) * line_height(direction) + 2 * PAD
    return Box(node, kind, cx - width / 2, y, width, height, lines, direction)


def _column(nodes: Sequence[GraphNode], kind: Kind, cx: float) -> tuple[tuple[Box, ...], float]:
    """The column's boxes stacked from ``TOP`` and the y just under the last one."""
    boxes: list[Box] = []
    y = float(TOP)
    for node in nodes[:MAX_SIDE]:
        box = _box(node, kind, cx, y, SIDE_W)
        boxes.append(box)
        y += box.height + GAP
    return tuple(boxes), y


def _more(shown: int, total: int, cx: float, y: float, url: str | None) -> More | None:
    return More(total - shown, cx, y + LINE_H, url) if total > shown else None


def layout(data: GraphData) -> Layout:
    """Where everything goes: the two columns top-down, the judgment centred beside them, an edge from
    each box to the judgment, a "+N more" row under a column when it holds fewer than its total."""
    left, left_end = _column(data.cites, "cites", SIDE_X)
    right, right_end = _column(data.cited_by, "cited_by", WIDTH - SIDE_X)
    more_left = _more(len(left), data.cites_total, SIDE_X, left_end, data.cites_url)
    more_right = _more(len(right), data.cited_by_total, WIDTH - SIDE_X, right_end, data.cited_by_url)
    bottom = max(left_end + (2 * LINE_H if more_left else 0), right_end + (2 * LINE_H if more_right else 0))
    height = max(float(MIN_HEIGHT), bottom + GAP)
    center = _box(data.center, "self", CENTER_X, 0, CENTER_W)
    center = Box(center.node, "self", center.x, max(TOP, (height - center.height) / 2), center.width,
                 center.height, center.lines, center.direction)
    edges = (*(Edge(b.x + b.width, b.cy, center.x, center.cy, "cites") for b in left),
             *(Edge(b.x, b.cy, center.x + center.width, center.cy, "cited_by") for b in right))
    return Layout(WIDTH, height, center, left, right, edges, more_left, more_right)


# --- gathering -----------------------------------------------------------------------------------------


def _warning(warnings: dict[int, network.Warning], entry: CaseLaw) -> str:
    found = warnings.get(entry.id)
    return str(found.treatment) if found else ""


def _printed(entry: CaseLaw) -> str:
    return display_citation(entry.citation) if entry.citation else ""


def graph_data(session: Session, entry: CaseLaw) -> GraphData:
    """The judgment, what it cites (most often cited first) and what cites it (newest first), the
    viewer's scope applied: a cited judgment the viewer may not read (or not in the collection) appears
    only as its citation as printed, without a link; citing judgments out of scope are left out."""
    visible = caselaw_visibility()
    made = sorted(network.citations_made(entry), key=lambda c: -c.occurrences)
    known = network.resolve_keys(session, [c.cited_key for c in made], entry.id)
    readable = set(session.scalars(select(CaseLaw.id).where(
        CaseLaw.id.in_([e.id for e in known.values()]), visible(CaseLaw))))
    citing = network.cited_by(session, entry, visible)
    targets = [e for e in known.values() if e.id in readable]
    warnings = network.warnings_for(session, [*targets, *citing], visible)
    own = network.warning_of(session, entry, visible)
    cites: list[GraphNode] = []
    for citation in made[:MAX_SIDE]:
        printed = display(citation.cited_key)
        target = known.get(citation.cited_key)
        if target is None or target.id not in readable:
            cites.append(GraphNode(printed, printed, None))
            continue
        cites.append(GraphNode(judgment_title(target), printed,
                               url_for("caselaw.entry", caselaw_id=target.id), _warning(warnings, target)))
    cited_by = tuple(GraphNode(judgment_title(c), _printed(c), url_for("caselaw.entry", caselaw_id=c.id),
                               _warning(warnings, c)) for c in citing[:MAX_SIDE])
    page = url_for("caselaw.entry", caselaw_id=entry.id)
    in_collection = sum(1 for c in made if c.cited_key in known and known[c.cited_key].id in readable)
    return GraphData(
        center=GraphNode(judgment_title(entry), _printed(entry), None, str(own.treatment) if own else ""),
        cites=tuple(cites), cited_by=cited_by, cites_total=len(made), cited_by_total=len(citing),
        in_collection=in_collection, cites_url=f"{page}#citations-made", cited_by_url=f"{page}#cited-by",
        warning=own)
