"""A closure added to (or taken off) the calendar after a case's deadlines were set moves them."""

import datetime as dt

import pytest

from amanah.complaints import services
from amanah.complaints.models import Complaint
from amanah.core.models import AuditEntry, Closure
from amanah.core.services import add_closure

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what a block queues for after its commit (here: the recount task) when the block ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_a_regional_holiday_declared_later_moves_the_verification_deadline(
    clock, submit, org, users, committed
):
    clock.set(dt.date(2026, 6, 8))  # Monday: verification due Thursday 11 June
    c = submit()
    assert c.verification_due == dt.date(2026, 6, 11)
    assert c.deadline_basis == {"verification_due": ["2026-06-08", 3]}
    clock.set(dt.date(2026, 6, 9))  # the regent closes the offices on Wednesday 10 June (a flood)
    with committed():
        add_closure(users[("pengelola", "a")], org["a"]["agency"], dt.date(2026, 6, 10), "Banjir")
    c.refresh_from_db()
    assert c.verification_due == dt.date(2026, 6, 12)
    entry = AuditEntry.objects.get(action="complaints.deadlines_recounted")
    assert entry.details == {"verification_due": {"from": "2026-06-11", "to": "2026-06-12"}}
    clock.set(dt.date(2026, 6, 12))
    assert services.sweep()["escalated"] == 0  # not late: the office was closed one day
    c.refresh_from_db()
    assert c.escalation_level == 0


def test_another_agencys_closure_moves_nothing_here(clock, submit, org, users, committed):
    clock.set(dt.date(2026, 6, 8))
    c = submit()
    with committed():
        add_closure(users[("pengelola", "b")], org["b"]["agency"], dt.date(2026, 6, 10), "Banjir")
    c.refresh_from_db()
    assert c.verification_due == dt.date(2026, 6, 11)
    assert not AuditEntry.objects.filter(action="complaints.deadlines_recounted").exists()


def test_a_national_closure_moves_every_stage_and_taking_it_off_moves_them_back(
    clock, submit, walk, committed
):
    clock.set(dt.date(2026, 6, 1))
    forwarded = walk(
        submit(), "diteruskan"
    )  # on 1 June: response due 8 June, resolution (normatif) too
    answered = walk(submit(), "dijawab")  # automatic closure due 15 June
    closed = walk(submit(), "selesai")
    before = {
        "response": forwarded.response_due,
        "resolution": forwarded.resolution_due,
        "auto_close": answered.auto_close_due,
    }
    assert before["response"] == dt.date(2026, 6, 8)
    with committed():
        closure = Closure.objects.create(agency=None, date=dt.date(2026, 6, 3), name="Libur baru")
    for c in (forwarded, answered, closed):
        c.refresh_from_db()
    assert forwarded.response_due == dt.date(2026, 6, 9)
    assert forwarded.resolution_due == before["resolution"] + dt.timedelta(days=1)
    assert answered.auto_close_due == dt.date(2026, 6, 17)  # 16 June is a holiday (1 Muharram)
    assert closed.status == "selesai"
    assert not AuditEntry.objects.filter(
        action="complaints.deadlines_recounted", object_id=str(closed.pk)
    ).exists()

    with committed():
        closure.delete()
    forwarded.refresh_from_db()
    answered.refresh_from_db()
    assert forwarded.response_due == before["response"]
    assert forwarded.resolution_due == before["resolution"]
    assert answered.auto_close_due == before["auto_close"]


def test_a_cancelled_collective_leave_day_brings_a_deadline_forward(clock, submit, committed):
    clock.set(dt.date(2026, 12, 22))  # Tuesday; 24 December 2026 is cuti bersama, 25 Christmas
    c = submit()
    assert c.verification_due == dt.date(2026, 12, 29)  # 23 (1), 28 (2), 29 (3)
    with committed():
        Closure.objects.create(
            agency=None,
            date=dt.date(2026, 12, 24),
            name="Cuti bersama dibatalkan",
            is_working_day=True,
        )
    c.refresh_from_db()
    assert c.verification_due == dt.date(2026, 12, 28)  # 23, 24, 28


def test_a_resumed_clock_is_counted_from_the_day_it_resumed(clock, submit, users, org, committed):
    operator = users[("operator", "a")]
    clock.set(dt.date(2026, 6, 1))
    c = submit()  # due 4 June
    clock.set(dt.date(2026, 6, 2))
    c = services.request_completion(operator, c, message="Lampirkan nomor antrean.")
    clock.set(dt.date(2026, 6, 8))
    c = services.reply(Complaint.objects.get(pk=c.pk), text="Nomor antrean A-17.")
    c.refresh_from_db()
    assert c.status == "diterima"
    # Paused on 2 June with two working days left (3 and 4 June); resumed on 8 June: 9 and 10 June.
    assert c.deadline_basis["verification_due"] == ["2026-06-08", 2]
    assert c.verification_due == dt.date(2026, 6, 10)
    with committed():
        add_closure(users[("pengelola", "a")], org["a"]["agency"], dt.date(2026, 6, 9), "Banjir")
    c.refresh_from_db()
    assert c.verification_due == dt.date(2026, 6, 11)


def test_a_closure_moved_to_another_agency_is_counted_again_in_both(clock, submit, org, committed):
    clock.set(dt.date(2026, 6, 8))
    c = submit()  # agency A: due Thursday 11 June
    with committed():
        closure = Closure.objects.create(agency=None, date=dt.date(2026, 6, 10), name="Libur")
    c.refresh_from_db()
    assert c.verification_due == dt.date(2026, 6, 12)
    with committed():  # it was only the regency of B that closed
        closure.agency = org["b"]["agency"]
        closure.save()
    c.refresh_from_db()
    assert c.verification_due == dt.date(2026, 6, 11)


def test_cases_open_before_the_upgrade_get_their_basis_back(clock, submit, walk, users, committed):
    from importlib import import_module

    from django.apps import apps

    clock.set(dt.date(2026, 6, 1))
    received = submit()
    forwarded = walk(submit(), "diteruskan")
    answered = walk(submit(), "dijawab")
    resumed = submit()
    clock.set(dt.date(2026, 6, 2))
    services.request_completion(users[("operator", "a")], resumed, message="Lengkapi.")
    clock.set(dt.date(2026, 6, 4))
    services.reply(Complaint.objects.get(pk=resumed.pk), text="Sudah.")
    expected = {
        c.pk: Complaint.objects.get(pk=c.pk).deadline_basis for c in (received, forwarded, answered)
    }
    Complaint.objects.update(deadline_basis={})  # as the migration that added the field left them
    import_module("amanah.complaints.migrations.0008_backfill_deadline_basis").backfill(apps, None)
    for pk, basis in expected.items():
        got = Complaint.objects.get(pk=pk).deadline_basis
        assert got == {k: v for k, v in basis.items() if k in got} and got, (pk, got, basis)
    assert Complaint.objects.get(pk=answered.pk).deadline_basis["auto_close_due"][0] == "2026-06-01"
    # The resumed clock does not come from receipt: no basis rather than a wrong one.
    assert "verification_due" not in Complaint.objects.get(pk=resumed.pk).deadline_basis
    with committed():
        Closure.objects.create(agency=None, date=dt.date(2026, 6, 3), name="Libur baru")
    assert Complaint.objects.get(pk=received.pk).verification_due == dt.date(2026, 6, 5)
