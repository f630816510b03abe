"""A Babel extractor for display text kept in TOML data files (hearing vocabularies, notification
kinds): the values of the keys named in the mapping's ``keys`` option (default ``label``) anywhere
in the file are messages, translated where they are shown (``gettext(term.label)``).

babel.cfg: ``[i18n.extract:extract_toml: scheduling/data/*.toml]`` with ``keys = label name``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator, Mapping
from typing import IO, Any


def _strings(node: Any, keys: frozenset[str]) -> Iterator[str]:
    if isinstance(node, Mapping):
        for key, value in node.items():
            if key in keys and isinstance(value, str):
                yield value
            else:
                yield from _strings(value, keys)
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item, keys)


def extract_toml(
    fileobj: IO[bytes], keywords: object, comment_tags: object, options: Mapping[str, str],
) -> Iterator[tuple[int, str, str, list[str]]]:
    """Babel extraction method: ``(line, funcname, message, comments)`` for each display string."""
    raw = fileobj.read().decode("utf-8")
    keys = frozenset((options.get("keys") or "label").split())
    lines = raw.splitlines()
    for message in dict.fromkeys(_strings(tomllib.loads(raw), keys)):
        quoted = f'"{message}"'
        line = next((n for n, text in enumerate(lines, start=1) if quoted in text), 0)
        yield line, "gettext", message, []


__all__ = ["extract_toml"]
