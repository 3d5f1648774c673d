"""The staff inbox's full-text search is served by the GIN index of migration 0016 on PostgreSQL: the indexed
expression and the queried one must stay the same, or every search would scan the whole table."""

import pytest
from django.db import connection

from amanah.complaints import selectors

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_inbox_search_uses_the_fulltext_index(submit, users):
    for i in range(5):
        submit(title=f"Antrean loket nomor {i}", description="Petugas melayani tidak urut.")
    submit(title="Pungutan liar", description="Diminta membayar di luar tarif resmi.")
    # The platform admin's inbox has no agency filter, so the search index is the only one that can apply.
    qs = selectors.inbox(users[("admin", None)], q="antrean loket")
    assert qs.count() == 5
    with connection.cursor() as cur:
        cur.execute(
            "SET LOCAL enable_seqscan = off"
        )  # a tiny table would otherwise be scanned anyway
    plan = qs.explain()
    assert "complaint_fulltext_id" in plan, plan
    assert selectors.inbox(users[("pengelola", "a")], q="pungutan").count() == 1


def test_rarely_set_links_are_found_through_their_partial_indexes(submit, users):
    """Migration 0003 indexes the assignee and the transfer/duplicate links only where they are set (an intake
    writes none of them); the lookups the inbox and the case page make must still use those indexes."""
    from amanah.complaints.models import Complaint

    c = submit()
    officer = users[("pengelola", "a")]
    Complaint.objects.filter(pk=c.pk).update(assignee=officer, transferred_from=c)
    with connection.cursor() as cur:
        cur.execute("SET LOCAL enable_seqscan = off")
    for lookup, index in (
        ({"assignee": officer}, "complaint_assignee"),
        ({"transferred_from": c}, "complaint_transferred_from"),
        ({"duplicate_of": c}, "complaint_duplicate_of"),
    ):
        assert index in Complaint.objects.filter(**lookup).explain(), lookup
    with connection.cursor() as cur:
        cur.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'complaints_complaint' "
            "AND indexdef LIKE '%%pattern_ops%%'"
        )
        assert cur.fetchall() == []


@pytest.mark.django_db(transaction=True)
def test_the_search_index_migration_can_run_again_after_an_interrupted_build():
    """``CREATE INDEX CONCURRENTLY`` interrupted half-way leaves an invalid index behind; running migration
    0016 again must build it anew (a valid index), not fail with "already exists" or keep the invalid one."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("amanah.complaints.migrations.0016_indonesian_search")

    def valid():
        with connection.cursor() as cur:
            return migration._index_state(cur, "complaint_fulltext_id")

    assert valid() is True
    with connection.cursor() as cur:  # what an interrupted concurrent build leaves
        cur.execute(
            "UPDATE pg_index SET indisvalid = false "
            "WHERE indexrelid = 'complaint_fulltext_id'::regclass"
        )
    assert valid() is False
    with connection.schema_editor(atomic=False) as editor:
        migration.forwards(apps, editor)
    assert valid() is True
    # Run once more on a finished state: nothing to do, no error.
    with connection.schema_editor(atomic=False) as editor:
        migration.forwards(apps, editor)
    assert valid() is True
