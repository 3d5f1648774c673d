"""Indexes for the inbox's "nearest deadline first" (``selectors.inbox(order="due")``): an agency's and a
unit's cases by the due date of their current stage (``models.stage_due_expression``), then received time
and id, as the inbox sorts them. Without them every matching case was read and sorted for each page.

On PostgreSQL they are built ``CONCURRENTLY``, so that intake and the workflow go on while a large table is
indexed, and the migration may run again after an interruption: an invalid index left by an interrupted
build is dropped and built anew, a valid one is kept. SQLite builds them as usual."""

from django.db import migrations, models

import amanah.complaints.models


def _stage_due():
    # As ``models.stage_due_expression()`` wrote it when this migration was made (frozen here).
    return models.Case(
        models.When(
            status=amanah.complaints.models.StatusLiteral("diterima"),
            then=models.F("verification_due"),
        ),
        models.When(
            status=amanah.complaints.models.StatusLiteral("diteruskan"),
            then=models.F("response_due"),
        ),
        models.When(
            status=amanah.complaints.models.StatusLiteral("diproses"),
            then=models.F("resolution_due"),
        ),
        default=None,
        output_field=models.DateField(),
    )


INDEXES = [
    models.Index(
        models.F(scope),
        _stage_due(),
        models.F("received_at"),
        models.F("id"),
        name=f"complaint_{scope}_stage_due",
    )
    for scope in ("agency", "unit")
]


def _valid(cursor, name) -> bool | None:
    """True: index ``name`` exists and is valid; False: it exists but is invalid; None: there is none."""
    cursor.execute(
        "SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        "WHERE c.relname = %s AND pg_catalog.pg_table_is_visible(c.oid)",
        [name],
    )
    row = cursor.fetchone()
    return None if row is None else bool(row[0])


def forwards(apps, schema_editor):
    model = apps.get_model("complaints", "Complaint")
    if schema_editor.connection.vendor != "postgresql":
        for index in INDEXES:
            schema_editor.add_index(model, index)
        return
    quote = schema_editor.quote_name
    for index in INDEXES:
        with schema_editor.connection.cursor() as cursor:
            state = _valid(cursor, index.name)
            if state is False:
                cursor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {quote(index.name)}")
        if state is not True:
            schema_editor.add_index(model, index, concurrently=True)


def backwards(apps, schema_editor):
    quote = schema_editor.quote_name
    concurrently = "CONCURRENTLY " if schema_editor.connection.vendor == "postgresql" else ""
    with schema_editor.connection.cursor() as cursor:
        for index in INDEXES:
            cursor.execute(f"DROP INDEX {concurrently}IF EXISTS {quote(index.name)}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("complaints", "0016_indonesian_search")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddIndex(model_name="complaint", index=index) for index in INDEXES
            ],
            database_operations=[migrations.RunPython(forwards, backwards, elidable=False)],
        )
    ]
