"""The two migration trees say the same thing, file by file, in their own dialects.

Each migration is written twice, once for PostgreSQL and once for SQLite. Stores in the
field have applied them, so neither tree may be rewritten; this test keeps them from
drifting instead. It reads the files only (no store): comments and layout are dropped,
each column's type is replaced by the type both dialects mean by it, and what is left
must be the same statements, in the same order, in both trees.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from service.adapters import schema
from service.adapters.db import Dialect

#: The column types of each tree, by the type both dialects mean by them. A type missing
#: here fails the test, so that a new one is thought about once, in both dialects.
TYPES = {
    "postgresql": {
        "text": "text",
        "integer": "integer",
        "bigint": "integer",  # SQLite's integers are all 64-bit
        "uuid": "text",  # the SQLite tree keeps ids as their text
        "date": "text",  # ISO dates as text
        "timestamptz": "text",  # ISO timestamps as text
        "bytea": "blob",
        "boolean": "integer",  # SQLite has no booleans: 0 and 1
        "double precision": "real",  # SQLite's real is a double
    },
    "sqlite": {
        "text": "text",
        "integer": "integer",
        "bigint": "integer",  # the same affinity as integer
        "blob": "blob",
        "real": "real",
    },
}

#: Statements that must differ beyond their column types, as (migration, the PostgreSQL
#: statement, the SQLite statement), each written as the test normalises it, with the
#: reason. An entry that no longer matches the trees fails the test.
ALLOWED_DIFFERENCES: list[tuple[str, str, str, str]] = [
    (
        "0006.cases.sql",
        "ALTER TABLE api_tokens ADD COLUMN personal_data integer NOT NULL DEFAULT false",
        "ALTER TABLE api_tokens ADD COLUMN personal_data integer NOT NULL DEFAULT 0",
        "SQLite has no boolean literal: false is written 0 (the column is boolean in "
        "PostgreSQL, an integer 0 or 1 in SQLite)",
    ),
]

TABLE_CONSTRAINTS = ("PRIMARY KEY", "UNIQUE", "CHECK", "FOREIGN KEY", "CONSTRAINT")


def migrations(dialect: Dialect) -> dict[str, Path]:
    """The migration files of a dialect's tree, by file name."""
    return {path.name: path for path in sorted(schema.folder(dialect).glob("*.sql"))}


def statements(path: Path) -> list[str]:
    """The statements of a migration, without comments, each on one line."""
    lines = [line.split("--", 1)[0] for line in path.read_text(encoding="utf-8").splitlines()]
    text = " ".join(" ".join(lines).split())
    return [statement.strip() for statement in text.split(";") if statement.strip()]


def column(definition: str, dialect: str, where: str) -> str:
    """A column's definition with its type replaced by the type both dialects mean."""
    name, _, rest = definition.partition(" ")
    for written in sorted(TYPES[dialect], key=len, reverse=True):
        if rest.lower() == written or rest.lower().startswith(written + " "):
            return " ".join(
                filter(None, [name, TYPES[dialect][written], rest[len(written) :].strip()])
            )
    raise AssertionError(f"{where}: the {dialect} type of column {definition!r} is not known")


def top_level_parts(body: str) -> list[str]:
    """The comma-separated parts of a table's body, commas inside brackets kept."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(body):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(body[start:i].strip())
            start = i + 1
    parts.append(body[start:].strip())
    return parts


def normalised(statement: str, dialect: str, where: str) -> str:
    """A statement as both dialects write it: every column's type normalised."""
    statement = re.sub(r"\s*\(\s*", " (", statement)
    statement = re.sub(r"\s*\)", ")", re.sub(r"\s*,\s*", ", ", statement)).strip()
    table = re.fullmatch(r"CREATE TABLE (\w+) \((.*)\)", statement, flags=re.S)
    if table:
        parts = [
            part if part.upper().startswith(TABLE_CONSTRAINTS) else column(part, dialect, where)
            for part in top_level_parts(table[2])
        ]
        return f"CREATE TABLE {table[1]} ({', '.join(parts)})"
    added = re.fullmatch(r"(ALTER TABLE \w+ ADD COLUMN) (.*)", statement, flags=re.S)
    if added:
        return f"{added[1]} {column(added[2], dialect, where)}"
    return statement


