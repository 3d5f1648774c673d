"""An index for a platform admin's national inbox by "nearest deadline first" (``selectors.inbox(order=
"due")`` with no agency in the scope or the filters): every case by the due date of its current stage
(``models.stage_due_expression``), then received time and id. The ``complaint_{agency,unit}_stage_due``
indexes of 0017 lead with the agency or the unit, so the national list read and sorted every case for each
page; the overdue and due-soon filters of that list are a range on the leading expression of this one.

Built as 0017's are: ``CONCURRENTLY`` on PostgreSQL (intake and the workflow go on while a large table is
indexed), and safe to run again after an interruption (an invalid index left behind is dropped and built
anew, a valid one kept). SQLite builds it as usual."""

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
        _stage_due(),
        models.F("received_at"),
        models.F("id"),
        name="complaint_stage_due",
    )
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

    dependencies = [("complaints", "0017_stage_due_indexes")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddIndex(model_name="complaint", index=index) for index in INDEXES
            ],
            database_operations=[migrations.RunPython(forwards, backwards, elidable=False)],
        )
    ]
