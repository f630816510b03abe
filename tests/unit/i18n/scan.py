"""Finding user-visible text that is not marked for translation, and extracting what is marked.

Used by test_catalog.py. Three views of the sources:
- ``extract``: what Babel extracts (the same mapping as ``babel.cfg``), per file;
- ``bare_template_text``: words in a Jinja template outside any ``{{ }}``/``{% %}`` (page text, and the
  attributes people read: title, placeholder, alt, aria-label, input button values), skipping elements marked
  ``translate="no"`` (codes, hashes, the brand), scripts and styles;
- ``unmarked_python_messages``: literal strings or f-strings given to ``flash``, ``abort(description=)``,
  ``Message(...)``, ``errors[...] = ...`` and the user-facing exceptions, without ``_``/``gettext``/``N_``.
"""

from __future__ import annotations

import ast
import re
import tomllib
from dataclasses import dataclass
from fnmatch import fnmatch
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

from babel.messages.extract import extract_from_file

REPO = Path(__file__).resolve().parents[3]
SCOPE_FILE = REPO / "i18n" / "catalog_scope.toml"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "N_": None}
# Words of two or more Latin letters: what an unmarked English phrase always contains.
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
READ_ATTRIBUTES = {"title", "placeholder", "alt", "aria-label", "label"}
USER_FACING_ERRORS = {"ParseError", "SearchRequestError", "RetryError", "VersionError", "StoredFileMissingError",
                      "SearchablePdfNotReadyError", "SearchFailed", "IntakeError", "AccountError", "PasswordRuleError",
                      "CaseFormError", "CaseRuleError", "HolidayRefused", "ScrutinyRefused", "CustodyRefused",
                      "PersonRefused", "DayError", "MfaError", "TokenError"}
MARKERS = {"_", "gettext", "ngettext", "lazy_gettext", "N_"}


@dataclass(frozen=True)
class Scope:
    covered_templates: tuple[str, ...]
    covered_python: tuple[str, ...]
    covered_data: tuple[str, ...]
    pending_templates: tuple[str, ...]
    pending_python: tuple[str, ...]
    english_python: tuple[str, ...] = ()  # kept in English by design (the JSON API)


def load_scope() -> Scope:
    data = tomllib.loads(SCOPE_FILE.read_text(encoding="utf-8"))
    covered, pending, english = data["covered"], data["pending"], data.get("english", {})
    return Scope(tuple(covered["templates"]), tuple(covered["python"]), tuple(covered["data"]),
                 tuple(pending.get("templates", ())), tuple(pending.get("python", ())),
                 tuple(english.get("python", ())))


def matching(patterns: tuple[str, ...], paths: list[Path]) -> list[Path]:
    return [p for p in paths if any(fnmatch(p.relative_to(REPO).as_posix(), pat) for pat in patterns)]


def all_templates() -> list[Path]:
    return sorted((REPO / "search_app" / "templates").rglob("*.html"))


def all_view_modules() -> list[Path]:
    return sorted(p for p in (REPO / "search_app" / "views").glob("*.py") if not p.name.startswith("__"))


# --- Babel extraction ------------------------------------------------------------------------------------


def _method(path: Path) -> tuple[str, dict[str, str]]:
    if path.suffix == ".html":
        return "jinja2", {}
    if path.suffix == ".toml":
        return "i18n.extract.extract_toml", {"keys": "label name title"}
    return "python", {}


def extract(paths: list[Path]) -> dict[str, set[Path]]:
    """msgid -> files it was extracted from (plural messages by their singular)."""
    found: dict[str, set[Path]] = {}
    for path in paths:
        method, options = _method(path)
        for _line, message, _comments, _context in extract_from_file(method, str(path), keywords=KEYWORDS,
                                                                     options=options):
            msgid = message[0] if isinstance(message, tuple) else message
            if msgid:
                found.setdefault(msgid, set()).add(path)
    return found


# --- templates ----------------------------------------------------------------------------------------------

