"""Defensive re-sanitising of highlighted snippets before they are marked safe in a template.

The search service promises snippets that are HTML-escaped text with ``<mark>``/``</mark>`` as the only
tags (ES ``encoder: html``). OCR text is untrusted (a scanned web page or a crafted upload can contain
``<script>``), so the views do not take that promise on trust: anything that is not one of the two tags
or a complete character reference is escaped again, and unbalanced marks are repaired. Already-escaped
text passes through unchanged (no double escaping), so the check is cheap and idempotent.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

# One token per match: a mark tag, a complete character reference, or any character needing escaping.
_TOKEN = re.compile(
    r"(?P<open><mark>)|(?P<close></mark>)"
    r"|(?P<ref>&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});)"
    r"|(?P<bad>[<>&\"'])"
)


def safe_highlight(snippet: str) -> Markup:
    """Return ``snippet`` as Markup containing only escaped text and balanced ``<mark>`` tags."""
    out: list[str] = []
    depth = 0
    position = 0
    for match in _TOKEN.finditer(snippet):
        out.append(snippet[position:match.start()])
        position = match.end()
        if match.group("open"):
            if depth == 0:  # nested marks carry no meaning; flatten them
                out.append("<mark>")
            depth += 1
        elif match.group("close"):
            if depth == 1:
                out.append("</mark>")
            depth = max(depth - 1, 0)
        elif match.group("ref"):
            out.append(match.group("ref"))
        else:
            out.append(str(escape(match.group("bad"))))
    out.append(snippet[position:])
    if depth:
        out.append("</mark>")
    return Markup("".join(out))  # noqa: S704 - built above from escaped text and literal <mark> tags only
