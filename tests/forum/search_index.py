"""Shared steps of the tests of the forum's full-text indexes (migrations 0002 and 0004): a crowd of
published topics for the planner to weigh, and the checks every such index migration must pass."""

import importlib

import pytest
from django.db import connection


def crowd_of_topics(first, count=3000):
    """``count`` published topics about something else, in ``first``'s agency and of its day, so that
    the planner prefers an index to reading every public topic; the new topics are returned."""
    from amanah.forum.models import Topic

    return Topic.objects.bulk_create(
        Topic(
            agency=first.agency,
            title=f"Jadwal posyandu {i}",
            body="Kapan jadwal bulan depan?",
            status="published",
            created_on=first.created_on,
        )
        for i in range(count)
    )


def analyze(*tables):
    """Fresh planner statistics for ``tables`` (after a bulk insert)."""
    with connection.cursor() as cur:
        for table in tables:
            cur.execute(f"ANALYZE {table}")


def assert_rebuilds_an_interrupted_index(migration_name, index):
    """On PostgreSQL: forum migration ``migration_name`` finds ``index`` in place, sees it as missing
    once marked invalid (what an interrupted ``CREATE INDEX CONCURRENTLY`` leaves), builds it anew, and
    then has nothing left to do."""
    from django.apps import apps

    migration = importlib.import_module(f"amanah.forum.migrations.{migration_name}")

    def state():
        with connection.cursor() as cur:
            return migration.index_state(cur)

    assert state() is True
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE pg_index SET indisvalid = false WHERE indexrelid = %s::regclass", [index]
        )
    assert state() is False
    for _ in range(2):  # built anew, then nothing left to do
        with connection.schema_editor(atomic=False) as editor:
            migration.add(apps, editor)
        assert state() is True


def assert_no_index_on_sqlite(index):
    """On SQLite the index migration leaves no ``index`` (skipped on other databases)."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cur:
        cur.execute("SELECT name FROM sqlite_master WHERE name = %s", [index])
        assert cur.fetchall() == []
