"""Page lists as people write them."""

from __future__ import annotations

from collections.abc import Iterable


def page_ranges(numbers: Iterable[int]) -> str:
    """``[3, 4, 5, 8]`` -> ``"3-5, 8"``."""
    values = sorted(set(numbers))
    parts: list[str] = []
    start = prev = None
    for n in values:
        if start is None:
            start = prev = n
        elif prev is not None and n == prev + 1:
            prev = n
        else:
            parts.append(f"{start}-{prev}" if start != prev else f"{start}")
            start = prev = n
    if start is not None:
        parts.append(f"{start}-{prev}" if start != prev else f"{start}")
    return ", ".join(parts)
