"""Create versioned indices and point aliases at them; swap aliases atomically."""

from __future__ import annotations

import logging

from elasticsearch import Elasticsearch

from indexer.mappings import index_body
from indexer.names import KINDS, IndexKind, IndexNames, IndexSettings

log = logging.getLogger(__name__)


def alias_targets(es: Elasticsearch, alias: str) -> list[str]:
    """Concrete indices behind ``alias`` (empty when the alias does not exist)."""
    response = es.options(ignore_status=404).indices.get_alias(name=alias)
    if response.meta.status == 404:
        return []
    return sorted(response.body)


def create_index(es: Elasticsearch, name: str, kind: IndexKind) -> None:
    body = index_body(kind)
    es.indices.create(index=name, settings=body["settings"], mappings=body["mappings"])
    log.info("created index %s", name)


def ensure_index(es: Elasticsearch, names: IndexNames, kind: IndexKind) -> str:
    """Return the concrete index behind the alias of ``kind``, creating ``<prefix>-<kind>-v<N>`` and the
    alias on first use."""
    alias = names.alias(kind)
    targets = alias_targets(es, alias)
    if targets:
        _add_new_fields(es, targets[-1], kind)
        return targets[-1]
    concrete = names.initial(kind)
    if not es.indices.exists(index=concrete):
        create_index(es, concrete, kind)
    es.indices.update_aliases(actions=[{"add": {"index": concrete, "alias": alias}}])
    return concrete


_FIELDS_ADDED: set[str] = set()


def _add_new_fields(es: Elasticsearch, index: str, kind: IndexKind) -> None:
    """Add fields that a newer mapping of the same version declares (additive changes such as
    ``sealed``) to an existing index, once per process. A conflicting change needs a version bump."""
    if index in _FIELDS_ADDED:
        return
    es.indices.put_mapping(index=index, properties=index_body(kind)["mappings"]["properties"])
    _FIELDS_ADDED.add(index)


def ensure_indices(es: Elasticsearch, names: IndexNames | IndexSettings) -> dict[IndexKind, str]:
    """Both indices exist behind their aliases (accepts ``IndexNames`` or the settings)."""
    if not isinstance(names, IndexNames):
        names = IndexNames.from_settings(names)
    return {kind: ensure_index(es, names, kind) for kind in KINDS}


def swap_alias(es: Elasticsearch, alias: str, new_index: str) -> list[str]:
    """Point ``alias`` at ``new_index`` only, in ONE ``update_aliases`` call (remove + add are applied
    atomically, so searches never see a missing alias). Returns the indices it pointed at before."""
    old = [name for name in alias_targets(es, alias) if name != new_index]
    actions: list[dict[str, dict[str, str]]] = [{"remove": {"index": name, "alias": alias}} for name in old]
    actions.append({"add": {"index": new_index, "alias": alias}})
    es.indices.update_aliases(actions=actions)
    return old


def delete_indices(es: Elasticsearch, indices: list[str]) -> None:
    for name in indices:
        es.options(ignore_status=404).indices.delete(index=name)
        log.info("deleted index %s", name)
