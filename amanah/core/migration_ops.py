"""A migration operation for an index that a large table needs without a pause in its writes.

``CREATE INDEX`` locks a table against writes until the index is built; on a large ``complaints`` or
``forum`` table that stops intake and the workflow for the whole build. PostgreSQL can build the index
``CONCURRENTLY`` instead, but such a build can be interrupted (a lost connection, a deploy stopped half-way)
and then leaves an *invalid* index of that name behind: never used by a query, still updated by every write,
and in the way of the next ``CREATE INDEX`` ("already exists"). Several migrations had the same forty lines
to cope with that; :class:`AddIndexConcurrentlyIfMissing` is those lines, once.

Its model state is exactly that of Django's ``AddIndex`` (and so is its deconstruction), so
``makemigrations`` sees the index as declared in the model's ``Meta``. An index that must not enter the state
(one that exists on PostgreSQL only, such as a GIN full-text index) is given ``vendor="postgresql"`` and put
in the ``database_operations`` of a ``SeparateDatabaseAndState`` with no state operations.

The migration using it must say ``atomic = False``: PostgreSQL refuses ``CONCURRENTLY`` in a transaction.
"""

from django.db import migrations


def index_validity(cursor, name: str) -> bool | None:
    """True when the index ``name`` exists and is valid, False when it exists but is invalid (what an
    interrupted ``CREATE INDEX CONCURRENTLY`` leaves), None when there is none. PostgreSQL only."""
    cursor.execute(
        "SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        "WHERE c.relname = %s AND pg_catalog.pg_table_is_visible(c.oid)",
        [name],
    )
    row = cursor.fetchone()
    return None if row is None else bool(row[0])


class AddIndexConcurrentlyIfMissing(migrations.AddIndex):
    """``AddIndex`` that may run again safely and, on PostgreSQL, never blocks writes to the table.

    Forwards, on PostgreSQL: a valid index of that name is kept as it is; an invalid one is dropped
    (``DROP INDEX CONCURRENTLY``) and built anew; a missing one is built — each build ``CONCURRENTLY``.
    On another database the index is added as ``AddIndex`` adds it. Backwards: ``DROP INDEX IF EXISTS``
    (``CONCURRENTLY`` on PostgreSQL), so an index already gone is no error.

    ``vendor``: when given, the operation does nothing on a database of another vendor (for an index the
    other databases cannot hold).
    """

    def __init__(self, model_name, index, vendor=None):
        super().__init__(model_name, index)
        self.vendor = vendor

    def deconstruct(self):
        name, args, kwargs = super().deconstruct()
        if self.vendor is not None:
            kwargs["vendor"] = self.vendor
        return name, args, kwargs

    def _applies(self, connection) -> bool:
        return self.vendor is None or connection.vendor == self.vendor

    def build(self, model, schema_editor) -> None:
        """Forwards on ``model`` (a historical model), whatever the migration state says."""
        connection = schema_editor.connection
        if not self._applies(connection):
            return
        if connection.vendor != "postgresql":
            schema_editor.add_index(model, self.index)
            return
        if schema_editor.collect_sql:  # sqlmigrate: show the build, look at (and change) nothing
            state = None
        else:
            with connection.cursor() as cursor:
                state = index_validity(cursor, self.index.name)
        if state is False:
            schema_editor.execute(
                f"DROP INDEX CONCURRENTLY IF EXISTS {schema_editor.quote_name(self.index.name)}",
                params=None,
            )
        if state is not True:
            schema_editor.add_index(model, self.index, concurrently=True)

    def drop(self, schema_editor) -> None:
        """Backwards: the index is dropped when it is there."""
        connection = schema_editor.connection
        if not self._applies(connection):
            return
        concurrently = "CONCURRENTLY " if connection.vendor == "postgresql" else ""
        schema_editor.execute(
            f"DROP INDEX {concurrently}IF EXISTS {schema_editor.quote_name(self.index.name)}",
            params=None,
        )

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        model = to_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            self.build(model, schema_editor)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        model = from_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            self.drop(schema_editor)

    def describe(self):
        return f"{super().describe()} (concurrently where possible, if missing or invalid)"


def runner(app_label: str, operations, *, backwards: bool = False):
    """A function ``(apps, schema_editor)`` that runs ``operations`` forwards (or backwards) outside the
    migration executor — how a test re-runs a migration's index build by hand after breaking an index."""

    def run(apps, schema_editor):
        for operation in reversed(operations) if backwards else operations:
            if backwards:
                operation.drop(schema_editor)
            else:
                operation.build(apps.get_model(app_label, operation.model_name), schema_editor)

    return run
