"""Kinds of notification and their default e-mail modes, as data (``notify/data/kinds.toml``)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from importlib import resources


class Mode(StrEnum):
    IMMEDIATE = "immediate"
    DIGEST = "digest"
    OFF = "off"


class UnknownKind(ValueError):
    """A notification kind that ``notify/data/kinds.toml`` does not define."""


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    default: Mode
    by_role: dict[str, Mode] = field(default_factory=dict)

    def default_for(self, role: str) -> Mode:
        return self.by_role.get(role, self.default)


@cache
def kinds() -> dict[str, Kind]:
    """Every kind by code (loaded once). Raises ``ValueError`` on a malformed file."""
    text = resources.files("notify").joinpath("data", "kinds.toml").read_text(encoding="utf-8")
    table = tomllib.loads(text)
    return {code: Kind(code, str(spec["label"]), Mode(spec["default"]),
                       {role: Mode(mode) for role, mode in spec.get("by_role", {}).items()})
            for code, spec in table.items()}


def kind(code: str) -> Kind:
    try:
        return kinds()[code]
    except KeyError:
        raise UnknownKind(f"unknown notification kind {code!r}; add it to notify/data/kinds.toml") from None
