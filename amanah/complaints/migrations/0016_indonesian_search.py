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


def _index_state(cursor, name) -> bool | None:
    """True when the index ``name`` exists and is valid, False when it exists but is invalid (a
    ``CREATE INDEX CONCURRENTLY`` that was interrupted leaves one behind), None when there is none."""
    cursor.execute(
        "SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        "WHERE c.relname = %s AND pg_catalog.pg_table_is_visible(c.oid)",
        [name],
    )
    row = cursor.fetchone()
    return None if row is None else bool(row[0])


def _swap(apps, schema_editor, add, drop):
    # Safe to run again after an interruption (a lost connection, a deploy stopped half-way): an invalid
    # index left by an interrupted concurrent build is dropped and built again, a valid one is kept, and
    # an index already dropped is not dropped twice.
    if schema_editor.connection.vendor != "postgresql":
        return
    model = apps.get_model("complaints", "Complaint")
    quote = schema_editor.quote_name
    with schema_editor.connection.cursor() as cursor:
        state = _index_state(cursor, add[0])
        if state is False:
            cursor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {quote(add[0])}")
        if state is not True:
            schema_editor.add_index(model, _index(*add), concurrently=True)
        cursor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {quote(drop[0])}")


def forwards(apps, schema_editor):
    _swap(apps, schema_editor, (NEW, "indonesian"), (OLD, "simple"))


def backwards(apps, schema_editor):
    _swap(apps, schema_editor, (OLD, "simple"), (NEW, "indonesian"))


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("complaints", "0015_open311_key_of_complaint")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
