"""The staff inbox's full-text search reads Indonesian words by their stem (PostgreSQL's ``indonesian``
text-search configuration): a search for "cetak" finds "KTP-el belum dicetak", "layanan" finds
"pelayanan", "bayar" finds "dibayar" and "pembayaran" — with the ``simple`` configuration of migration 0002
each had to be typed with the affixes the complainant used. The GIN index is built again for the new
expression (``CONCURRENTLY``, so that intake goes on meanwhile) and the old one dropped. The expression
must be exactly the one ``complaints.selectors._search`` queries (``tests/complaints/test_search_index.py``
checks that PostgreSQL uses the index). Nothing on SQLite, which searches with ``LIKE``."""

from django.db import migrations

OLD, NEW = "complaint_fulltext", "complaint_fulltext_id"


def _index(name, config):
    from django.contrib.postgres.indexes import GinIndex
    from django.contrib.postgres.search import SearchVector

    vector = SearchVector("title", weight="A", config=config) + SearchVector(
        "description", weight="B", config=config
    )
    return GinIndex(vector, name=name)


def _swap(apps, schema_editor, add, drop):
    if schema_editor.connection.vendor != "postgresql":
        return
    model = apps.get_model("complaints", "Complaint")
    schema_editor.add_index(model, _index(*add), concurrently=True)
    schema_editor.remove_index(model, _index(*drop), concurrently=True)


def forwards(apps, schema_editor):
    _swap(apps, schema_editor, (NEW, "indonesian"), (OLD, "simple"))


def backwards(apps, schema_editor):
    _swap(apps, schema_editor, (OLD, "simple"), (NEW, "indonesian"))


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("complaints", "0015_open311_key_of_complaint")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
