"""``rows.insert`` and ``rows.insert_many`` write the same rows ``save()`` would: every column (defaults,
``auto_now``, encrypted identity, decimals, JSON, UUID keys), the key read back, and ``pre_save``/``post_save``
sent."""

import datetime as dt
import decimal

import pytest
from django.db import connection
from django.db.models.signals import post_save, pre_save

from amanah.complaints.models import Complaint, ComplaintEvent
from amanah.core import rows

pytestmark = pytest.mark.django_db


def _complaint(org, code):
    return Complaint(
        agency=org["a"]["agency"],
        unit=org["a"]["service"].unit,
        service=org["a"]["service"],
        tracking_code=code,
        title="Antrean tidak urut",
        description="Petugas mendahulukan kenalannya.",
        incident_date=dt.date(2026, 11, 20),
        latitude=decimal.Decimal("-7.716165"),
        longitude=decimal.Decimal("110.335403"),
        name="Siti Rahmawati",
        email="siti@example.id",
        phone="+62 812 0000 0000",
        verification_due=dt.date(2026, 12, 2),
    )


def _columns(obj):
    skip = {"id", "tracking_code", "received_at", "updated_at"}
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields} | {
        k: None for k in skip
    }


def test_insert_writes_what_save_writes(org):
    saved = _complaint(org, "SAVE-0001")
    saved.save(force_insert=True)
    inserted = rows.insert(_complaint(org, "FAST-0001"))
    assert inserted.pk and inserted.pk != saved.pk and not inserted._state.adding
    a, b = Complaint.objects.get(pk=saved.pk), Complaint.objects.get(pk=inserted.pk)
    assert _columns(a) == _columns(b)
    assert b.name == "Siti Rahmawati" and b.latitude == decimal.Decimal("-7.716165")
    assert b.updated_at is not None and b.received_at is not None
    with connection.cursor() as cur:  # the identity is stored encrypted, as save() stores it
        cur.execute("SELECT name FROM complaints_complaint WHERE id = %s", [b.pk])
        assert "Siti" not in cur.fetchone()[0]


def test_insert_sends_the_save_signals(org):
    seen = []

    def pre(sender, instance, **kw):
        seen.append(("pre", instance.pk))

    def post(sender, instance, created, **kw):
        seen.append(("post", instance.pk, created))

    pre_save.connect(pre, sender=ComplaintEvent)
    post_save.connect(post, sender=ComplaintEvent)
    try:
        c = rows.insert(_complaint(org, "SIG-0001"))
        event = rows.insert(ComplaintEvent(complaint=c, kind="status", text="Diterima"))
    finally:
        pre_save.disconnect(pre, sender=ComplaintEvent)
        post_save.disconnect(post, sender=ComplaintEvent)
    assert seen == [("pre", None), ("post", event.pk, True)]
    assert ComplaintEvent.objects.get(pk=event.pk).text == "Diterima"


def test_models_it_does_not_handle_are_saved_with_save(org, monkeypatch):
    assert rows._plain(Complaint)
    # As for a model with a parent, a database default or a generated column:
    monkeypatch.setattr(rows, "_plain", lambda model: False)
    monkeypatch.setattr(rows, "_statement", None)  # never reached
    c = rows.insert(_complaint(org, "OLD-0001"))
    assert Complaint.objects.get(pk=c.pk).tracking_code == "OLD-0001"


def test_insert_many_writes_rows_with_their_own_keys():
    from django_tasks_db.models import DBTaskResult

    objs = [
        DBTaskResult(
            args_kwargs={"args": [i], "kwargs": {}},
            task_path="amanah.core.tasks.send_email",
            backend_name="default",
        )
        for i in range(3)
    ]
    rows.insert_many(DBTaskResult, objs, "default")
    stored = {r.pk: r for r in DBTaskResult.objects.all()}
    assert set(stored) == {o.pk for o in objs}
    for o in objs:
        r = stored[o.pk]
        assert r.args_kwargs == o.args_kwargs and r.status == "READY"
        assert r.run_after is not None and r.enqueued_at is not None  # pre_save and auto_now_add


def test_insert_leaves_out_the_null_columns(org):
    from django.test.utils import CaptureQueriesContext

    fresh = _complaint(org, "NULL-0001")
    fresh.latitude = fresh.longitude = None
    with CaptureQueriesContext(connection) as ctx:
        c = rows.insert(fresh)
    sql = ctx.captured_queries[-1]["sql"]
    columns = sql[sql.index("(") + 1 : sql.index(")")].split(", ")
    assert '"title"' in columns and '"name"' in columns
    assert '"latitude"' not in columns and '"closed_at"' not in columns
    # Under psycopg's 50 parameters, so that it keeps the statement's parsed form for the next intake.
    assert len(columns) <= 50
    stored = Complaint.objects.get(pk=c.pk)
    assert stored.latitude is None and stored.closed_at is None and stored.assignee_id is None
    assert stored.title == "Antrean tidak urut" and stored.name == "Siti Rahmawati"


def test_values_of_other_types_still_go_through_their_field(org):
    from django.utils.translation import gettext_lazy

    from amanah.complaints.models import Status

    c = _complaint(org, "TYPE-0001")
    c.title = gettext_lazy("Antrean tidak urut")  # a lazy string, not a str
    c.status = Status.RECEIVED  # a choices member (a str subclass)
    c.incident_place = 42  # an int in a text column, converted by the field
    c.agency_id = str(org["a"]["agency"].pk)  # a key given as text
    rows.insert(c)
    stored = Complaint.objects.get(pk=c.pk)
    assert stored.title == "Antrean tidak urut" and stored.status == Status.RECEIVED.value
    assert stored.incident_place == "42" and stored.agency_id == org["a"]["agency"].pk
    with connection.cursor() as cur:  # the identity (a field of another class) is still encrypted
        cur.execute("SELECT email FROM complaints_complaint WHERE id = %s", [c.pk])
        assert "siti@" not in cur.fetchone()[0]
