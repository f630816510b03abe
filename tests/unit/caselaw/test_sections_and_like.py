"""``caselaw.sections`` (a section covers itself and its sub-clauses, never a longer number),
``models.like`` (typed ``%``/``_``/``\\`` match only themselves) and ``models.json_list`` (a JSON list
holds a key), checked on real SQLite (the JSON list on PostgreSQL too); and the section grammar legalrefs
applies to a key typed back (``legalrefs.statutes.is_section``)."""

from __future__ import annotations

import pytest
from sqlalchemy import JSON, Column, Engine, Integer, MetaData, String, Table, create_engine, insert, select

from caselaw import sections
from legalrefs import normalise
from legalrefs.statutes import is_section
from models.json_list import json_list_holds
from models.like import contains, like_escape

KEYS = ["PPC 3", "PPC 30", "PPC 302", "PPC 302(a)", "PPC 302(b)", "PPC 302(b)(ii)", "PPC 3020", "PPC 302-A"]


@pytest.mark.parametrize(("key", "covered"), [
    ("PPC 302", ["PPC 302", "PPC 302(a)", "PPC 302(b)", "PPC 302(b)(ii)"]),
    ("PPC 302(b)", ["PPC 302(b)", "PPC 302(b)(ii)"]),
    ("PPC 30", ["PPC 30"]),
    ("PPC 3", ["PPC 3"]),
])
def test_a_section_covers_itself_and_its_sub_clauses(key: str, covered: list[str]) -> None:
    assert [k for k in KEYS if sections.covers(key, k)] == covered
    table = Table("t", MetaData(), Column("id", Integer, primary_key=True), Column("key", String),
                  Column("listed", JSON))
    engine = create_engine("sqlite://")
    table.metadata.create_all(engine)
    with engine.begin() as db:
        db.execute(insert(table), [{"key": k, "listed": ["CrPC 497", k]} for k in KEYS])
        one = list(db.scalars(select(table.c.key).where(sections.key_condition(table.c.key, key))))
        listed = list(db.scalars(select(table.c.key).where(sections.list_condition(table.c.listed, key))))
    assert sorted(one) == sorted(covered) and sorted(listed) == sorted(covered)


def test_typed_like_wildcards_match_only_themselves() -> None:
    assert like_escape("50%_a\\b") == "50\\%\\_a\\\\b"
    table = Table("t", MetaData(), Column("id", Integer, primary_key=True), Column("text", String))
    engine = create_engine("sqlite://")
    table.metadata.create_all(engine)
    rows = ["50% off", "a_b", "axb", "back\\slash", "plain"]
    with engine.begin() as db:
        db.execute(insert(table), [{"text": t} for t in rows])
        for typed, found in (("%", ["50% off"]), ("_", ["a_b"]), ("a_b", ["a_b"]), ("\\", ["back\\slash"]),
                             ("plain", ["plain"]), ("%%", [])):
            assert list(db.scalars(select(table.c.text).where(contains(table.c.text, typed)))) == found, typed


# Lists as stored, named; keys with LIKE wildcards, a quote, a backslash and Urdu letters (JSON escapes them).
LISTS = {
    "plain": ["CrPC 497", "PPC 302"],
    "sub-clause": ["PPC 302(b)"],
    "longer number": ["PPC 3020"],
    "wildcards": ["50%_off"],
    "quote and backslash": ['say "x"', "a\\b"],
    "urdu": ["دفعہ 302"],
    "empty": [],
}
HOLDS = [
    (["PPC 302"], "", ["plain"]),
    (["PPC 302"], "(", ["plain", "sub-clause"]),
    (["PPC 30"], "(", []),
    (["PPC 3020", "CrPC 497"], "", ["longer number", "plain"]),
    (["50%_off"], "", ["wildcards"]),
    (["50%"], "", []),
    (["%"], "", []),
    (['say "x"'], "", ["quote and backslash"]),
    (["a\\b"], "", ["quote and backslash"]),
    (["دفعہ 302"], "", ["urdu"]),
    ([], "", []),
]


def _holding(engine: Engine, keys: list[str], continued_by: str) -> list[str]:
    table = Table("json_list_probe", MetaData(), Column("id", Integer, primary_key=True), Column("name", String),
                  Column("listed", JSON))
    table.metadata.drop_all(engine)
    table.metadata.create_all(engine)
    try:
        with engine.begin() as db:
            db.execute(insert(table), [{"name": n, "listed": v} for n, v in LISTS.items()])
            condition = json_list_holds(table.c.listed, keys, or_continued_by=continued_by)
            return sorted(db.scalars(select(table.c.name).where(condition)))
    finally:
        table.metadata.drop_all(engine)


@pytest.mark.parametrize(("keys", "continued_by", "found"), HOLDS)
def test_a_json_list_holds_a_key_exactly(keys: list[str], continued_by: str, found: list[str]) -> None:
    assert _holding(create_engine("sqlite://"), keys, continued_by) == sorted(found)


@pytest.mark.postgres
def test_a_json_list_holds_a_key_exactly_on_postgresql(postgres_engine: Engine) -> None:
    for keys, continued_by, found in HOLDS:
        assert _holding(postgres_engine, keys, continued_by) == sorted(found), keys


@pytest.mark.parametrize(("typed", "keys"), [
    ("PPC 302(b)(ii)", ["PPC 302(b)(ii)"]),
    ("PPC 302(b)(c)(d)", ["PPC 302(b)(c)(d)"]),  # three levels: the grammar's limit, as 302(b)(c)(d) PPC
    ("PPC 302(b)(c)(d)(e)", []),  # four: no key, as "302(b)(c)(d)(e) PPC" is no reference
    ("PPC 302(zzzzz)", []),
    ("KPAA 15(2)", ["KPAA 15(2)"]),
    ("PPC 382-B", ["PPC 382-B"]),
])
def test_a_statute_key_typed_back_follows_the_section_grammar(typed: str, keys: list[str]) -> None:
    assert normalise(typed) == keys
    assert is_section(typed.split()[1]) is bool(keys)
