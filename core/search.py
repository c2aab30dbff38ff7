"""Full-text search that works the same on PostgreSQL and SQLite.

PostgreSQL: a stored, generated ``tsvector`` column with a GIN index, added by
a migration (the ORM never writes it). SQLite: an FTS5 external-content table
kept in step by triggers. Both use the ``simple`` configuration (lower-casing,
no stemming) and prefix matching on every word, so "mül masch" finds
"Maschinenbau Müller GmbH" on both databases.

See ``fulltext_operations`` for the migration side and ``fulltext_filter`` for
queries. Umlauts and accents: index a column filled with ``fold_document`` and
query with ``fulltext_filter(..., folded=True)``; then "Muller", "Mueller" and
"Müller" match alike on both databases (contacts' organisation and person search).
"""

import json
import re
import unicodedata

from django.db import connection
from django.db.migrations.operations.special import RunPython

WORD_RE = re.compile(r"\w+", re.UNICODE)


def search_words(query: str, limit: int = 8) -> list[str]:
    return [word.lower() for word in WORD_RE.findall(query or "")][:limit]


# German spellings without umlauts: "Mueller" and "Muller" both find "Müller", "Broecker" finds "Bröcker".
_DIGRAPHS = re.compile(r"([aou])e")


def fold_text(text: str) -> str:
    """``text`` as a folded index and query form: lower case, no accents, ß → ss, ae/oe/ue → a/o/u.

    The same function folds the stored column (e.g. ``contacts.Organisation.search_text``) and the
    query words, so the match does not depend on the database: "Bröcker", "Broecker" and "Brocker"
    all become ``brocker``; "Straße" and "Strasse" ``strasse``.
    """
    text = (text or "").casefold().replace("ß", "ss")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return _DIGRAPHS.sub(r"\1", text)


def fold_document(*parts: str) -> str:
    """The folded words of ``parts``, separated by single spaces: the stored form of a folded search column.

    Only words, so PostgreSQL's parser sees no e-mail addresses or host names it would keep whole
    ("otto@firma.example" is stored as ``otto firma example`` and found by "firma").
    """
    return " ".join(WORD_RE.findall(fold_text(" ".join(part or "" for part in parts))))


def fulltext_filter(queryset, query: str, *, folded: bool = False):
    """Restrict ``queryset`` to rows whose indexed text matches every word of ``query`` as a prefix.

    ``folded``: the index holds :func:`fold_text` output, so the query words are folded the same way.
    """
    words = search_words(fold_text(query) if folded else query)
    if not words:
        return queryset
    table = queryset.model._meta.db_table
    if connection.vendor == "postgresql":
        tsquery = " & ".join(f"{word}:*" for word in words)
        return queryset.extra(  # noqa: S610 – the query text is a bound parameter
            where=[f'"{table}"."search_vector" @@ to_tsquery(\'simple\', %s)'], params=[tsquery]
        )
    fts_query = " ".join('"' + word.replace('"', "") + '"*' for word in words)
    return queryset.extra(  # noqa: S610 – the query text is a bound parameter
        where=[f'"{table}"."id" IN (SELECT rowid FROM "{table}_fts" WHERE "{table}_fts" MATCH %s)'], params=[fts_query]
    )


def estimated_matches(queryset) -> int | None:
    """PostgreSQL's estimate of how many rows ``queryset`` (a search) returns, from the planner's statistics of
    the ``tsvector`` (one ``EXPLAIN``, no row read); None on other databases.

    For a list that orders its matches by a column with its own index: walking that index and testing
    each row finds the first page fast when the matches are many and spread over the order, but the
    planner assumes they are spread evenly, and a word that clusters in one part of the order ("Müller"
    at M: the walk read 12,000 rows for 51 matches, 20 ms) costs many times its estimate. Sorting the
    matches costs in proportion to their number, whatever their order, so a list sorts them itself
    when this estimate is small (``contacts.selectors.organisation_page``).
    """
    if connection.vendor != "postgresql":
        return None
    plan = json.loads(queryset.order_by().explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])


