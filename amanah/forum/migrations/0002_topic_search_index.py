"""A GIN index for the forum's full-text search on PostgreSQL (nothing on SQLite, which searches with
``LIKE``): the title and the text of a topic read by the ``indonesian`` configuration, exactly the
expression ``forum.selectors.search_vector`` queries (``tests/forum/test_search.py`` checks that PostgreSQL
uses the index). Built ``CONCURRENTLY``, so that an installation keeps taking questions meanwhile, and safe to
run again after an interrupted build (an invalid index left behind is built anew), by
``amanah.core.migration_ops.AddIndexConcurrentlyIfMissing``."""

from django.db import migrations

from amanah.core.migration_ops import AddIndexConcurrentlyIfMissing, index_validity, runner

INDEX = "forum_topic_fulltext"


def _index():
    from django.contrib.postgres.indexes import GinIndex
    from django.contrib.postgres.search import SearchVector

    # The same expression as forum.selectors.search_vector (written out: a migration keeps its own copy).
    vector = SearchVector("title", weight="A", config="indonesian") + SearchVector(
        "body", weight="B", config="indonesian"
    )
    return GinIndex(vector, name=INDEX)


OPERATIONS = [
    AddIndexConcurrentlyIfMissing(model_name="topic", index=_index(), vendor="postgresql")
]


# For the tests that break the index and run the build again by hand.
def index_state(cursor) -> bool | None:
    return index_validity(cursor, INDEX)


add = runner("forum", OPERATIONS)
remove = runner("forum", OPERATIONS, backwards=True)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("forum", "0001_initial")]

    # Not in the model state: the index exists on PostgreSQL only.
    operations = [migrations.SeparateDatabaseAndState(database_operations=OPERATIONS)]
