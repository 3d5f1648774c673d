"""A GIN index for the forum search over replies and official answers on PostgreSQL (nothing on SQLite,
which searches with ``LIKE``): the text of a post read by the ``indonesian`` configuration, exactly the
expression ``forum.selectors.post_search_vector()`` matches, and only of the PUBLISHED posts (held and
hidden ones never make a topic match, so they have no place in it; the search's ``status = 'published'``
lets PostgreSQL use this partial index). ``tests/forum/test_search_posts.py`` checks that PostgreSQL uses
it. Built ``CONCURRENTLY`` so that an installation keeps taking replies meanwhile, and safe to run again
after an interrupted build (an invalid index left behind is built anew), as migration 0002 does (both by
``amanah.core.migration_ops.AddIndexConcurrentlyIfMissing``)."""

from django.db import migrations

from amanah.core.migration_ops import AddIndexConcurrentlyIfMissing, index_validity, runner

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


OPERATIONS = [AddIndexConcurrentlyIfMissing(model_name="post", index=_index(), vendor="postgresql")]


# For the tests that break the index and run the build again by hand.
def index_state(cursor) -> bool | None:
    return index_validity(cursor, INDEX)


add = runner("forum", OPERATIONS)
remove = runner("forum", OPERATIONS, backwards=True)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("forum", "0003_topic_contact")]

    # Not in the model state: the index exists on PostgreSQL only.
    operations = [migrations.SeparateDatabaseAndState(database_operations=OPERATIONS)]