FULLTEXT_INDEXES: dict[str, list[str]] = {}


def register_fulltext(table: str, columns: list[str]) -> None:
    """Declare a search index; ``post_migrate`` re-creates it if a migration dropped it.

    (SQLite rebuilds a table to alter it, which drops its triggers.)
    """
    FULLTEXT_INDEXES[table] = columns


def fulltext_install(connection, table: str, columns: list[str]) -> bool:
    """Create the index for ``table`` if it is missing. Returns True if it created it."""
    column_list = ", ".join(columns)
    with connection.cursor() as cursor:
        present = {column.name for column in connection.introspection.get_table_description(cursor, table)}
        if not set(columns) <= present:
            return False  # migrated back to before the indexed columns existed: the migrations handle it
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT 1 FROM information_schema.columns WHERE table_name = %s AND column_name = 'search_vector'",
                [table],
            )
            if cursor.fetchone():
                return False
            document = " || ' ' || ".join(f"coalesce({column}, '')" for column in columns)
            cursor.execute(
                f'ALTER TABLE "{table}" ADD COLUMN search_vector tsvector '
                f"GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, {document})) STORED"
            )
            cursor.execute(f'CREATE INDEX "{table}_search_gin" ON "{table}" USING GIN (search_vector)')
            return True
        if connection.vendor != "sqlite":
            return False
        fts = f"{table}_fts"
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s", [f"{fts}_a_"])
        if cursor.fetchone()[0] == 3:
            return False
        new_values = ", ".join(f"new.{column}" for column in columns)
        old_values = ", ".join(f"old.{column}" for column in columns)
        cursor.execute(
            f'CREATE VIRTUAL TABLE IF NOT EXISTS "{fts}" USING fts5({column_list}, content="{table}", '
            f'content_rowid="id", tokenize="unicode61 remove_diacritics 0")'
        )
        cursor.execute(
            f'CREATE TRIGGER IF NOT EXISTS "{fts}_ai" AFTER INSERT ON "{table}" BEGIN '
            f'INSERT INTO "{fts}"(rowid, {column_list}) VALUES (new.id, {new_values}); END'
        )
        cursor.execute(
            f'CREATE TRIGGER IF NOT EXISTS "{fts}_ad" AFTER DELETE ON "{table}" BEGIN '
            f'INSERT INTO "{fts}"("{fts}", rowid, {column_list}) VALUES (\'delete\', old.id, {old_values}); END'
        )
        cursor.execute(
            f'CREATE TRIGGER IF NOT EXISTS "{fts}_au" AFTER UPDATE ON "{table}" BEGIN '
            f'INSERT INTO "{fts}"("{fts}", rowid, {column_list}) VALUES (\'delete\', old.id, {old_values}); '
            f'INSERT INTO "{fts}"(rowid, {column_list}) VALUES (new.id, {new_values}); END'
        )
        cursor.execute(f'INSERT INTO "{fts}"("{fts}") VALUES (\'rebuild\')')
        return True


def fulltext_operations(table: str, columns: list[str]) -> list:
    """Migration operations creating the search index over ``columns`` of ``table``."""

    def forwards(apps, schema_editor):
        fulltext_install(schema_editor.connection, table, columns)

    def backwards(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            schema_editor.execute(f'ALTER TABLE "{table}" DROP COLUMN IF EXISTS search_vector')
        elif vendor == "sqlite":
            for suffix in ("_ai", "_ad", "_au"):
                schema_editor.execute(f'DROP TRIGGER IF EXISTS "{table}_fts{suffix}"')
            schema_editor.execute(f'DROP TABLE IF EXISTS "{table}_fts"')

    return [RunPython(forwards, backwards)]


def reinstall_missing_fulltext(sender=None, using="default", **kwargs) -> None:
    """post_migrate: put back indexes a table rebuild removed."""
    from django.db import connections

    for table, columns in FULLTEXT_INDEXES.items():
        if table in connections[using].introspection.table_names():
            fulltext_install(connections[using], table, columns)
