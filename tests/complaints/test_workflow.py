"""Every transition and refusal of the table, deadlines in working days, the paused clock, automatic
closure, escalation and transfer — through the real services."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from amanah.complaints import rules, services
from amanah.complaints.models import Complaint
from amanah.core import audit
from amanah.core.files import CleanFile
from amanah.core.models import Closure

pytestmark = pytest.mark.django_db

STATES = ["diterima", "menunggu_kelengkapan", "diteruskan", "diproses", "dijawab", "selesai"]


def test_deadlines_skip_idul_fitri_nyepi_and_cuti_bersama(clock, submit, walk, org):
    # Tuesday 17 March 2026: then cuti bersama 18, Nyepi 19, Idul Fitri/cuti bersama 20–24 March.
    clock.set(dt.date(2026, 3, 17))
    c = submit()
    assert c.verification_due == dt.date(2026, 3, 27)
    c = walk(c, "diteruskan")
    assert c.response_due == dt.date(2026, 3, 31)  # 5 working days: 25, 26, 27, 30, 31
    assert c.resolution_due == dt.date(2026, 3, 31)  # tier "normatif" = 5 working days
    clock.set(dt.date(2026, 12, 23))
    c = walk(submit(), "dijawab")
    # 10 working days after 23 Dec 2026, skipping cuti bersama 24 Dec, Christmas 25 Dec, New Year and
    # Isra Mikraj (5 Jan 2027): 28, 29, 30, 31 Dec, 4, 6, 7, 8, 11, 12 Jan.
    assert c.auto_close_due == dt.date(2027, 1, 12)


def test_agency_closure_moves_deadline(clock, submit, org):
    Closure.objects.create(agency=org["a"]["agency"], date=dt.date(2026, 6, 2), name="Banjir")
    clock.set(dt.date(2026, 6, 1))  # Monday
    assert submit().verification_due == dt.date(2026, 6, 5)  # 3, 4, 5 June (2 June closed)


def test_agency_overrides_tiers(clock, submit, walk, org):
    agency = org["a"]["agency"]
    agency.options = {"complaints": {"tiers": {"normatif": 3}, "verification_days": 2}}
    agency.save()
    clock.set(dt.date(2026, 6, 1))
    c = submit()
    assert c.verification_due == dt.date(2026, 6, 3)
    c = walk(c, "diteruskan")
    assert c.resolution_due == dt.date(2026, 6, 4)


def test_late_filing_is_accepted_but_flagged(clock, submit):
    clock.set(dt.date(2026, 6, 1))
    assert submit(incident_date=dt.date(2026, 4, 1)).late_filing
    assert not submit(incident_date=dt.date(2026, 5, 20)).late_filing


def test_full_happy_path_records_timeline_and_audit(submit, walk):
    c = walk(submit(), "selesai")
    assert c.status == "selesai" and c.close_reason == "dikonfirmasi" and c.rating == 5
    assert c.first_response_at and c.answered_at and c.closed_at
    actions = list(c.events.values_list("action", flat=True))
    assert actions == ["submit", "verify", "start", "answer", "confirm"]
    assert audit.verify().ok


@pytest.mark.parametrize("action, allowed", [(a, t.sources) for a, t in rules.TRANSITIONS.items()])
def test_table_refuses_every_state_outside_its_sources(action, allowed):
    for status in rules.STATUSES:
        if status in allowed:
            assert rules.check_transition(action, status).action == action
        else:
            with pytest.raises(rules.TransitionError):
                rules.check_transition(action, status)


@pytest.mark.parametrize("state", STATES)
def test_staff_actions_refused_in_wrong_state(state, submit, walk, users, org):
    c = walk(submit(), state)
    manager = users[("pengelola", "a")]
    calls = {
        "verify": lambda: services.verify(manager, c, unit=org["a"]["bidang"]),
        "request_completion": lambda: services.request_completion(manager, c, message="Lengkapi."),
        "start": lambda: services.start(manager, c),
        "answer": lambda: services.answer(manager, c, text="Jawaban."),
        "reject": lambda: services.reject(manager, c, reason="spam"),
    }
    for action, call in calls.items():
        if state in rules.TRANSITIONS[action].sources:
            continue
        with pytest.raises(rules.TransitionError):
            call()
    for action, call in {
        "confirm": lambda: services.confirm(c),
        "dispute": lambda: services.dispute(c, reason="x"),
        "rate": lambda: services.rate(c, rating=3),
    }.items():
        if state in rules.TRANSITIONS[action].sources:
            continue
        with pytest.raises(rules.TransitionError):
            call()


def test_roles_outside_the_table_are_refused(submit, walk, users, org):
    c = submit()
    for role in ("unit", "pimpinan", "auditor", "inspektorat", "kustodian"):
        with pytest.raises(PermissionDenied):
            services.verify(users[(role, "a")], c, unit=org["a"]["bidang"])
    with pytest.raises(PermissionDenied):
        services.verify(users[("operator", "b")], c, unit=org["a"]["bidang"])
    c = walk(c, "diteruskan")
    with pytest.raises(PermissionDenied):
        services.answer(users[("operator", "a")], c, text="Bukan tugas operator.")
    with pytest.raises(PermissionDenied):
        services.start(users[("unit", "b")], c)


def test_unit_role_outside_the_handling_unit_is_refused(submit, walk, make_user, org):
    c = walk(submit(), "diteruskan")
    other = make_user("unit", org["a"]["agency"], org["a"]["insp"])
    with pytest.raises(PermissionDenied):
        services.start(other, c)


def test_paused_clock_resumes_with_remaining_days(clock, submit, users, api):
    op = users[("operator", "a")]
    clock.set(dt.date(2026, 6, 1))  # Monday: due Thursday 4 June
    c = submit()
    assert c.verification_due == dt.date(2026, 6, 4)
    clock.set(dt.date(2026, 6, 2))  # paused with 2 working days left
    c = services.request_completion(op, c, message="Lampirkan nomor tanda terima.")
    assert c.status == "menunggu_kelengkapan" and c.paused_remaining == 2
    assert c.completion_due == dt.date(2026, 7, 2)
    assert c.stage_due is None  # no clock running: never overdue while paused
    clock.set(dt.date(2026, 6, 15))
    assert services.sweep()["escalated"] == 0
    c = services.reply(c, text="Nomor tanda terima 123/XI.")
    # 2 working days from 15 June: 1 Muharram (16 June 2026) is a holiday, so 17 and 18 June.
    assert c.status == "diterima" and c.verification_due == dt.date(2026, 6, 18)
    assert c.paused_on is None


def test_incomplete_file_counts_as_withdrawn_after_30_days(clock, submit, users):
    clock.set(dt.date(2026, 6, 1))
    c = services.request_completion(users[("operator", "a")], submit(), message="Lengkapi.")
    assert services.sweep(today=dt.date(2026, 7, 1))["withdrawn"] == 0
    assert services.sweep(today=dt.date(2026, 7, 2))["withdrawn"] == 1
    c.refresh_from_db()
    assert c.status == "dicabut" and c.closed_at and c.close_reason == "tidak_dilengkapi"


def test_automatic_closure_10_working_days_after_answer(clock, submit, walk):
    clock.set(dt.date(2026, 6, 1))
    c = walk(submit(), "dijawab")
    assert c.auto_close_due == dt.date(2026, 6, 15)  # 1 June is Pancasila day: 2..5, 8..12, 15
    assert services.sweep(today=dt.date(2026, 6, 15))["auto_closed"] == 0
    assert services.sweep(today=dt.date(2026, 6, 16))["auto_closed"] == 1
    c.refresh_from_db()
    assert c.status == "selesai" and c.close_reason == "otomatis"


def test_dispute_reopens_with_new_resolution_deadline(clock, submit, walk):
    clock.set(dt.date(2026, 6, 2))
    c = walk(submit(), "dijawab")
    clock.set(dt.date(2026, 6, 8))
    c = services.dispute(c, reason="Belum selesai.")
    assert c.status == "diproses" and c.auto_close_due is None
    assert c.resolution_due == dt.date(2026, 6, 15)


def test_escalation_ladder_unit_head_then_manager_then_inspectorate(clock, submit, walk, users):
    clock.set(dt.date(2026, 6, 2))
    c = walk(submit(), "diteruskan")
    assert c.response_due == dt.date(2026, 6, 9)
    assert services.sweep(today=dt.date(2026, 6, 8))["due_soon"] == 1
    assert services.sweep(today=dt.date(2026, 6, 8))["due_soon"] == 0  # warned once
    assert services.sweep(today=dt.date(2026, 6, 9))["escalated"] == 0
    levels = []
    for day in (10, 11, 12, 15, 17, 18):  # 16 June 2026 (1 Muharram) is no working day
        services.sweep(today=dt.date(2026, 6, day))
        c.refresh_from_db()
        levels.append(c.escalation_level)
    assert levels == [1, 1, 2, 2, 2, 3]
    public = [e.text for e in c.events.filter(public=True, kind="eskalasi")]
    assert len(public) == 3 and "inspektorat" in public[-1]
    # the unit's first response resets the ladder
    c = services.start(users[("unit", "a")], c)
    assert c.escalation_level == 0


def test_transfer_creates_linked_case_with_own_deadlines(clock, submit, users, org):
    clock.set(dt.date(2026, 6, 2))
    c = submit(evidence=[CleanFile("a.txt", "text/plain", b"bukti")])
    clock.set(dt.date(2026, 6, 3))
    c = services.transfer(users[("pengelola", "a")], c, agency=org["b"]["agency"])
    assert c.status == "dialihkan" and c.closed_at
    new = Complaint.objects.get(transferred_from=c)
    assert new.agency == org["b"]["agency"] and new.status == "diterima"
    assert new.tracking_code != c.tracking_code and new.verification_due == dt.date(2026, 6, 8)
    assert new.name == c.name and new.evidence.count() == 1
    assert new.tracking_code in c.events.filter(public=True).last().text
    with pytest.raises(services.ComplaintError):
        services.transfer(users[("pengelola", "b")], new, agency=org["b"]["agency"])


def test_reject_duplicate_links_original(submit, users):
    first, second = submit(), submit()
    op = users[("operator", "a")]
    with pytest.raises(services.ComplaintError) as exc:
        services.reject(op, second, reason="duplikat")
    assert exc.value.field == "duplicate_of"
    c = services.reject(op, second, reason="duplikat", duplicate_of=first)
    assert c.status == "ditolak" and c.duplicate_of == first and c.closed_at


def test_reassign_and_refer(submit, walk, users, org):
    c = walk(submit(), "diproses")
    manager = users[("pengelola", "a")]
    c = services.reassign_unit(manager, c, unit=org["a"]["dinas"])
    assert c.status == "diteruskan" and c.unit == org["a"]["dinas"]
    with pytest.raises(services.ComplaintError):
        services.reassign_unit(manager, c, unit=org["b"]["dinas"])
    c = services.refer(users[("inspektorat", "a")], c, note="Maladministrasi berulang.")
    assert c.status == "dirujuk" and c.closed_at


def test_assign_only_to_handlers_of_the_unit(submit, users, org):
    c = submit()
    manager = users[("pengelola", "a")]
    with pytest.raises(services.ComplaintError):
        services.assign(manager, c, user=users[("auditor", "a")])
    c = services.assign(manager, c, user=users[("operator", "a")])
    assert c.assignee == users[("operator", "a")]
    assert not c.events.get(action="assign").public


def test_assigning_the_same_officer_again_changes_nothing(
    submit, users, smtp, django_capture_on_commit_callbacks
):
    """A second click on "assign" (or two tabs): no second e-mail, audit entry or timeline event."""
    from amanah.core.models import AuditEntry

    c = submit()
    manager, officer = users[("pengelola", "a")], users[("operator", "a")]
    officer.email = "petugas@test.id"
    officer.save()
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            c = services.assign(manager, c, user=officer)
        assert c.assignee == officer
    assert len(smtp.to("petugas@test.id")) == 1
    assert AuditEntry.objects.filter(action="complaints.assign").count() == 1
    assert c.events.filter(action="assign").count() == 1


def test_publication_needs_opt_in_and_never_rahasia(submit, users):
    manager = users[("pengelola", "a")]
    with pytest.raises(services.ComplaintError):
        services.set_publication(manager, submit(publish=False), approve=True)
    secret = submit(identity_mode="rahasia", publish=True)
    assert not secret.publish_requested
    with pytest.raises(services.ComplaintError):
        services.set_publication(manager, secret, approve=True)
    c = services.set_publication(manager, submit(publish=True), approve=True)
    assert c.publish_approved


def test_assisted_intake_uses_received_time_and_refuses_future(clock, users, org):
    clock.set(dt.datetime(2026, 6, 10, 9, 0, tzinfo=dt.UTC))
    op = users[("operator", "a")]
    data = {
        "service": org["a"]["service"],
        "title": "Loket tutup",
        "description": "Loket tutup jam 10.",
        "identity_mode": "biasa",
        "name": "Pak Harjo",
    }
    c = services.submit(
        op, data, channel="datang_langsung", received_at=dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC)
    )
    assert c.entered_by == op and c.verification_due == dt.date(2026, 6, 4)
    with pytest.raises(services.ComplaintError) as exc:
        services.submit(
            op, data, channel="telepon", received_at=dt.datetime(2026, 6, 11, 9, tzinfo=dt.UTC)
        )
    assert exc.value.field == "received_at"
    with pytest.raises(PermissionDenied):
        services.submit(users[("auditor", "a")], data, channel="telepon")


def test_sweep_command_and_task(clock, submit, walk):
    from io import StringIO

    from django.core.management import call_command

    from amanah.complaints.tasks import sweep_deadlines

    clock.set(dt.date(2026, 6, 2))
    c = walk(submit(), "dijawab")
    out = StringIO()
    call_command("complaints_sweep", "--today", "2026-06-05", stdout=out)
    assert "auto_closed=0" in out.getvalue()
    clock.set(dt.date(2026, 7, 1))
    result = sweep_deadlines.enqueue()  # ImmediateBackend in tests: runs now
    assert result.return_value["auto_closed"] == 1
    c.refresh_from_db()
    assert c.status == "selesai" and c.close_reason == "otomatis"


def test_officer_records_completion_and_manager_escalates_by_hand(clock, submit, users):
    clock.set(dt.date(2026, 6, 1))
    c = services.request_completion(users[("operator", "a")], submit(), message="Lengkapi tanggal.")
    clock.set(dt.date(2026, 6, 3))
    with pytest.raises(services.ComplaintError):
        services.complete_for(users[("operator", "a")], c, note="")
    c = services.complete_for(
        users[("operator", "a")], c, note="Pengadu menelepon: tanggal 20 Mei."
    )
    assert c.status == "diterima" and c.verification_due == dt.date(2026, 6, 8)
    manager = users[("pengelola", "a")]
    c = services.escalate(manager, c, reason="Pengadu mengeluh lambat.")
    assert c.escalation_level == 2  # not verified yet: no handling unit whose head could act
    c = services.escalate(manager, c)
    assert c.escalation_level == 3
    with pytest.raises(PermissionDenied):
        services.escalate(users[("operator", "a")], c)
    assert not c.events.filter(kind="catatan").first().public


@pytest.mark.django_db(transaction=True)
def test_a_tracking_code_collision_retries_the_whole_intake(submit, monkeypatch, settings):
    """A new code that is already taken: the intake rolls back and starts again with another code, leaving
    one complaint, one timeline, one audit entry and its evidence stored once."""
    first = submit()
    codes = iter([first.tracking_code, "AAAA-BBBB-CCCC-DDDD"])
    monkeypatch.setattr(services, "_new_code", lambda: next(codes))
    evidence = CleanFile("bukti.pdf", "application/pdf", b"%PDF-1.4 bukti")
    second = submit(evidence=[evidence])
    assert second.tracking_code == "AAAA-BBBB-CCCC-DDDD"
    assert Complaint.objects.count() == 2
    assert second.events.count() == 1 and second.evidence.count() == 1
    stored = [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()]
    assert len(stored) == 1  # the first attempt's copy was removed
    assert audit.verify().ok
    entries = audit.AuditEntry.objects.filter(action="complaints.submit")
    assert sorted(e.object_id for e in entries) == sorted([str(first.pk), str(second.pk)])
