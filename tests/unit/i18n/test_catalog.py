"""Catalog completeness (issue 16): in the areas ``i18n/catalog_scope.toml`` covers, every string a
user reads is marked for translation and has its Urdu translation.

- What Babel extracts from the covered templates, Python modules and data files (the mapping of
  ``babel.cfg``, run here in-process) must all be in ``ur/LC_MESSAGES/messages.po``, translated (every
  plural form), not fuzzy, with the same ``%(name)s`` placeholders.
- Heuristic scans catch what extraction cannot see because it was never marked: words in a template
  outside ``{{ }}``, English string literals inside template expressions, and literal messages given
  to ``flash``/``abort``/errors in Python.
- Every template and view module is named in the scope file (covered or pending), so a new page is
  never outside the test; the catalog holds no entry that no source uses any more.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from i18n.catalogs import po_path
from tests.unit.i18n.scan import (
    REPO,
    all_templates,
    all_view_modules,
    bare_template_text,
    extract,
    load_scope,
    matching,
    unmarked_python_messages,
    unmarked_template_literals,
)

SCOPE = load_scope()
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
EXTRACTED_PACKAGES = ("config", "i18n", "printing", "models", "ingest", "ocr", "indexer", "search_app", "legalrefs",
                      "jobs", "cli", "stack", "scheduling", "notify", "casework", "caselaw", "monitoring")


def _python_files() -> list[Path]:
    return sorted(p for package in EXTRACTED_PACKAGES for p in (REPO / package).rglob("*.py"))


def _data_files() -> list[Path]:
    folders = ("scheduling", "notify", "casework", "monitoring")
    return sorted(p for folder in folders for p in (REPO / folder / "data").glob("*.toml"))


COVERED_TEMPLATES = matching(SCOPE.covered_templates, all_templates())
COVERED_PYTHON = matching(SCOPE.covered_python, _python_files())
COVERED_DATA = matching(SCOPE.covered_data, _data_files())


def _rel(path: Path) -> str:
    return path.relative_to(REPO).as_posix()


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    with po_path("ur").open("rb") as handle:
        return read_po(handle, locale="ur")


@pytest.fixture(scope="module")
def covered_messages() -> dict[str, set[Path]]:
    return extract([*COVERED_TEMPLATES, *COVERED_PYTHON, *COVERED_DATA])


def test_the_scope_names_every_template_and_view_module() -> None:
    templates = all_templates()
    named = set(COVERED_TEMPLATES) | set(matching(SCOPE.pending_templates, templates))
    assert not [_rel(t) for t in templates if t not in named], "add new templates to i18n/catalog_scope.toml"
    views = all_view_modules()
    named_views = (set(matching(SCOPE.covered_python, views)) | set(matching(SCOPE.pending_python, views))
                   | set(matching(SCOPE.english_python, views)))
    assert not [_rel(v) for v in views if v not in named_views], "add new views to i18n/catalog_scope.toml"
    assert not set(COVERED_TEMPLATES) & set(matching(SCOPE.pending_templates, templates))
    for patterns in (SCOPE.covered_templates, SCOPE.covered_python, SCOPE.covered_data):
        for pattern in patterns:  # a pattern that matches nothing is a typo or a file that moved
            assert matching((pattern,), [*templates, *_python_files(), *_data_files()]), pattern


def test_the_covered_areas_have_something_to_translate(covered_messages: dict[str, set[Path]]) -> None:
    assert len(COVERED_TEMPLATES) >= 30 and len(covered_messages) >= 600  # the scan really ran


@pytest.mark.parametrize("template", COVERED_TEMPLATES, ids=_rel)
def test_no_bare_text_in_covered_templates(template: Path) -> None:
    source = template.read_text(encoding="utf-8")
    assert bare_template_text(source) == [], "wrap visible text in {{ _(\"...\") }} (or translate=\"no\" for codes)"
    assert unmarked_template_literals(source) == [], "English string literals in expressions need _()"


@pytest.mark.parametrize("module", COVERED_PYTHON, ids=_rel)
def test_no_unmarked_messages_in_covered_python(module: Path) -> None:
    assert unmarked_python_messages(module.read_text(encoding="utf-8")) == [], \
        "mark user messages with gettext/_ (web layer) or N_ (Flask-free packages)"


def test_every_covered_message_has_an_urdu_translation(catalog: Catalog,
                                                       covered_messages: dict[str, set[Path]]) -> None:
    missing, untranslated, fuzzy = [], [], []
    for msgid, files in sorted(covered_messages.items()):
        message = catalog.get(msgid)
        where = f"{msgid!r} ({', '.join(sorted(_rel(f) for f in files))})"
        if message is None:
            missing.append(where)
        elif message.fuzzy:
            fuzzy.append(where)
        elif not all(message.string if isinstance(message.string, tuple) else (message.string,)):
            untranslated.append(where)
    assert not missing, "not in the catalog (run the update commands in README, 'Translating'):\n" + "\n".join(missing)
    assert not untranslated, "no Urdu translation yet:\n" + "\n".join(untranslated)
    assert not fuzzy, "fuzzy (unconfirmed) translations:\n" + "\n".join(fuzzy)


def test_translations_keep_their_placeholders(catalog: Catalog) -> None:
    wrong = []
    for message in catalog:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(PLACEHOLDER.findall(" ".join(ids)))
        for string in strings:
            if string and set(PLACEHOLDER.findall(string)) != wanted:
                wrong.append(f"{ids[0]!r} -> {string!r}")
    assert not wrong, "\n".join(wrong)
    errors = [(m.id, e) for m, e in catalog.check()]
    assert not errors, errors


def test_the_catalog_holds_no_entry_that_nothing_uses(catalog: Catalog) -> None:
    everything = extract([*all_templates(), *_python_files(), *_data_files()])
    ids = [m.id[0] if isinstance(m.id, tuple) else m.id for m in catalog if m.id]
    stale = sorted(str(i) for i in ids if i not in everything)
    assert not stale, "remove or update (pybabel update drops them):\n" + "\n".join(stale)


def test_the_scans_see_unmarked_text() -> None:
    """The heuristics fail on what they are for (so an empty finding above means something)."""
    assert bare_template_text('<p title="Open it">Hello {{ name }} <code translate="no">SHA-256</code></p>') == \
        ["Open it", "Hello"]
    assert bare_template_text("<p>{{ _('Hello') }} · {{ n|num }}</p>") == []
    assert unmarked_template_literals('{{ "Search this case" if x else _("Search") }}') == [(1, "Search this case")]
    assert unmarked_python_messages('flash(f"Saved {name}.")\nflash(_("Saved."))\nerrors["a"] = "Choose one."') == \
        [(1, "f'Saved {name}.'"), (3, "'Choose one.'")]
