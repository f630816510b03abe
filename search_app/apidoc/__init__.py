"""The API's OpenAPI 3.1 document, assembled from one JSON file per area.

``core.json`` holds the document's head (``openapi``, ``info``, ``servers``, ``security``) and the core
paths; every other ``*.json`` file in this folder contributes ``paths`` and ``components`` (schemas,
responses, parameters, ...). Two files defining the same path or component is an error
(``ValueError``) at load, so areas can grow their API without editing one shared file.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

HEAD_FILE = "core.json"


def _merge_into(document: dict[str, Any], part: dict[str, Any], source: str) -> None:
    paths = document.setdefault("paths", {})
    for path, operations in part.get("paths", {}).items():
        if path in paths:
            raise ValueError(f"{source}: path {path} is already described")
        paths[path] = operations
    components = document.setdefault("components", {})
    for kind, entries in part.get("components", {}).items():
        target = components.setdefault(kind, {})
        for name, value in entries.items():
            if name in target:
                raise ValueError(f"{source}: components.{kind}.{name} is already defined")
            target[name] = value


@cache
def openapi_document() -> dict[str, Any]:
    """The whole document (a fresh merge once per process; callers must not mutate it)."""
    folder = resources.files(__name__)
    document: dict[str, Any] = json.loads(folder.joinpath(HEAD_FILE).read_text(encoding="utf-8"))
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if item.name.endswith(".json") and item.name != HEAD_FILE:
            _merge_into(document, json.loads(item.read_text(encoding="utf-8")), item.name)
    return document


@cache
def openapi_text() -> str:
    """The document serialised once, as served at ``/api/v1/openapi.json``."""
    return json.dumps(openapi_document(), ensure_ascii=False, indent=1)
