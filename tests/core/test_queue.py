"""Tasks queued from a service's transaction run only if it commits: with the database backend the task row
is part of the transaction itself (rolled back with it, never lost after a commit), with any other backend it
is queued by ``on_commit``."""

import pytest
from django.db import transaction

from amanah.core.queue import after_commit, batch
from amanah.core.tasks import send_email
from tests.complaints.conftest import BASE

DB_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _rows():
    from django_tasks_db.models import DBTaskResult

    return list(DBTaskResult.objects.values_list("task_path", "args_kwargs"))


@pytest.mark.django_db(transaction=True)
def test_database_backend_writes_the_task_inside_the_transaction(settings):
    settings.TASKS = DB_BACKEND
    with pytest.raises(RuntimeError), transaction.atomic():
        after_commit(send_email, ["a@example.id"], "Subjek", "Isi")
        assert len(_rows()) == 1  # already written, inside the transaction
        raise RuntimeError("the change fails")
    assert _rows() == []  # gone with the rollback

    with transaction.atomic():
        after_commit(send_email, ["b@example.id"], "Subjek", "Isi")
        with pytest.raises(RuntimeError), transaction.atomic():  # a savepoint that rolls back
            after_commit(send_email, ["c@example.id"], "Subjek", "Isi")
            raise RuntimeError
    rows = _rows()
    assert [r[0] for r in rows] == ["amanah.core.tasks.send_email"]
    assert rows[0][1]["args"][0] == ["b@example.id"]

    after_commit(send_email, ["d@example.id"], "Subjek", "Isi")  # no transaction: queued at once
    assert len(_rows()) == 2


@pytest.mark.django_db(transaction=True)
def test_other_backends_get_the_task_after_commit(smtp):
    # conftest selects the immediate backend: the task runs (the e-mail is sent) only after the commit.
    with transaction.atomic():
        after_commit(send_email, ["e@example.id"], "Sesudah commit", "Isi")
        assert smtp.messages == []
    smtp.wait(1)
    assert smtp.to("e@example.id")[0]["subject"] == "Sesudah commit"

    with pytest.raises(RuntimeError), transaction.atomic():
        after_commit(send_email, ["f@example.id"], "Tidak terkirim", "Isi")
        raise RuntimeError
    assert not smtp.to("f@example.id")


@pytest.mark.django_db(transaction=True)
def test_a_complaint_and_its_tasks_are_written_together(settings, org, monkeypatch):
    """Intake with the database backend: the rollup sync and the acknowledgement e-mail are queued in the
    complaint's own transaction; a complaint that fails to save leaves no task behind."""
    from amanah.complaints import services
    from amanah.complaints.models import Complaint

    settings.TASKS = DB_BACKEND

    data = dict(BASE, service=org["a"]["service"], agency=None)
    c = services.submit(None, data, [], channel="web")
    rows = _rows()
    assert sorted(r[0] for r in rows) == [
        "amanah.core.tasks.send_sealed_email",
        "amanah.transparency.tasks.sync_complaint",
    ]
    assert next(r for r in rows if r[0].endswith("sync_complaint"))[1]["args"] == [c.pk]

    def broken_audit(*args, **kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr(services.audit, "record", broken_audit)
    with pytest.raises(RuntimeError):
        services.submit(None, data, [], channel="web")
    assert Complaint.objects.count() == 1 and len(_rows()) == 2


@pytest.mark.django_db(transaction=True)
def test_a_batch_writes_its_rows_together_at_its_end(settings, django_assert_num_queries):
    settings.TASKS = DB_BACKEND
    with transaction.atomic():
        with batch():
            after_commit(send_email, ["a@example.id"], "Satu", "Isi")
            after_commit(send_email, ["b@example.id"], "Dua", "Isi")
            assert _rows() == []  # gathered, not yet written
            with pytest.raises(RuntimeError), transaction.atomic():
                # Inside a savepoint of its own the row is written at once, and rolls back with it.
                after_commit(send_email, ["c@example.id"], "Batal", "Isi")
                assert len(_rows()) == 1
                raise RuntimeError
        assert sorted(r[1]["args"][0][0] for r in _rows()) == ["a@example.id", "b@example.id"]

    with pytest.raises(RuntimeError), transaction.atomic():
        with batch():
            after_commit(send_email, ["d@example.id"], "Gagal", "Isi")
            raise RuntimeError("the change fails")
    assert len(_rows()) == 2

    with transaction.atomic():
        with django_assert_num_queries(1), batch():  # one INSERT for both rows
            after_commit(send_email, ["e@example.id"], "Tiga", "Isi")
            after_commit(send_email, ["f@example.id"], "Empat", "Isi")
    assert len(_rows()) == 4


@pytest.mark.django_db(transaction=True)
def test_rows_written_by_a_batch_are_run_by_the_real_worker(settings, smtp):
    """The batched rows are the backend's own: same columns as ``enqueue`` writes, picked up and run by
    ``db_worker``."""
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DB_BACKEND
    send_email.enqueue(["satu@example.id"], "Satu", "Isi")
    with transaction.atomic(), batch():
        after_commit(send_email, ["dua@example.id"], "Dua", "Isi")
    one, two = DBTaskResult.objects.order_by("enqueued_at")
    fields = ("status", "priority", "task_path", "queue_name", "backend_name", "run_after")
    assert [getattr(one, f) for f in fields] == [getattr(two, f) for f in fields]
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    smtp.wait(2)
    assert smtp.to("dua@example.id")[0]["subject"] == "Dua"
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
