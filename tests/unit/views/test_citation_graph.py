"""The citation graph's layout (``search_app.views.citation_graph``): word wrapping of labels, each
label's writing direction, "+N more" rows under capped columns, boxes and edges. Pure; no services."""

from __future__ import annotations

from itertools import pairwise

import pytest

from search_app.views.citation_graph import (
    ELLIPSIS,
    MAX_SIDE,
    GraphData,
    GraphNode,
    layout,
    node_direction,
    text_direction,
    wrap,
)


@pytest.mark.parametrize(("text", "width", "lines", "expected"), [
    ("1994 SCMR 1504", 30, 3, ("\u20661994 SCMR 1504\u2069",)),  # a citation is isolated left-to-right
    ("Ghulam Hussain v. The State", 16, 3, ("Ghulam Hussain", "v. The State")),  # whole words, never split
    ("Muhammad Aslam and another v. The State through Advocate-General", 14, 3,
     ("Muhammad Aslam", "and another v.", f"The State{ELLIPSIS}")),  # too long: last line ends with …
    ("Supercalifragilisticexpialidocious v. State", 10, 3, (f"Supercali{ELLIPSIS}", "v. State")),  # a word > line
    ("  spaced   out  ", 20, 3, ("spaced out",)),
    ("", 20, 3, ()),
    ("غلام حسین بنام سرکار", 10, 3, ("غلام حسین", "بنام سرکار")),
])
def test_wrap_breaks_on_whole_words_within_width_and_lines(text: str, width: int, lines: int,
                                                           expected: tuple[str, ...]) -> None:
    wrapped = wrap(text, width, lines)
    assert wrapped == expected
    assert all(len(line.strip("\u2066\u2069")) <= width for line in wrapped) and len(wrapped) <= lines


LRI, PDI = "\u2066", "\u2069"


@pytest.mark.parametrize(("text", "width", "expected"), [
    # the reported defect: "(2022 SCMR 821)" split as "SCMR 2022)" / "821)" in an Urdu label
    ("محمد اسلم بنام سرکار (2022 SCMR 821)", 20,
     ("محمد اسلم بنام سرکار", f"({LRI}2022 SCMR 821{PDI})")),
    ("محمد اسلم بنام سرکار 2022 SCMR 821 اور 302(b) PPC", 19,
     ("محمد اسلم بنام", f"سرکار {LRI}2022 SCMR 821{PDI}", f"اور {LRI}302(b) PPC{PDI}")),
    ("Aslam v. State 2010 SCMR 1791", 14, ("Aslam v. State", f"{LRI}2010 SCMR 1791{PDI}")),
    ("Aslam v. State PLD 2015 SC 12", 31, (f"Aslam v. State {LRI}PLD 2015 SC 12{PDI}",)),
])
def test_wrap_keeps_a_citation_whole_and_isolated_left_to_right(text: str, width: int,
                                                                  expected: tuple[str, ...]) -> None:
    assert wrap(text, width) == expected


def test_a_citation_longer_than_a_line_is_cut_but_keeps_its_closing_mark() -> None:
    (line,) = wrap("2009 PLC (C.S.) 981", 10, 1)
    assert line.startswith(LRI) and line.endswith(PDI + ELLIPSIS)
    assert len(line.replace(LRI, "").replace(PDI, "")) <= 10


@pytest.mark.parametrize(("text", "expected"), [
    ("Ghulam Hussain v. The State", "ltr"),
    ("غلام حسین بنام سرکار", "rtl"),
    ("1994 SCMR 1504", "ltr"),
    ("123 غلام", "rtl"),  # digits are weak: the first strong character decides
    ("", "ltr"),
])
def test_text_direction_is_the_first_strong_characters(text: str, expected: str) -> None:
    assert text_direction(text) == expected


def test_citations_are_always_left_to_right_and_urdu_titles_right_to_left() -> None:
    assert node_direction(GraphNode("1994 SCMR 1504", "1994 SCMR 1504", None)) == "ltr"
    assert node_direction(GraphNode("غلام حسین بنام سرکار", "1994 SCMR 1504", "/caselaw/1")) == "rtl"
    assert node_direction(GraphNode("Amir Khan v. The State", "PLD 2019 SC 64", "/caselaw/2")) == "ltr"


def _nodes(count: int, prefix: str) -> tuple[GraphNode, ...]:
    return tuple(GraphNode(f"{prefix} {i} v. The State", f"{2000 + i} SCMR {i}", f"/caselaw/{i}")
                 for i in range(count))


def _data(cites: int, cited_by: int, warning: str = "") -> GraphData:
    return GraphData(center=GraphNode("Bashir v. The State", "2023 SCMR 100", None, warning),
                     cites=_nodes(min(cites, MAX_SIDE), "Cited"), cited_by=_nodes(min(cited_by, MAX_SIDE), "Citing"),
                     cites_total=cites, cited_by_total=cited_by, in_collection=cites,
                     cites_url="/caselaw/9#citations-made", cited_by_url="/caselaw/9#cited-by")


def test_more_row_counts_what_the_cap_left_out_and_links_to_the_full_list() -> None:
    drawn = layout(_data(MAX_SIDE + 5, 3))
    assert len(drawn.left) == MAX_SIDE and len(drawn.right) == 3
    assert drawn.more_left is not None and drawn.more_left.count == 5
    assert drawn.more_left.url == "/caselaw/9#citations-made"
    assert drawn.more_right is None  # all shown: nothing to say
    assert drawn.more_left.y > drawn.left[-1].y + drawn.left[-1].height  # under the column
    assert drawn.height > drawn.more_left.y


def test_boxes_hold_their_lines_stack_without_overlap_and_fit_the_drawing() -> None:
    drawn = layout(_data(4, 4))
    for column in (drawn.left, drawn.right):
        for upper, lower in pairwise(column):
            assert upper.y + upper.height < lower.y
    for box in (*drawn.left, *drawn.right, drawn.center):
        assert box.x >= 0 and box.x + box.width <= drawn.width and box.y + box.height <= drawn.height
        assert box.height >= len(box.lines) * box.line_height
        assert box.y < box.first_baseline < box.y + box.height
    assert drawn.left[0].cx < drawn.center.cx < drawn.right[0].cx
    assert len(drawn.edges) == 8 and {e.kind for e in drawn.edges} == {"cites", "cited_by"}
    assert all(e.x2 == drawn.center.x for e in drawn.edges if e.kind == "cites")


def test_urdu_labels_get_taller_lines_than_latin_ones() -> None:
    urdu = GraphNode("غلام حسین اور دیگر بنام سرکار بذریعہ ایڈووکیٹ جنرل", "PLD 2019 SC 64", "/caselaw/1")
    data = GraphData(center=GraphNode("Bashir v. The State", "", None), cites=(urdu,), cited_by=(),
                     cites_total=1, cited_by_total=0, in_collection=1)
    box = layout(data).left[0]
    assert box.direction == "rtl" and len(box.lines) == 2
    assert box.line_height > layout(data).center.line_height and box.height >= 2 * box.line_height


def test_the_judgment_keeps_its_warning_and_an_empty_graph_still_draws() -> None:
    drawn = layout(_data(0, 0, "overruled"))
    assert drawn.center.node.warning == "overruled" and drawn.center.kind == "self"
    assert drawn.left == () and drawn.edges == () and drawn.more_left is None
    assert drawn.center.lines == ("Bashir v. The State",)