_JINJA_COMMENT = re.compile(r"\{#.*?#\}", re.DOTALL)
_JINJA_CODE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
_RAW_BLOCKS = re.compile(r"<(script|style)\b.*?</\1>", re.DOTALL | re.IGNORECASE)
PLACEHOLDER = "\u2063"  # an invisible separator stands where a Jinja expression was


class _TextCollector(HTMLParser):
    VOID: ClassVar[set[str]] = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                                "track", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []  # per open element: inside translate="no"
        self.found: list[str] = []

    def _skipping(self) -> bool:
        return any(self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        no_translate = values.get("translate") == "no"
        if not (no_translate or self._skipping()):
            for name, value in attrs:
                shown_value = name == "value" and tag == "input" and values.get("type") in ("submit", "button")
                if value and (name in READ_ATTRIBUTES or shown_value):
                    self.found.append(value)
        if tag not in self.VOID:
            self.stack.append(no_translate)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not self._skipping():
            self.found.append(data)


def bare_template_text(source: str) -> list[str]:
    """Phrases of a template that a reader sees and that are not inside a Jinja expression."""
    text = _JINJA_COMMENT.sub("", source)
    text = _JINJA_CODE.sub(PLACEHOLDER, text)
    text = _RAW_BLOCKS.sub("", text)
    collector = _TextCollector()
    collector.feed(text)
    collector.close()
    out = []
    for chunk in collector.found:
        for piece in chunk.split(PLACEHOLDER):
            piece = " ".join(piece.split())
            if LATIN_WORD.search(piece):
                out.append(piece)
    return out


def unmarked_template_literals(source: str) -> list[tuple[int, str]]:
    """String literals inside Jinja expressions that read as English (``{{ "Search this case" if x }}``)
    and are not the direct argument of ``_``/``gettext``/``ngettext``."""
    from jinja2 import Environment

    out: list[tuple[int, str]] = []
    calls: list[str] = []  # the function called at each open bracket ("" for plain brackets)
    previous = ""
    for line, kind, value in Environment(extensions=["jinja2.ext.i18n"]).lex(source):
        if kind == "operator" and value in "([{":
            calls.append(previous if value == "(" else "")
        elif kind == "operator" and value in ")]}" and calls:
            calls.pop()
        elif kind == "string":
            text = value.strip("\"'")
            english = LATIN_WORD.search(text) and (" " in text.strip() or text[:1].isupper())
            if english and not (calls and calls[-1] in MARKERS):
                out.append((line, text[:80]))
        if kind not in ("whitespace",):
            previous = value if kind == "name" else ""
    return out


# --- python -------------------------------------------------------------------------------------------------


def _is_text(node: ast.AST | None) -> bool:
    """A literal English phrase (or an f-string) rather than a marked message or a variable."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return " " in node.value.strip() and bool(LATIN_WORD.search(node.value))
    return isinstance(node, ast.JoinedStr)


def _name(func: ast.AST) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def unmarked_python_messages(source: str) -> list[tuple[int, str]]:
    """(line, snippet) of literal user messages not wrapped in a translation marker."""
    tree = ast.parse(source)
    out: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _name(node.func)
            if name in MARKERS:
                continue
            candidates: list[ast.AST | None] = []
            if name in ("flash", "Message") or name in USER_FACING_ERRORS:
                candidates.append(node.args[0] if node.args else None)
            if name in ("abort", "deny", "_error_page"):
                candidates += [kw.value for kw in node.keywords if kw.arg in ("description", "message")]
                if name == "_error_page" and len(node.args) > 1:
                    candidates.append(node.args[1])
            out += [(node.lineno, ast.unparse(c)[:80]) for c in candidates if _is_text(c)]
        elif isinstance(node, ast.Assign) and _is_text(node.value):
            for target in node.targets:
                if isinstance(target, ast.Subscript) and _name(target.value) in ("errors", "error"):
                    out.append((node.lineno, ast.unparse(node.value)[:80]))
                if isinstance(target, ast.Name) and target.id == "error":
                    out.append((node.lineno, ast.unparse(node.value)[:80]))
    return sorted(out)
