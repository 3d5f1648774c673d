"""Two rows of one case written at the same moment (a decision on a disclosure request and a message,
two officers at once) take different positions in the case: the case's row is locked while the next
position is read and the row inserted (PostgreSQL, where two writers really run at once)."""

import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone

from amanah.integrity import models, rules

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


def test_two_rows_of_a_case_written_at_once_get_distinct_positions(make_case, monkeypatch):
    report = make_case()
    before = set(models.Message.objects.filter(report=report).values_list("position", flat=True))
    # Both writers stop between reading the next position and inserting (where the id is drawn) and wait
    # for each other: without the lock both read the same position; with it the second waits at the lock,
    # so the first gives up waiting and goes on.
    meet = threading.Barrier(2, timeout=3)
    draw = rules.new_case_id

    def slow_draw():
        try:
            meet.wait()
        except threading.BrokenBarrierError:
            pass
        return draw()

    monkeypatch.setattr(rules, "new_case_id", slow_draw)
    errors = []

    def write(text):
        try:
            with transaction.atomic():
                models.Message.objects.create(
                    report_id=report.pk,
                    direction=models.Message.Direction.TO_REPORTER,
                    body=text,
                    created_on=timezone.now().date(),
                )
        except Exception as exc:  # pragma: no cover - shown by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(f"pesan {i}",)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors, errors
    new = list(
        models.Message.objects.filter(report=report)
        .exclude(position__in=before)
        .values_list("position", flat=True)
    )
    assert len(new) == 2
    assert len(set(new)) == 2, new
