"""``amanah.core.migration_ops.AddIndexConcurrentlyIfMissing``, run as the migration executor runs it, on a
probe index of the forum's topics: built ``CONCURRENTLY`` on PostgreSQL, a valid index kept, an invalid one
(left by an interrupted concurrent build) built anew, dropped backwards; the model state is ``AddIndex``'s."""

import pytest
from django.apps import apps as global_apps
from django.db import connection, migrations, models
from django.db.migrations.state import ProjectState
from django.test.utils import CaptureQueriesContext

from amanah.core.migration_ops import AddIndexConcurrentlyIfMissing, index_validity

NAME = "migops_probe_created"


def _operation(**kwargs):
    return AddIndexConcurrentlyIfMissing(
        model_name="topic", index=models.Index(fields=["created_on"], name=NAME), **kwargs
    )


def _states(operation):
    before = ProjectState.from_apps(global_apps)
    after = before.clone()
    operation.state_forwards("forum", after)
    return before, after


def _forwards(operation):
    before, after = _states(operation)
    with connection.schema_editor(atomic=False) as editor:
        operation.database_forwards("forum", editor, before, after)


def _backwards(operation):
    before, after = _states(operation)
    with connection.schema_editor(atomic=False) as editor:
        operation.database_backwards("forum", editor, after, before)


def _oid():
    with connection.cursor() as cur:
        cur.execute("SELECT to_regclass(%s)::oid", [NAME])
        return cur.fetchone()[0]


def _validity():
    with connection.cursor() as cur:
        return index_validity(cur, NAME)


@pytest.fixture
def cleanup():
    yield
    with connection.cursor() as cur:
        cur.execute(f"DROP INDEX IF EXISTS {connection.ops.quote_name(NAME)}")


def test_state_and_deconstruction_are_add_index():
    operation = _operation()
    plain = migrations.AddIndex(model_name="topic", index=operation.index)
    assert operation.deconstruct()[1:] == plain.deconstruct()[1:]
    assert _operation(vendor="postgresql").deconstruct()[2]["vendor"] == "postgresql"
    _, after = _states(operation)
    _, after_plain = _states(plain)
    names = [i.name for i in after.models["forum", "topic"].options["indexes"]]
    assert names == [i.name for i in after_plain.models["forum", "topic"].options["indexes"]]
    assert NAME in names


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_built_concurrently_kept_when_valid_rebuilt_when_invalid_dropped_backwards(cleanup):
    operation = _operation()
    assert _validity() is None
    with CaptureQueriesContext(connection) as queries:
        _forwards(operation)
    assert _validity() is True
    assert any("CREATE INDEX CONCURRENTLY" in q["sql"] for q in queries.captured_queries)

    first = _oid()
    _forwards(operation)  # a valid index is kept as it is
    assert _oid() == first and _validity() is True

    with connection.cursor() as cur:  # what an interrupted CREATE INDEX CONCURRENTLY leaves
        cur.execute(
            "UPDATE pg_index SET indisvalid = false WHERE indexrelid = %s::regclass", [NAME]
        )
    assert _validity() is False
    before, after = _states(operation)
    with connection.schema_editor(collect_sql=True, atomic=False) as editor:  # sqlmigrate
        operation.database_forwards("forum", editor, before, after)
    assert _validity() is False  # shown, not run
    assert any("CREATE INDEX CONCURRENTLY" in sql for sql in editor.collected_sql)
    _forwards(operation)
    assert _validity() is True and _oid() != first  # dropped and built anew

    with CaptureQueriesContext(connection) as queries:
        _backwards(operation)
    assert _validity() is None
    assert any("DROP INDEX CONCURRENTLY" in q["sql"] for q in queries.captured_queries)
    _backwards(operation)  # already gone: no error
    assert _validity() is None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_operation_for_another_vendor_does_nothing_on_postgresql(cleanup):
    _forwards(_operation(vendor="sqlite"))
    assert _validity() is None


@pytest.mark.django_db(transaction=True)
def test_on_sqlite_the_index_is_added_and_dropped_as_usual(cleanup):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")

    def present():
        with connection.cursor() as cur:
            cur.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND name = %s", [NAME])
            return cur.fetchall() != []

    _forwards(_operation(vendor="postgresql"))
    assert not present()
    _forwards(_operation())
    assert present()
    _backwards(_operation())
    assert not present()
    _backwards(_operation())  # already gone: no error