def tree(dialect: Dialect, name: str) -> list[str]:
    path = migrations(dialect)[name]
    return [normalised(s, dialect, f"{dialect}/{name}") for s in statements(path)]


def allowed(name: str, postgresql: list[str], sqlite: list[str]) -> tuple[list[str], list[str]]:
    """The two trees' statements with the allowed differences put the same way."""
    for migration, in_postgresql, in_sqlite, _reason in ALLOWED_DIFFERENCES:
        if migration == name:
            sqlite = [in_postgresql if s == in_sqlite else s for s in sqlite]
    return postgresql, sqlite


def test_every_migration_is_written_for_both_dialects() -> None:
    assert list(migrations("postgresql")) == list(migrations("sqlite"))
    assert schema.shipped("postgresql") == schema.shipped("sqlite")


@pytest.mark.parametrize("name", sorted(migrations("postgresql")))
def test_a_migration_says_the_same_in_both_dialects(name: str) -> None:
    postgresql, sqlite = allowed(name, tree("postgresql", name), tree("sqlite", name))
    assert postgresql == sqlite


@pytest.mark.parametrize(
    ("migration", "in_postgresql", "in_sqlite", "reason"),
    ALLOWED_DIFFERENCES,
    ids=[entry[0] for entry in ALLOWED_DIFFERENCES],
)
def test_each_allowed_difference_is_still_in_the_trees(
    migration: str, in_postgresql: str, in_sqlite: str, reason: str
) -> None:
    assert reason
    assert in_postgresql in tree("postgresql", migration)
    assert in_sqlite in tree("sqlite", migration)


@pytest.mark.parametrize(
    ("postgresql", "sqlite"),
    [
        ("CREATE TABLE t (id uuid PRIMARY KEY)", "CREATE TABLE t (id integer PRIMARY KEY)"),
        ("CREATE TABLE t (a text, b text)", "CREATE TABLE t (a text)"),
        ("CREATE TABLE t (a text)", "CREATE TABLE u (a text)"),
        ("CREATE INDEX i ON t (a, b)", "CREATE INDEX i ON t (a)"),
        ("CREATE UNIQUE INDEX i ON t (a)", "CREATE INDEX i ON t (a)"),
        ("ALTER TABLE t ADD COLUMN a date", "ALTER TABLE t ADD COLUMN a text NOT NULL"),
    ],
)
def test_the_comparison_sees_a_changed_type_column_table_or_index(
    postgresql: str, sqlite: str
) -> None:
    assert normalised(postgresql, "postgresql", "pg") != normalised(sqlite, "sqlite", "sqlite")


def test_the_comparison_ignores_comments_layout_and_dialect_types(tmp_path: Path) -> None:
    (tmp_path / "pg.sql").write_text(
        "-- a table\nCREATE TABLE t (\n    id uuid PRIMARY KEY,\n    -- when\n"
        "    at timestamptz NOT NULL,\n    n bigint,\n    PRIMARY KEY (id, at)\n);\n"
    )
    (tmp_path / "lite.sql").write_text(
        "CREATE TABLE t (id text PRIMARY KEY, at text NOT NULL, n integer, PRIMARY KEY(id,at));"
    )
    assert [normalised(s, "postgresql", "pg") for s in statements(tmp_path / "pg.sql")] == [
        normalised(s, "sqlite", "sqlite") for s in statements(tmp_path / "lite.sql")
    ]


def test_a_type_of_neither_list_is_refused() -> None:
    with pytest.raises(AssertionError, match="not known"):
        normalised("CREATE TABLE t (a jsonb)", "postgresql", "pg")
