"""A GIN index for the forum search over replies and official answers on PostgreSQL (nothing on SQLite,
which searches with ``LIKE``): the text of a post read by the ``indonesian`` configuration, exactly the
expression ``forum.selectors.post_search_vector()`` matches, and only of the PUBLISHED posts (held and
hidden ones never make a topic match, so they have no place in it; the search's ``status = 'published'``
lets PostgreSQL use this partial index). ``tests/forum/test_search_posts.py`` checks that PostgreSQL uses
it. Built ``CONCURRENTLY`` so that an installation keeps taking replies meanwhile, and safe to run again
after an interrupted build (an invalid index left behind is built anew), as migration 0002 does."""

from django.db import migrations

INDEX = "forum_post_fulltext"


def _index():
    from django.contrib.postgres.indexes import GinIndex
    from django.contrib.postgres.search import SearchVector
    from django.db.models import Q

    # The same expression as forum.selectors.post_search_vector() (written out: a migration keeps its
    # own copy), over the published posts.
    return GinIndex(
        SearchVector("body", config="indonesian"), name=INDEX, condition=Q(status="published")
    )


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
            schema_editor.add_index(apps.get_model("forum", "Post"), _index(), concurrently=True)


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {schema_editor.quote_name(INDEX)}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("forum", "0003_topic_contact")]

    operations = [migrations.RunPython(add, remove, elidable=False)]
