"""Entries kept only to the day (coarse_time) form a chain of their own: no entry with an exact time is
their neighbour, in the chain or by id, and that chain is verified like the main one."""

import datetime as dt

import pytest
from django.db import connection

from amanah.core import audit
from amanah.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_a_day_only_entry_has_no_neighbour_with_an_exact_time():
    audit.record("system", "test.before", None, {})
    hidden = audit.record("pelapor", "test.reporter", None, {}, coarse_time=True)
    audit.record("system", "test.after", None, {})
    hidden.refresh_from_db()
    assert hidden.chain == audit.DAY_CHAIN and hidden.seq == 1
    assert (hidden.created_at.hour, hidden.created_at.minute) == (0, 0)
    main = list(AuditEntry.objects.filter(chain=audit.MAIN_CHAIN).order_by("seq"))
    assert [e.action for e in main] == ["test.before", "test.after"]
    assert [e.seq for e in main] == [1, 2] and main[1].prev_hash == main[0].hash
    # The table's ids do not place it between them either.
    assert not main[0].pk < hidden.pk < main[1].pk
    assert audit.head()["seq"] == 2
    result = audit.verify()
    assert result.ok and result.checked == 3, result.message


def test_a_day_only_chain_tampered_with_fails_verification():
    for i in range(3):
        audit.record("pelapor", "test.reporter", None, {"i": i}, coarse_time=True)
    audit.record("system", "test.staff", None, {})
    assert audit.verify().ok
    with connection.cursor() as cur:
        cur.execute(
            f"UPDATE {AuditEntry._meta.db_table} SET details = %s WHERE chain = 2 AND seq = 2",
            ['{"i": 9}'],
        )
    result = audit.verify()
    assert not result.ok and result.message == "day-only chain: entry #2 was edited"
    AuditEntry.objects.filter(chain=audit.DAY_CHAIN, seq=3).delete()
    AuditEntry.objects.filter(chain=audit.DAY_CHAIN, seq=2).delete()
    result = audit.verify()
    assert not result.ok and "day-only chain: the chain ends at #1" in result.message


def test_the_day_only_entries_keep_the_day():
    entry = audit.record("pelapor", "test.reporter", None, {}, coarse_time=True)
    entry.refresh_from_db()
    assert entry.created_at == audit.start_of_day(entry.created_at)
    assert entry.created_at.date() >= dt.date(2026, 1, 1)
