"""A GIN index for the forum's full-text search on PostgreSQL (nothing on SQLite, which searches with
``LIKE``): the title and the text of a topic read by the ``indonesian`` configuration, exactly the
expression ``forum.selectors.search_vector`` queries (``tests/forum/test_search.py`` checks that PostgreSQL
uses the index). Built ``CONCURRENTLY``, so that an installation keeps taking questions meanwhile, and safe to
run again after an interrupted build (an invalid index left behind is built anew)."""

from django.db import migrations

INDEX = "forum_topic_fulltext"


def _index():
    from django.contrib.postgres.indexes import GinIndex
    from django.contrib.postgres.search import SearchVector

    # The same expression as forum.selectors.search_vector (written out: a migration keeps its own copy).
    vector = SearchVector("title", weight="A", config="indonesian") + SearchVector(
        "body", weight="B", config="indonesian"
    )
    return GinIndex(vector, name=INDEX)


def index_state(cursor) -> bool | None:
    """True: the index exists and is valid; False: an interrupted concurrent build left it invalid; None:
    there is none."""
    cursor.execute(
        "SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        "WHERE c.relname = %s AND pg_catalog.pg_table_is_visible(c.oid)",
        [INDEX],
    )
    row = cursor.fetchone()
    return None if row is None else bool(row[0])


def add(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        state = index_state(cursor)
        if state is False:
            cursor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {schema_editor.quote_name(INDEX)}")
        if state is not True:
            schema_editor.add_index(apps.get_model("forum", "Topic"), _index(), concurrently=True)


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {schema_editor.quote_name(INDEX)}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("forum", "0001_initial")]

    operations = [migrations.RunPython(add, remove, elidable=False)]
