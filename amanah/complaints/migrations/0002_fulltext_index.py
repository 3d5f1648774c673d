"""A GIN index for the staff inbox's full-text search on PostgreSQL (nothing on SQLite, which searches with
``LIKE``). The indexed expression must be exactly the one ``complaints.selectors._search`` queries
(``tests/complaints/test_search_index.py`` checks that PostgreSQL uses it). Built ``CONCURRENTLY`` so that an
existing installation keeps taking complaints while it is built."""

from django.db import migrations

INDEX = "complaint_fulltext"


def _index():
    from django.contrib.postgres.indexes import GinIndex
    from django.contrib.postgres.search import SearchVector

    vector = SearchVector("title", weight="A", config="simple") + SearchVector(
        "description", weight="B", config="simple"
    )
    return GinIndex(vector, name=INDEX)


def add(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("complaints", "Complaint"), _index(), concurrently=True)


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(
            apps.get_model("complaints", "Complaint"), _index(), concurrently=True
        )


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("complaints", "0001_initial")]

    operations = [migrations.RunPython(add, remove, elidable=False)]
